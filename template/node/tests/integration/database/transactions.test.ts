// Units of work: transaction() commits when it resolves and undoes everything when it throws.
import { useTestApp } from "../../support/app";

const t = useTestApp();

const INSERT = "INSERT INTO users (email, full_name, password_hash) VALUES ($1, 'T', 'x')";
const FIND = "SELECT id FROM users WHERE email = $1";

test("committed work is seen afterwards", async () => {
  await t.database.db.transaction(async (tx) => {
    await tx.query(INSERT, ["committed@example.com"]);
  });

  expect(await t.database.db.query(FIND, ["committed@example.com"])).toHaveLength(1);
});

test("an error mid-transaction undoes the whole unit", async () => {
  const failing = t.database.db.transaction(async (tx) => {
    await tx.query(INSERT, ["half-done@example.com"]);
    throw new Error("fails before the commit");
  });

  await expect(failing).rejects.toThrow("fails before the commit");
  expect(await t.database.db.query(FIND, ["half-done@example.com"])).toHaveLength(0);
});

test("a failed statement does not break the rest of the test", async () => {
  await expect(t.database.db.query("SELECT * FROM no_such_table")).rejects.toThrow(/no_such_table/);

  expect(await t.database.db.query("SELECT 1 AS one")).toEqual([{ one: 1 }]);
});

test("each test starts from the migrated, empty schema", async () => {
  // Random order and parallel workers: a row left by another test would show up here.
  expect(await t.database.db.query(FIND, ["committed@example.com"])).toHaveLength(0);
});
