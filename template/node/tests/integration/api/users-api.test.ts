// The users resource over HTTP: status codes, response shapes, validation messages, paging.
import request from "supertest";

import { verifyPassword } from "../../../src/passwords";
import { buildUser, PASSWORD } from "../../factories/users";
import { useTestApp } from "../../support/app";

const t = useTestApp();

const USER_FIELDS = ["createdAt", "email", "fullName", "id"];

test("sign-up answers 201 with the user and no secrets", async () => {
  const payload = buildUser();

  const response = await request(t.app()).post("/users").send(payload);

  expect(response.status).toBe(201);
  expect(Object.keys(response.body).sort()).toEqual(USER_FIELDS);
  expect(response.body).toMatchObject({ email: payload.email, fullName: payload.fullName });
  expect(Number.isNaN(Date.parse(response.body.createdAt))).toBe(false);
});

test("sign-up stores the user, with a hash of the password, and announces it", async () => {
  const payload = buildUser();

  const created = (await request(t.app()).post("/users").send(payload)).body;

  const stored = await t.users.get(created.id);
  expect(stored).toMatchObject({ id: created.id, email: payload.email, fullName: payload.fullName });
  expect(stored?.createdAt.toISOString()).toBe(created.createdAt);
  expect(stored?.passwordHash).not.toBe(PASSWORD);
  expect(await verifyPassword(PASSWORD, stored!.passwordHash)).toBe(true);
  expect(t.events.published).toEqual([{ name: "user.created", payload: { id: created.id, email: payload.email } }]);
});

test("a signed-up user can be read back", async () => {
  const app = t.app();
  const created = (await request(app).post("/users").send(buildUser())).body;

  const response = await request(app).get(`/users/${created.id}`).set(await t.signedIn());

  expect(response.status).toBe(200);
  expect(response.body).toEqual(created);
});

test("signing up twice with one email is a conflict", async () => {
  const user = await t.createUser();

  const response = await request(t.app()).post("/users").send(buildUser({ email: user.email }));

  expect(response.status).toBe(409);
  expect(response.body).toEqual({ detail: "A user with this email already exists" });
});

test.each([
  [{ email: "not-an-email" }, "email", "Enter a valid email address"],
  [{ password: "short" }, "password", "Password must be at least 8 characters"],
  [{ fullName: "" }, "fullName", "Full name must not be empty"],
])("an invalid sign-up (%j) is 422 with a message for its field", async (change, field, message) => {
  const response = await request(t.app()).post("/users").send(buildUser(change));

  expect(response.status).toBe(422);
  expect(response.body.detail).toEqual([{ loc: ["body", field], msg: message }]);
});

// Each bound of a field, at the bound (accepted) and one past it (422 with the field's message).
const LONGEST_EMAIL = `${"a".repeat(64)}@${"b".repeat(251)}.com`; // 320 characters

test.each([
  ["the longest email", { email: LONGEST_EMAIL }],
  ["the longest full name", { fullName: "x".repeat(100) }],
  ["a one-letter full name", { fullName: "x" }],
  ["the shortest password", { password: "p".repeat(8) }],
  ["the longest password", { password: "p".repeat(128) }],
])("sign-up accepts %s", async (_case, change) => {
  const payload = buildUser(change);

  const response = await request(t.app()).post("/users").send(payload);

  expect(response.status).toBe(201);
  expect(response.body).toMatchObject({ email: payload.email, fullName: payload.fullName });
});

test.each([
  [{ fullName: "x".repeat(101) }, "fullName", "Full name is at most 100 characters"],
  [{ fullName: "   " }, "fullName", "Full name must not be empty"],
  [{ password: "p".repeat(7) }, "password", "Password must be at least 8 characters"],
  [{ password: "p".repeat(129) }, "password", "Password is at most 128 characters"],
])("sign-up one past a bound (%j) is 422", async (change, field, message) => {
  const response = await request(t.app()).post("/users").send(buildUser(change));

  expect(response.status).toBe(422);
  expect(response.body.detail).toEqual([{ loc: ["body", field], msg: message }]);
});

test("a full name is stored without surrounding spaces", async () => {
  const response = await request(t.app()).post("/users").send(buildUser({ fullName: "  Ada Lovelace  " }));

  expect(response.body.fullName).toBe("Ada Lovelace");
  expect((await t.users.get(response.body.id))?.fullName).toBe("Ada Lovelace");
});

test("a body that is not JSON is 400", async () => {
  const response = await request(t.app()).post("/users").set("Content-Type", "application/json").send("{not json");

  expect(response.status).toBe(400);
  expect(response.body).toEqual({ detail: "The request body is not valid JSON" });
});

test("an unknown user is 404", async () => {
  const response = await request(t.app()).get("/users/987654321").set(await t.signedIn());

  expect(response.status).toBe(404);
  expect(response.body).toEqual({ detail: "User 987654321 not found" });
});

