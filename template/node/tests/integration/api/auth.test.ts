// Bearer authentication: tokens from /auth/token, 401 for everything else.
import jwt from "jsonwebtoken";
import request from "supertest";

import { PASSWORD } from "../../factories/users";
import { useTestApp } from "../../support/app";

const t = useTestApp();

test("valid credentials get a token that identifies the user", async () => {
  const app = t.app();
  const user = await t.createUser();

  const response = await request(app).post("/auth/token").send({ email: user.email, password: PASSWORD });

  expect(response.status).toBe(200);
  expect(Object.keys(response.body).sort()).toEqual(["accessToken", "tokenType"]);
  expect(response.body.tokenType).toBe("bearer");
  const me = await request(app).get("/users/me").set("Authorization", `Bearer ${response.body.accessToken}`);
  expect(me.status).toBe(200);
  expect(me.body).toEqual({ id: user.id, email: user.email, fullName: user.fullName, createdAt: user.createdAt.toISOString() });
});

test("a token lives as long as the configured time-to-live", async () => {
  const user = await t.createUser();
  const issuedAt = Math.floor(Date.now() / 1000);

  const { accessToken } = (await request(t.app()).post("/auth/token").send({ email: user.email, password: PASSWORD })).body;

  const claims = jwt.decode(accessToken) as jwt.JwtPayload;
  expect(claims.sub).toBe(String(user.id));
  expect(claims.exp! - claims.iat!).toBe(t.config.jwtTtlSeconds);
  expect(claims.iat).toBeGreaterThanOrEqual(issuedAt);
});

test("an unknown email gets no token", async () => {
  const response = await request(t.app()).post("/auth/token").send({ email: "nobody@example.com", password: PASSWORD });

  expect(response.status).toBe(401);
  expect(response.headers["www-authenticate"]).toBe("Bearer");
  expect(response.body).toEqual({ detail: "Incorrect email or password" });
});

test("a wrong password gets no token", async () => {
  const user = await t.createUser();

  const response = await request(t.app()).post("/auth/token").send({ email: user.email, password: "wrong-password" });

  expect(response.status).toBe(401);
  expect(response.body).toEqual({ detail: "Incorrect email or password" });
});

test.each([
  ["missing", undefined],
  ["malformed", "Bearer not-a-jwt"],
  ["wrong scheme", "Basic dXNlcjpwYXNz"],
  ["empty", "Bearer"],
  ["empty after the scheme", "Bearer "],
])("protected routes refuse a %s token", async (_case, authorization) => {
  const call = request(t.app()).get("/users");
  const response = authorization ? await call.set("Authorization", authorization) : await call;

  expect(response.status).toBe(401);
  expect(response.headers["www-authenticate"]).toBe("Bearer");
  expect(response.body).toEqual({ detail: "Not authenticated" });
});

test("a token for a deleted user is refused", async () => {
  const app = t.app();
  const user = await t.createUser();
  const headers = t.signedInAs(user);

  expect((await request(app).delete(`/users/${user.id}`).set(headers)).status).toBe(204);
  expect((await request(app).get("/users/me").set(headers)).status).toBe(401);
});

test.each([
  ["an email with NUL", { email: "ada\u0000@example.com", password: PASSWORD }, "email", "Email must not contain NUL or unpaired surrogate characters"],
  ["a password with an unpaired surrogate", { email: "ada@example.com", password: "\ud800" }, "password", "Password must not contain NUL or unpaired surrogate characters"],
  ["an email longer than its column", { email: `${"a".repeat(321)}@example.com`, password: PASSWORD }, "email", "Email is at most 320 characters"],
  ["a password longer than sign-up allows", { email: "ada@example.com", password: "p".repeat(129) }, "password", "Password is at most 128 characters"],
])("sign-in with %s is 422", async (_case, body, field, message) => {
  const response = await request(t.app()).post("/auth/token").send(body);

  expect(response.status).toBe(422);
  expect(response.body.detail).toEqual([{ loc: ["body", field], msg: message }]);
});

test("sign-in at the fields' bounds is checked, not refused as invalid", async () => {
  const app = t.app();
  const longest = { email: `${"a".repeat(64)}@${"b".repeat(251)}.com`, password: "p".repeat(128) }; // 320, 128 characters
  await t.createUser(longest);

  const response = await request(app).post("/auth/token").send(longest);

  expect(response.status).toBe(200);
});

test("a user cannot rename or delete another user's account", async () => {
  const app = t.app();
  const owner = await t.createUser();
  const intruder = t.signedInAs(await t.createUser());

  const renamed = await request(app).patch(`/users/${owner.id}`).set(intruder).send({ fullName: "Taken Over" });
  const deleted = await request(app).delete(`/users/${owner.id}`).set(intruder);

  for (const response of [renamed, deleted]) {
    expect(response.status).toBe(403);
    expect(response.body).toEqual({ detail: "You can only change your own account" });
  }
  expect(await t.users.get(owner.id)).toEqual(owner);
});

test("a 403 does not tell whether another account exists", async () => {
  const app = t.app();
  const headers = await t.signedIn();
  const other = await t.createUser();

  const existing = await request(app).delete(`/users/${other.id}`).set(headers);
  const missing = await request(app).delete("/users/2147483647").set(headers);

  expect(missing.status).toBe(403);
  expect([missing.status, missing.body]).toEqual([existing.status, existing.body]);
});
