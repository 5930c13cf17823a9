// The real migrations, run by node-pg-migrate in a scratch database of their own. One migrator
// process serves the file (a command-line run per step would start Node twelve times).
import { readdirSync } from "node:fs";
import path from "node:path";

import { Client } from "pg";

import { createMigrationDatabase, dropMigrationDatabase, startMigrator, type Migrator } from "../../support/postgres";

const MIGRATIONS = readdirSync(path.resolve(__dirname, "../../../migrations")).filter((file) => file.endsWith(".sql"));

let url: string;
let migrator: Migrator;

// Every run commits for real, and the first loads node-pg-migrate: on a runner busy with other
// jobs' disk and CPU that has taken longer than the 15 s default.
jest.setTimeout(60_000);

beforeAll(() => {
  migrator = startMigrator();
});

afterAll(() => {
  migrator.stop();
});

beforeEach(async () => {
  url = await createMigrationDatabase();
});

afterEach(async () => {
  await migrator.idle();
  await dropMigrationDatabase();
});

async function tables(): Promise<string[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
    return rows.map((row: { tablename: string }) => row.tablename);
  } finally {
    await client.end();
  }
}

test("up creates the schema, down removes it, up again restores it", async () => {
  await migrator.run(url, "up");
  expect(await tables()).toEqual(expect.arrayContaining(["notes", "users"]));

  await migrator.run(url, "down", MIGRATIONS.length);
  expect(await tables()).toEqual(["pgmigrations"]);

  await migrator.run(url, "up");
  expect(await tables()).toEqual(expect.arrayContaining(["notes", "users"]));
});

test("every migration goes down and up again one at a time", async () => {
  for (let applied = 1; applied <= MIGRATIONS.length; applied++) {
    await migrator.run(url, "up", 1);
    await migrator.run(url, "down", 1);
    await migrator.run(url, "up", 1);
  }

  expect(await tables()).toEqual(["notes", "pgmigrations", "users"]);
});
