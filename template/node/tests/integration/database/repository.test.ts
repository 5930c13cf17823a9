// CRUD through the repository against the real schema, and query budgets.
import request from "supertest";

import { SqlUsersRepository } from "../../../src/users/sql-repository";
import { useTestApp } from "../../support/app";

const t = useTestApp();

test("add then get returns the stored row", async () => {
  const created = await t.createUser({ fullName: "Ada Lovelace" });

  const fetched = await t.users.get(created.id);

  expect(fetched).toMatchObject({ email: created.email, fullName: "Ada Lovelace" });
  expect(fetched?.createdAt).toBeInstanceOf(Date);
});

test("getByEmail and count", async () => {
  const before = await t.users.count();
  const created = await t.createUser();

  expect((await t.users.getByEmail(created.email))?.id).toBe(created.id);
  expect(await t.users.count()).toBe(before + 1);
});

test("list is ordered by id and paged", async () => {
  const ids = [];
  for (let i = 0; i < 3; i++) {
    ids.push((await t.createUser()).id);
  }

  const listed = (await t.users.list({ offset: 0, limit: 1000 })).map((user) => user.id);

  expect(listed).toEqual([...listed].sort((a, b) => a - b));
  expect(listed).toEqual(expect.arrayContaining(ids));
  expect(await t.users.list({ offset: 0, limit: 2 })).toHaveLength(2);
});

test("rename and delete are persisted", async () => {
  const user = await t.createUser();
  const another = new SqlUsersRepository(t.database.db);

  await t.users.rename(user.id, "Renamed");
  expect((await another.get(user.id))?.fullName).toBe("Renamed");

  expect(await t.users.delete(user.id)).toBe(true);
  expect(await another.get(user.id)).toBeUndefined();
});

test("a missing user is not found, renamed or deleted", async () => {
  const missing = 2147483647;

  expect(await t.users.get(missing)).toBeUndefined();
  expect(await t.users.getByEmail("nobody@example.com")).toBeUndefined();
  expect(await t.users.rename(missing, "Nobody")).toBeUndefined();
  expect(await t.users.delete(missing)).toBe(false);
});

test("reading a user stays within two queries", async () => {
  const headers = await t.signedIn();
  const user = await t.createUser();
  const before = t.database.db.statements.length;

  const response = await request(t.app()).get(`/users/${user.id}`).set(headers);

  expect(response.status).toBe(200);
  expect(t.database.db.statements.length - before).toBeLessThanOrEqual(2);
});
