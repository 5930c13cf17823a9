// The in-memory limiter: counts per client and per fixed window, on an injected clock.
import type { Request, Response } from "express";

import { MemoryRateLimiter, rateLimited } from "../../src/ratelimit";

function clockAt(seconds: number) {
  const clock = { now: seconds * 1000, read: () => clock.now };
  return clock;
}

test("allows the limit, then refuses until the window ends", async () => {
  const clock = clockAt(1000);
  const limiter = new MemoryRateLimiter({ limit: 2, windowSeconds: 60, clock: clock.read });

  expect((await limiter.hit("a")).allowed).toBe(true);
  expect((await limiter.hit("a")).allowed).toBe(true);
  const refused = await limiter.hit("a");

  expect(refused.allowed).toBe(false);
  expect(refused.retryAfter).toBe(20); // window [960, 1020) ends in 20 s
});

test("clients are counted separately", async () => {
  const limiter = new MemoryRateLimiter({ limit: 1, windowSeconds: 60, clock: clockAt(1000).read });

  expect((await limiter.hit("a")).allowed).toBe(true);
  expect((await limiter.hit("b")).allowed).toBe(true);
  expect((await limiter.hit("a")).allowed).toBe(false);
});

test("a new window starts a new count", async () => {
  const clock = clockAt(1000);
  const limiter = new MemoryRateLimiter({ limit: 1, windowSeconds: 60, clock: clock.read });
  await limiter.hit("a");
  expect((await limiter.hit("a")).allowed).toBe(false);

  clock.now = 1020 * 1000;

  expect((await limiter.hit("a")).allowed).toBe(true);
});

test("the middleware counts each client address on its own, and refuses with a 429", async () => {
  const limiter = new MemoryRateLimiter({ limit: 1, windowSeconds: 60, clock: clockAt(1000).read });
  const middleware = rateLimited(limiter);
  // Whether a request from `ip` gets past the middleware (it throws when refused).
  const passes = async (ip: string) => {
    let passed = false;
    await middleware({ ip } as Request, {} as Response, () => {
      passed = true;
    });
    return passed;
  };

  expect(await passes("10.0.0.1")).toBe(true);
  expect(await passes("10.0.0.2")).toBe(true);
  await expect(passes("10.0.0.1")).rejects.toMatchObject({ status: 429, headers: { "Retry-After": "20" } });
});
