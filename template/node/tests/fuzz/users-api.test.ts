// Property-based: hostile requests to the users API, from a signed-in caller, get one of the
// answers documented for their route, and never a 5xx (the routes here never call the
// external API, the only source of the documented 502, 503 and 504).
import fc from "fast-check";
import request from "supertest";

import { useTestApp } from "../support/app";
import { jsonBody, pagingQuery, urlValue } from "./arbitraries";

const t = useTestApp();

// The answers documented per route. 400: a malformed body or percent-encoding; 404: also a
// path that is no route at all (`/users/..` is `/`).
const ANSWERS = {
  read: [200, 400, 404, 422],
  rename: [200, 400, 403, 404, 422],
  remove: [204, 400, 403, 404, 422],
  list: [200, 422],
  signUp: [201, 400, 409, 422],
  renameBody: [200, 400, 422],
};

test("any id on /users/:id gets a documented answer", async () => {
  const app = t.app();
  await fc.assert(
    fc.asyncProperty(urlValue, async (id) => {
      // A new caller each time: deleting their own account must not sign the next one out.
      const headers = await t.signedIn();
      const read = await request(app).get(`/users/${id}`).set(headers);
      const renamed = await request(app).patch(`/users/${id}`).set(headers).send({ fullName: "Fuzzed" });
      const removed = await request(app).delete(`/users/${id}`).set(headers);

      expect(ANSWERS.read).toContain(read.status);
      expect(ANSWERS.rename).toContain(renamed.status);
      expect(ANSWERS.remove).toContain(removed.status);
    }),
  );
});

test("any paging query gets a page or a 422", async () => {
  const app = t.app();
  const headers = await t.signedIn();
  await fc.assert(
    fc.asyncProperty(pagingQuery, async (query) => {
      const response = await request(app).get(`/users?${query}`).set(headers);

      expect(ANSWERS.list).toContain(response.status);
    }),
  );
});

test("any body sent to sign up gets a documented answer", async () => {
  const app = t.app();
  await fc.assert(
    fc.asyncProperty(jsonBody, async (body) => {
      const response = await request(app).post("/users").set("Content-Type", "application/json").send(body);

      expect(ANSWERS.signUp).toContain(response.status);
    }),
  );
});

test("any body sent to rename yourself gets a documented answer", async () => {
  const app = t.app();
  const user = await t.createUser();
  const headers = t.signedInAs(user);
  await fc.assert(
    fc.asyncProperty(jsonBody, async (body) => {
      const response = await request(app).patch(`/users/${user.id}`).set(headers).set("Content-Type", "application/json").send(body);

      expect(ANSWERS.renameBody).toContain(response.status);
    }),
  );
});
