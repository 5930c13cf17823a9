// The users resource over HTTP: status codes, response shapes, validation messages, paging.
import request from "supertest";

import { buildUser } from "../../factories/users";
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
  expect(response.body).toMatchObject({ id: user.id, email: user.email, fullName: "New Name" });
  expect((await request(app).get(`/users/${user.id}`).set(headers)).body.fullName).toBe("New Name");
});

test("a user who deleted themselves is gone", async () => {
  const app = t.app();
  const doomed = await t.createUser();
  const reader = await t.signedIn();

  expect((await request(app).delete(`/users/${doomed.id}`).set(t.signedInAs(doomed))).status).toBe(204);
  expect((await request(app).get(`/users/${doomed.id}`).set(reader)).status).toBe(404);
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
