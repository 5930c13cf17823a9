// The users list and the lookup by email are read through their indexes, as the repository
// sends them (a query rewritten so that no index fits fails here): checked by EXPLAIN on a
// table large enough for the planner to prefer an index, inside the test's rolled-back transaction.
import { SqlUsersRepository } from "../../../src/users/sql-repository";
import { useTestApp } from "../../support/app";
import { explainStatements } from "../../support/query-plans";

const t = useTestApp();
const ROWS = 5000;

beforeEach(async () => {
  await t.database.client.query(
    `INSERT INTO users (email, full_name, password_hash)
     SELECT 'plan-' || n || '@example.com', 'User ' || n, 'x' FROM generate_series(1, $1::int) AS n`,
    [ROWS],
  );
  // Statistics for the planner; the rows themselves go with the test's transaction.
  await t.database.client.query("ANALYZE users");
});

test("looking a user up by email uses the email index", async () => {
  const [lookup] = await explainStatements(t.database.client, t.database.db, (db) =>
    new SqlUsersRepository(db).getByEmail(`plan-${ROWS / 2}@example.com`),
  );

  expect({ statement: lookup?.statement, scans: lookup?.scans("users") }).toEqual({
    statement: lookup?.statement,
    scans: [["Index Scan", ["email"]]],
  });
});

test("a page of users is read in id order through the primary key", async () => {
  const [page] = await explainStatements(t.database.client, t.database.db, (db) =>
    new SqlUsersRepository(db).list({ offset: 0, limit: 20 }),
  );

  expect({ statement: page?.statement, scans: page?.scans("users") }).toEqual({
    statement: page?.statement,
    scans: [["Index Scan", ["id"]]],
  });
});
