// The schema's own rules: unique emails, notes need a user, notes go with their user.
const { DuplicateEmailError } = require("../../../src/users/repository");
const { buildUser } = require("../../factories/users");
const { useTestApp } = require("../../support/app");

const t = useTestApp();

test("emails are unique", async () => {
  const user = await t.createUser();

  await expect(t.users.add({ ...buildUser({ email: user.email }), passwordHash: "x" })).rejects.toThrow(DuplicateEmailError);
});

test("a note needs an existing user", async () => {
  const orphan = t.database.db.query("INSERT INTO notes (user_id, body) VALUES ($1, 'orphan')", [2_000_000_000]);

  await expect(orphan).rejects.toThrow(/fk_notes_user_id_users/);
});

test("deleting a user deletes their notes in the database", async () => {
  const user = await t.createUser();
  for (const body of ["one", "two", "three"]) {
    await t.database.db.query("INSERT INTO notes (user_id, body) VALUES ($1, $2)", [user.id, body]);
  }
  const countNotes = async () => Number((await t.database.db.query("SELECT count(*) AS n FROM notes WHERE user_id = $1", [user.id]))[0]?.n);
  expect(await countNotes()).toBe(3);

  await t.users.delete(user.id);

  expect(await countNotes()).toBe(0);
});
