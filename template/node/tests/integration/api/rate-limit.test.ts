// Rate limiting over HTTP: 429 with Retry-After past the limit, and only on the limited routes.
import request from "supertest";

import { useTestApp } from "../../support/app";

const t = useTestApp();

test("the request over the limit gets 429 with Retry-After", async () => {
  const headers = await t.signedIn();
  t.limitRequests(3, 60);
  const app = t.app();

  const statuses = [];
  for (let i = 0; i < 3; i++) {
    statuses.push((await request(app).get("/users").set(headers)).status);
  }
  const refused = await request(app).get("/users").set(headers);

  expect(statuses).toEqual([200, 200, 200]);
  expect(refused.status).toBe(429);
  expect(Number(refused.headers["retry-after"])).toBeGreaterThanOrEqual(1);
  expect(Number(refused.headers["retry-after"])).toBeLessThanOrEqual(60);
  expect(refused.body).toEqual({ detail: "Too many requests: try again later." });
});

test("routes outside the limited API stay open", async () => {
  t.limitRequests(1);
  const app = t.app();

  const statuses = [];
  for (let i = 0; i < 3; i++) {
    statuses.push((await request(app).get("/health")).status);
  }

  expect(statuses).toEqual([200, 200, 200]);
});
