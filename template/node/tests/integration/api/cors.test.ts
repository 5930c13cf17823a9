// CORS: the allowed origin is echoed, any other gets no CORS headers, preflights included.
import request from "supertest";

import { ALLOWED_ORIGIN, useTestApp } from "../../support/app";

const t = useTestApp();

test("an allowed origin is echoed", async () => {
  const response = await request(t.app()).get("/health").set("Origin", ALLOWED_ORIGIN);

  expect(response.headers["access-control-allow-origin"]).toBe(ALLOWED_ORIGIN);
});

test("another origin gets no CORS headers", async () => {
  const response = await request(t.app()).get("/health").set("Origin", "https://evil.example.com");

  expect(response.headers["access-control-allow-origin"]).toBeUndefined();
});

test("a preflight lists what the browser may send", async () => {
  const response = await request(t.app())
    .options("/users")
    .set("Origin", ALLOWED_ORIGIN)
    .set("Access-Control-Request-Method", "POST")
    .set("Access-Control-Request-Headers", "Authorization, Content-Type");

  expect(response.status).toBe(204);
  expect(response.headers["access-control-allow-origin"]).toBe(ALLOWED_ORIGIN);
  expect(response.headers["access-control-allow-methods"]).toBe("GET,POST,PATCH,DELETE");
  expect(response.headers["access-control-allow-headers"]).toBe("Authorization,Content-Type");
});

test("a cross-origin answer lets the browser read Retry-After", async () => {
  const response = await request(t.app()).get("/health").set("Origin", ALLOWED_ORIGIN);

  expect(response.headers["access-control-expose-headers"]).toBe("Retry-After");
});

test("a preflight from another origin is not allowed", async () => {
  const response = await request(t.app())
    .options("/users")
    .set("Origin", "https://evil.example.com")
    .set("Access-Control-Request-Method", "POST");

  // Without Access-Control-Allow-Origin the browser refuses to send the request.
  expect(response.headers["access-control-allow-origin"]).toBeUndefined();
});
