// Input no client should send, answered as the client's mistake (4xx), never with a 500:
// values beyond what the database stores, text it cannot store as sent, bodies of the wrong kind.
import request from "supertest";

import { buildUser } from "../../factories/users";
import { useTestApp } from "../../support/app";

const t = useTestApp();

const NOT_STORABLE = "must not contain NUL or unpaired surrogate characters";

test.each([
  ["0", "User ids start at 1"],
  ["-1", "User ids start at 1"],
  ["2147483648", "User ids are at most 2147483647"],
  ["99999999999999999999", "User ids are at most 2147483647"],
  ["1.5", "User ids are whole numbers"],
  // Past a bound and not whole: the bound's message alone.
  ["0.5", "User ids start at 1"],
  ["2147483647.5", "User ids are at most 2147483647"],
  ["abc", "User ids are numbers"],
])("user id %s is 422 on every route of a user", async (id, message) => {
  const app = t.app();
  const user = await t.createUser();
  const headers = t.signedInAs(user);

  const answers = [
    await request(app).get(`/users/${id}`).set(headers),
    await request(app).get(`/users/${id}/profile`).set(headers),
    await request(app).patch(`/users/${id}`).set(headers).send({ fullName: "New Name" }),
    await request(app).delete(`/users/${id}`).set(headers),
  ];

  for (const response of answers) {
    expect([response.status, response.body.detail]).toEqual([422, [{ loc: ["path", "id"], msg: message }]]);
  }
});

test("the largest user id is a valid one", async () => {
  const response = await request(t.app()).get("/users/2147483647").set(await t.signedIn());

  expect(response.status).toBe(404);
});

test.each([
  [{ page: "0" }, "page", "page starts at 1"],
  [{ page: "2147483648" }, "page", "page is at most 2147483647"],
  [{ page: "1e300" }, "page", "page is at most 2147483647"],
  [{ page: "2.5" }, "page", "page is a whole number"],
  [{ page: "0.5" }, "page", "page starts at 1"],
  [{ page: "2147483647.5" }, "page", "page is at most 2147483647"],
  [{ size: "0" }, "size", "size must be at least 1"],
  [{ size: "-5" }, "size", "size must be at least 1"],
  [{ size: "0.5" }, "size", "size must be at least 1"],
  [{ size: "100.5" }, "size", "size is at most 100"],
  [{ size: "2.5" }, "size", "size is a whole number"],
])("paging out of bounds (%j) is 422", async (query, field, message) => {
  const response = await request(t.app()).get("/users").query(query).set(await t.signedIn());

  expect(response.status).toBe(422);
  expect(response.body.detail).toEqual([{ loc: ["query", field], msg: message }]);
});

test.each([
  ["fullName", "Ada\u0000Lovelace", "Full name"],
  ["fullName", "Ada \ud800", "Full name"],
  ["password", "correct-horse\u0000battery", "Password"],
  ["password", "correct-horse-\udc00-battery", "Password"],
])("sign-up with %s %j is 422 naming the field", async (field, value, label) => {
  const response = await request(t.app())
    .post("/users")
    .send(buildUser({ [field]: value }));

  expect(response.status).toBe(422);
  expect(response.body.detail).toEqual([{ loc: ["body", field], msg: `${label} ${NOT_STORABLE}` }]);
});

test("a renaming to text the database cannot store is 422", async () => {
  const user = await t.createUser();

  const response = await request(t.app())
    .patch(`/users/${user.id}`)
    .set(t.signedInAs(user))
    .send({ fullName: "\u0000" });

  expect(response.status).toBe(422);
  expect(response.body.detail).toEqual([{ loc: ["body", "fullName"], msg: `Full name ${NOT_STORABLE}` }]);
  expect((await t.users.get(user.id))?.fullName).toBe(user.fullName);
});

test("an email longer than its column is 422", async () => {
  const email = `${"a".repeat(64)}@${"b".repeat(252)}.com`; // 321 characters

  const response = await request(t.app()).post("/users").send(buildUser({ email }));

  expect(response.status).toBe(422);
  expect(response.body.detail).toEqual([{ loc: ["body", "email"], msg: "Email is at most 320 characters" }]);
});

test.each([
  ["an array", "[]"],
  ["an object of wrong types", '{"email": 1, "fullName": [], "password": null}'],
])("a JSON body of the wrong shape (%s) is 422", async (_case, body) => {
  const response = await request(t.app()).post("/users").set("Content-Type", "application/json").send(body);

  expect(response.status).toBe(422);
  expect(response.body.detail.length).toBeGreaterThan(0);
});

test.each([
  ["a string", '"Ada"'],
  ["null", "null"],
  ["a number", "42"],
])("a JSON body that is not an object or array (%s) is 400", async (_case, body) => {
  const response = await request(t.app()).post("/users").set("Content-Type", "application/json").send(body);

  expect(response.status).toBe(400);
  expect(response.body).toEqual({ detail: "The request body is not valid JSON" });
});

test("a body that is not JSON at all is 422 for the missing fields", async () => {
  const response = await request(t.app()).post("/users").set("Content-Type", "text/plain").send("Ada");

  expect(response.status).toBe(422);
  expect(response.body.detail).toEqual([{ loc: ["body"], msg: expect.any(String) }]);
});

test("a body over the size limit is 413", async () => {
  const response = await request(t.app())
    .post("/users")
    .send(buildUser({ fullName: "x".repeat(200_000) }));

  expect(response.status).toBe(413);
  expect(response.body).toEqual({ detail: "request entity too large" });
});

test("a body in a charset the parser does not read is 415", async () => {
  const response = await request(t.app())
    .post("/users")
    .set("Content-Type", "application/json; charset=klingon")
    .send(JSON.stringify(buildUser()));

  expect(response.status).toBe(415);
  expect(response.body).toEqual({ detail: 'unsupported charset "KLINGON"' });
});

test("a malformed percent-encoding in the path is 400", async () => {
  const response = await request(t.app()).get("/users/%E0%A4%A").set(await t.signedIn());

  expect(response.status).toBe(400);
  expect(response.body).toEqual({ detail: "Failed to decode param '%E0%A4%A'" });
});

test("the health check answers ok, and does not name the framework", async () => {
  const response = await request(t.app()).get("/health");

  expect(response.status).toBe(200);
  expect(response.body).toEqual({ status: "ok" });
  expect(response.headers["x-powered-by"]).toBeUndefined();
});

test("an unknown route is 404 naming it", async () => {
  const response = await request(t.app()).post("/nowhere");

  expect(response.status).toBe(404);
  expect(response.body).toEqual({ detail: "Not found: POST /nowhere" });
});
