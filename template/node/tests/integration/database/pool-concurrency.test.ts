// Many requests at once share a connection pool. This cannot run inside the test's
// rolled-back transaction (one client runs one statement at a time), so it commits for
// real through its own small pool, tags its rows and deletes them afterwards.
import { randomUUID } from "node:crypto";

import type { Pool } from "pg";

import { poolDb } from "../../../src/db";
import { SqlUsersRepository } from "../../../src/users/sql-repository";
import { createTestPool } from "../../support/postgres";

const REQUESTS = 24;
const POOL_SIZE = 4;

let pool: Pool;
let tag: string;

beforeEach(() => {
  pool = createTestPool(POOL_SIZE);
  tag = `pool-${randomUUID().slice(0, 8)}`;
});

afterEach(async () => {
  await pool.query("DELETE FROM users WHERE email LIKE $1", [`${tag}-%`]);
  await pool.end();
});

test("concurrent sign-ups share a small pool and all commit", async () => {
  const users = new SqlUsersRepository(poolDb(pool));

  const created = await Promise.all(
    Array.from({ length: REQUESTS }, (_, n) => users.add({ email: `${tag}-${n}@example.com`, fullName: "P", passwordHash: "x" })),
  );

  expect(new Set(created.map((user) => user.id)).size).toBe(REQUESTS);
  const { rows } = await pool.query("SELECT count(*)::int AS n FROM users WHERE email LIKE $1", [`${tag}-%`]);
  expect(rows[0].n).toBe(REQUESTS);
  // They shared the pool: it opened all its connections at once, and no more.
  expect(pool.totalCount).toBe(POOL_SIZE);
});

test("a transaction on the pool commits or rolls back as a unit", async () => {
  const db = poolDb(pool);

  await db.transaction(async (tx) => {
    await tx.query("INSERT INTO users (email, full_name, password_hash) VALUES ($1, 'A', 'x')", [`${tag}-kept@example.com`]);
  });
  await expect(
    db.transaction(async (tx) => {
      await tx.query("INSERT INTO users (email, full_name, password_hash) VALUES ($1, 'B', 'x')", [`${tag}-lost@example.com`]);
      throw new Error("rolled back");
    }),
  ).rejects.toThrow("rolled back");

  const rows = await db.query<{ email: string }>("SELECT email FROM users WHERE email LIKE $1", [`${tag}-%`]);
  expect(rows.map((row) => row.email)).toEqual([`${tag}-kept@example.com`]);
});