test("a user can rename themselves", async () => {
  const app = t.app();
  const user = await t.createUser();
  const headers = t.signedInAs(user);

  const response = await request(app).patch(`/users/${user.id}`).set(headers).send({ fullName: "New Name" });

  expect(response.status).toBe(200);
  expect(response.body).toEqual({ id: user.id, email: user.email, fullName: "New Name", createdAt: user.createdAt.toISOString() });
  expect((await request(app).get(`/users/${user.id}`).set(headers)).body.fullName).toBe("New Name");
  expect((await t.users.get(user.id))?.fullName).toBe("New Name");
});

test("a renaming past the name's bound is 422 and changes nothing", async () => {
  const user = await t.createUser();

  const response = await request(t.app())
    .patch(`/users/${user.id}`)
    .set(t.signedInAs(user))
    .send({ fullName: "x".repeat(101) });

  expect(response.status).toBe(422);
  expect(response.body.detail).toEqual([{ loc: ["body", "fullName"], msg: "Full name is at most 100 characters" }]);
  expect((await t.users.get(user.id))?.fullName).toBe(user.fullName);
});

test("a user who deleted themselves is gone", async () => {
  const app = t.app();
  const doomed = await t.createUser();
  const reader = await t.signedIn();

  expect((await request(app).delete(`/users/${doomed.id}`).set(t.signedInAs(doomed))).status).toBe(204);
  expect((await request(app).get(`/users/${doomed.id}`).set(reader)).status).toBe(404);
  expect(await t.users.get(doomed.id)).toBeUndefined();
});

test("users are listed a page at a time", async () => {
  const app = t.app();
  const headers = await t.signedIn();
  for (let i = 0; i < 4; i++) {
    await t.createUser();
  }
  const total = (await request(app).get("/users").set(headers)).body.total as number;
  const lastPage = Math.ceil(total / 2);

  const first = (await request(app).get("/users").query({ page: 1, size: 2 }).set(headers)).body;
  const second = (await request(app).get("/users").query({ page: 2, size: 2 }).set(headers)).body;
  const last = (await request(app).get("/users").query({ page: lastPage, size: 2 }).set(headers)).body;

  expect(total).toBeGreaterThanOrEqual(4);
  expect(Object.keys(first).sort()).toEqual(["items", "next", "page", "size", "total"]);
  expect(first.items).toHaveLength(2);
  expect(Object.keys(first.items[0]).sort()).toEqual(USER_FIELDS);
  expect([first.page, first.size]).toEqual([1, 2]);
  expect(first.next).toBe("/users?page=2&size=2");
  const ids = (page: { items: { id: number }[] }) => page.items.map((item) => item.id);
  expect(Math.max(...ids(first))).toBeLessThan(Math.min(...ids(second))); // disjoint, in order
  expect(last.next).toBeNull();
  expect(last.items).toHaveLength(total - 2 * (lastPage - 1));
});

test("without paging parameters the first page of 20 is listed", async () => {
  const headers = await t.signedIn();

  const response = await request(t.app()).get("/users").set(headers);

  expect(response.status).toBe(200);
  expect(response.body).toMatchObject({ page: 1, size: 20, total: await t.users.count() });
});

test("the last page has no next link, the one before it has", async () => {
  const app = t.app();
  const headers = await t.signedIn();
  await t.createUser();
  await t.createUser();
  const total = await t.users.count();

  const exact = (await request(app).get("/users").query({ page: 1, size: total }).set(headers)).body;
  const short = (await request(app).get("/users").query({ page: 1, size: total - 1 }).set(headers)).body;

  expect([exact.items.length, exact.next]).toEqual([total, null]);
  expect([short.items.length, short.next]).toEqual([total - 1, `/users?page=2&size=${total - 1}`]);
});

test.each([
  [{ size: 1 }, 1],
  [{ size: 100 }, 100],
])("page size at its bound (%j) is accepted", async (query, size) => {
  const response = await request(t.app()).get("/users").query(query).set(await t.signedIn());

  expect(response.status).toBe(200);
  expect(response.body.size).toBe(size);
});

test("the largest page number is accepted, and empty", async () => {
  const response = await request(t.app()).get("/users").query({ page: 2147483647 }).set(await t.signedIn());

  expect(response.status).toBe(200);
  expect(response.body).toMatchObject({ items: [], page: 2147483647, next: null });
});

test("page size is bounded", async () => {
  const response = await request(t.app()).get("/users").query({ size: 101 }).set(await t.signedIn());

  expect(response.status).toBe(422);
  expect(response.body.detail).toEqual([{ loc: ["query", "size"], msg: "size is at most 100" }]);
});

test("an unexpected error is a 500 without details", async () => {
  t.deps.queue = {
    publish: () => Promise.reject(new Error("broker exploded")),
    close: () => Promise.resolve(),
  };
  const spy = jest.spyOn(console, "error").mockImplementation(() => undefined);

  const response = await request(t.app()).post("/users").send(buildUser());

  expect(response.status).toBe(500);
  expect(response.body).toEqual({ detail: "Internal Server Error" });
  expect(spy).toHaveBeenCalled();
  spy.mockRestore();
});
