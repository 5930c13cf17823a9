// Units of work as production runs them: poolDb's transaction() commits when its work resolves
// and rolls everything back when it throws. These commit for real, on this worker's database,
// so each test deletes its rows; the last two check the rolled-back handle other tests get.
import type { Pool } from "pg";

import { poolDb, type Db } from "../../../src/db";
import { useTestApp } from "../../support/app";
import { createTestPool } from "../../support/postgres";

const t = useTestApp();

const INSERT = "INSERT INTO users (email, full_name, password_hash) VALUES ($1, 'T', 'x')";
const FIND = "SELECT id FROM users WHERE email = $1";

let pool: Pool;
let db: Db;

beforeAll(() => {
  pool = createTestPool();
  db = poolDb(pool);
});

afterEach(async () => {
  await db.query("DELETE FROM users WHERE email LIKE '%@unit-of-work.example.com'");
});

afterAll(async () => {
  await pool.end();
});

test("committed work is seen afterwards, from another connection", async () => {
  await db.transaction(async (tx) => {
    await tx.query(INSERT, ["committed@unit-of-work.example.com"]);
  });

  expect(await db.query(FIND, ["committed@unit-of-work.example.com"])).toHaveLength(1);
});

test("an error mid-transaction undoes the whole unit", async () => {
  const failing = db.transaction(async (tx) => {
    await tx.query(INSERT, ["half-done@unit-of-work.example.com"]);
    expect(await tx.query(FIND, ["half-done@unit-of-work.example.com"])).toHaveLength(1);
    throw new Error("fails before the commit");
  });

  await expect(failing).rejects.toThrow("fails before the commit");
  expect(await db.query(FIND, ["half-done@unit-of-work.example.com"])).toHaveLength(0);
});

test("a transaction inside a unit of work is part of it", async () => {
  const failing = db.transaction(async (tx) => {
    const inner = await tx.transaction(async (nested) => {
      await nested.query(INSERT, ["nested@unit-of-work.example.com"]);
      return "inner result";
    });
    expect(inner).toBe("inner result");
    throw new Error("the outer unit fails");
  });

  await expect(failing).rejects.toThrow("the outer unit fails");
  expect(await db.query(FIND, ["nested@unit-of-work.example.com"])).toHaveLength(0);
});

test("work in a transaction is not seen from outside until it commits", async () => {
  let inserted = () => {};
  let release = () => {};
  const insertDone = new Promise<void>((resolve) => (inserted = resolve));
  const held = new Promise<void>((resolve) => (release = resolve));
  const unit = db.transaction(async (tx) => {
    await tx.query(INSERT, ["pending@unit-of-work.example.com"]);
    inserted();
    await held;
  });
  await insertDone;

  const before = await db.query(FIND, ["pending@unit-of-work.example.com"]);
  release();
  await unit;

  expect(before).toHaveLength(0);
  expect(await db.query(FIND, ["pending@unit-of-work.example.com"])).toHaveLength(1);
});

test("a failed statement does not break the rest of the test", async () => {
  await expect(t.database.db.query("SELECT * FROM no_such_table")).rejects.toThrow(/no_such_table/);

  expect(await t.database.db.query("SELECT 1 AS one")).toEqual([{ one: 1 }]);
});

test("a test's own handle sees its writes", async () => {
  await t.database.db.query(INSERT, ["rolled-back@example.com"]);

  expect(await t.database.db.query(FIND, ["rolled-back@example.com"])).toHaveLength(1);
});

test("each test starts from the migrated, empty schema", async () => {
  // Random order and parallel workers: a row left by another test would show up here.
  expect(await t.database.db.query(FIND, ["rolled-back@example.com"])).toHaveLength(0);
});
