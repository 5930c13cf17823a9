// The external profile API, mocked at the HTTP boundary with nock.
import nock from "nock";
import request from "supertest";

import { ProfileClient } from "../../../src/clients/profiles";
import profiles from "../../fixtures/profiles.json";
import { takeUnmatched } from "../../setup/outbound-http";
import { PROFILE_API_URL, useTestApp } from "../../support/app";

const t = useTestApp();
const PROFILES = /^\/v1\/profiles\/[0-9a-f]{64}$/;

test("a profile comes from the API", async () => {
  nock(PROFILE_API_URL).get(PROFILES).reply(200, profiles.found);
  const headers = await t.signedIn();
  const user = await t.createUser();

  const response = await request(t.app()).get(`/users/${user.id}/profile`).set(headers);

  expect(response.status).toBe(200);
  expect(response.body).toEqual({ userId: user.id, displayName: "Ada L.", avatarUrl: "https://avatars.example.com/ada.png" });
});

test("without a profile the user's own name is shown", async () => {
  nock(PROFILE_API_URL).get(PROFILES).reply(404);
  const headers = await t.signedIn();
  const user = await t.createUser();

  const response = await request(t.app()).get(`/users/${user.id}/profile`).set(headers);

  expect(response.body).toEqual({ userId: user.id, displayName: user.fullName, avatarUrl: null });
});

test("profiles are cached between requests", async () => {
  const scope = nock(PROFILE_API_URL).get(PROFILES).once().reply(200, profiles.without_avatar);
  const app = t.app();
  const headers = await t.signedIn();
  const user = await t.createUser();

  const first = await request(app).get(`/users/${user.id}/profile`).set(headers);
  const second = await request(app).get(`/users/${user.id}/profile`).set(headers);

  expect(second.body).toEqual(first.body);
  expect(first.body.displayName).toBe("Grace H.");
  expect(scope.isDone()).toBe(true);
});

const HTTP_DATE = "Wed, 21 Oct 2026 07:28:00 GMT";

// One way the external API can fail, mocked on a nock interceptor.
type Failure = (scope: nock.Interceptor) => nock.Scope;

async function profileAnswer(fail: Failure): Promise<request.Response> {
  fail(nock(PROFILE_API_URL).get(PROFILES));
  const headers = await t.signedIn();
  const user = await t.createUser();
  return request(t.app()).get(`/users/${user.id}/profile`).set(headers);
}

test.each<[string, Failure]>([
  ["a server error", (scope) => scope.reply(500)],
  ["the first server error, 500, with a Retry-After", (scope) => scope.reply(500, "", { "Retry-After": "120" })],
  ["501", (scope) => scope.reply(501)],
  ["a bad gateway", (scope) => scope.reply(502)],
  ["a network error", (scope) => scope.replyWithError(new TypeError("fetch failed"))],
])("an unavailable API (%s) is 503", async (_case, fail) => {
  const response = await profileAnswer(fail);

  expect(response.status).toBe(503);
  expect(response.body).toEqual({ detail: "Profile service unavailable" });
  expect(response.headers["retry-after"]).toBeUndefined();
});

test.each<[string, Failure, string, string | undefined]>([
  ["503 with Retry-After", (scope) => scope.reply(503, "", { "Retry-After": "120" }), "Profile service unavailable", "120"],
  ["429 with Retry-After", (scope) => scope.reply(429, "", { "Retry-After": "30" }), "Profile service is rate-limiting requests", "30"],
  ["429 with Retry-After as a date", (scope) => scope.reply(429, "", { "Retry-After": HTTP_DATE }), "Profile service is rate-limiting requests", HTTP_DATE],
  ["429 without Retry-After", (scope) => scope.reply(429), "Profile service is rate-limiting requests", undefined],
  ["429 with a garbled Retry-After", (scope) => scope.reply(429, "", { "Retry-After": "soon" }), "Profile service is rate-limiting requests", undefined],
  ["429 with a Retry-After that only ends in seconds", (scope) => scope.reply(429, "", { "Retry-After": "in 30" }), "Profile service is rate-limiting requests", undefined],
  ["429 with a Retry-After that only starts with seconds", (scope) => scope.reply(429, "", { "Retry-After": "30 s" }), "Profile service is rate-limiting requests", undefined],
  ["503 without Retry-After", (scope) => scope.reply(503), "Profile service unavailable", undefined],
])("an API answering %s is 503, passing on a valid Retry-After", async (_case, fail, detail, retryAfter) => {
  const response = await profileAnswer(fail);

  expect(response.status).toBe(503);
  expect(response.body).toEqual({ detail });
  expect(response.headers["retry-after"]).toBe(retryAfter);
});

test.each<[string, Failure, string]>([
  ["403", (scope) => scope.reply(403, { error: "forbidden" }), "Profile service rejected the request"],
  ["400", (scope) => scope.reply(400), "Profile service rejected the request"],
  ["499, the last client error", (scope) => scope.reply(499), "Profile service rejected the request"],
  ["a body that is not JSON", (scope) => scope.reply(200, "<html>maintenance</html>"), "Profile service sent a malformed answer"],
  ["JSON without a display name", (scope) => scope.reply(200, { name: "Ada" }), "Profile service sent a malformed answer"],
  ["a display name that is not text", (scope) => scope.reply(200, { display_name: 42 }), "Profile service sent a malformed answer"],
])("an API answering %s is 502", async (_case, fail, detail) => {
  const response = await profileAnswer(fail);

  expect(response.status).toBe(502);
  expect(response.body).toEqual({ detail });
});

test("an API slower than the client's time limit is 504", async () => {
  t.deps.profiles = new ProfileClient(PROFILE_API_URL, 50);
  nock(PROFILE_API_URL).get(PROFILES).delay(1000).reply(200, profiles.found);
  const headers = await t.signedIn();
  const user = await t.createUser();

  const started = Date.now();
  const response = await request(t.app()).get(`/users/${user.id}/profile`).set(headers);

  expect(response.status).toBe(504);
  expect(response.body).toEqual({ detail: "Profile service timed out" });
  expect(Date.now() - started).toBeLessThan(1000);
});

test("a missing profile is cached too: the API is asked once", async () => {
  nock(PROFILE_API_URL).get(PROFILES).once().reply(404);
  const app = t.app();
  const headers = await t.signedIn();
  const user = await t.createUser();

  await request(app).get(`/users/${user.id}/profile`).set(headers);
  const again = await request(app).get(`/users/${user.id}/profile`).set(headers); // no second answer mocked

  expect(again.status).toBe(200);
  expect(again.body).toEqual({ userId: user.id, displayName: user.fullName, avatarUrl: null });
});

test("failures are not cached: the next request asks the API again", async () => {
  nock(PROFILE_API_URL).get(PROFILES).reply(503).get(PROFILES).reply(200, profiles.found);
  const app = t.app();
  const headers = await t.signedIn();
  const user = await t.createUser();

  const failed = await request(app).get(`/users/${user.id}/profile`).set(headers);
  const retried = await request(app).get(`/users/${user.id}/profile`).set(headers);

  expect([failed.status, retried.status]).toEqual([503, 200]);
  expect(retried.body.displayName).toBe("Ada L.");
});

test("an unmocked request is caught even when the caller swallows the error", async () => {
  // Like app code that swallows every error:
  await fetch("https://unmocked.example.com/anything").catch(() => undefined);

  // Seen and asserted here; without this read, the afterEach guard fails this test.
  expect(takeUnmatched()).toEqual(["GET https://unmocked.example.com/anything"]);
});
