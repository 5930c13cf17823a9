// Bearer authentication: tokens from /auth/token, 401 for everything else.
import request from "supertest";

import { PASSWORD } from "../../factories/users";
import { useTestApp } from "../../support/app";

const t = useTestApp();

test("valid credentials get a token that identifies the user", async () => {
  const app = t.app();
  const user = await t.createUser();

  const response = await request(app).post("/auth/token").send({ email: user.email, password: PASSWORD });

  expect(response.status).toBe(200);
  expect(response.body.tokenType).toBe("bearer");
  const me = await request(app).get("/users/me").set("Authorization", `Bearer ${response.body.accessToken}`);
  expect(me.status).toBe(200);
  expect(me.body.id).toBe(user.id);
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
  const headers = t.authHeaders(user);

  expect((await request(app).delete(`/users/${user.id}`).set(headers)).status).toBe(204);
  expect((await request(app).get("/users/me").set(headers)).status).toBe(401);
});
