// The external profile API, mocked at the HTTP boundary with nock.
import nock from "nock";
import request from "supertest";

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

test.each([
  ["a server error", (scope: nock.Interceptor) => scope.reply(502)],
  ["a network error", (scope: nock.Interceptor) => scope.replyWithError(new TypeError("fetch failed"))],
])("an unavailable API (%s) is 503", async (_case, fail) => {
  fail(nock(PROFILE_API_URL).get(PROFILES));
  const headers = await t.signedIn();
  const user = await t.createUser();

  const response = await request(t.app()).get(`/users/${user.id}/profile`).set(headers);

  expect(response.status).toBe(503);
  expect(response.body).toEqual({ detail: "Profile service unavailable" });
});

test("an unmocked request is caught even when the caller swallows the error", async () => {
  // Like app code that swallows every error:
  await fetch("https://unmocked.example.com/anything").catch(() => undefined);

  // Seen and asserted here; without this read, the afterEach guard fails this test.
  expect(takeUnmatched()).toEqual(["GET https://unmocked.example.com/anything"]);
});
