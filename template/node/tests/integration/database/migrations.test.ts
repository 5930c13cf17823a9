// The real migrations, run with node-pg-migrate's command line in a scratch database of their own.
import { readdirSync } from "node:fs";
import path from "node:path";

import { Client } from "pg";

import { createMigrationDatabase, dropMigrationDatabase, migrate } from "../../support/postgres";

const MIGRATIONS = readdirSync(path.resolve(__dirname, "../../../migrations")).filter((file) => file.endsWith(".sql"));

let url: string;

beforeEach(async () => {
  url = await createMigrationDatabase();
});

afterEach(async () => {
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
  await migrate(url, "up");
  expect(await tables()).toEqual(expect.arrayContaining(["notes", "users"]));

  await migrate(url, "down", String(MIGRATIONS.length));
  expect(await tables()).toEqual(["pgmigrations"]);

  await migrate(url, "up");
  expect(await tables()).toEqual(expect.arrayContaining(["notes", "users"]));
});

test("every migration goes down and up again one at a time", async () => {
  for (let applied = 1; applied <= MIGRATIONS.length; applied++) {
    await migrate(url, "up", "1");
    await migrate(url, "down", "1");
    await migrate(url, "up", "1");
  }

  expect(await tables()).toEqual(["notes", "pgmigrations", "users"]);
  // Three command-line runs per migration, a second or more each on a busy machine.
}, MIGRATIONS.length * 10_000);
