// The rate limiter in a real Redis: a fixed window per client, started by its first hit only.
// Time is Redis's: a test moves a window on by shortening its counter's TTL, never by
// sleeping through it.
import { RedisRateLimiter } from "../../../src/ratelimit/redis-limiter";
import { useRedis } from "../../support/redis";

const PREFIX = "test:";
const LIMIT = 2;
const WINDOW_SECONDS = 60;
const redis = useRedis();
const limiter = () => new RedisRateLimiter(redis.redis, { limit: LIMIT, windowSeconds: WINDOW_SECONDS, prefix: PREFIX });
// The Redis key holding a client's hits in the current window.
const counter = (client: string) => `${PREFIX}ratelimit:${client}`;

test("the first hit starts the window and later hits leave it", async () => {
  await limiter().hit("ada");
  expect(await redis.redis.pttl(counter("ada"))).toBeGreaterThan(WINDOW_SECONDS * 1000 - 5000);
  await redis.redis.pexpire(counter("ada"), 30_000); // half the window has gone

  await limiter().hit("ada");
  await limiter().hit("ada");

  const left = await redis.redis.pttl(counter("ada"));
  expect(left).toBeGreaterThan(0);
  expect(left).toBeLessThanOrEqual(30_000); // not pushed back by the later hits
});

test("a refused client is told when its window ends", async () => {
  const allowed = [];
  for (let i = 0; i < LIMIT; i++) {
    allowed.push((await limiter().hit("ada")).allowed);
  }
  // 12.4 s of the window are left: Redis rounds that to 12 s, and still does after a 0.9 s stall.
  await redis.redis.pexpire(counter("ada"), 12_400);

  const refused = await limiter().hit("ada");

  expect(allowed).toEqual(Array(LIMIT).fill(true));
  expect(refused).toEqual({ allowed: false, retryAfter: 12 });
});

test("each client has its own window", async () => {
  for (let i = 0; i <= LIMIT; i++) {
    await limiter().hit("ada");
  }

  expect((await limiter().hit("bob")).allowed).toBe(true);
});

test("once the window ends the client may send again", async () => {
  for (let i = 0; i <= LIMIT; i++) {
    await limiter().hit("ada");
  }
  expect((await limiter().hit("ada")).allowed).toBe(false);

  await redis.redis.pexpire(counter("ada"), 1); // the window ends now
  // Redis's own clock removes the counter; wait for it, bounded by a deadline.
  const deadline = Date.now() + 2000;
  while ((await redis.redis.exists(counter("ada"))) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }

  expect((await limiter().hit("ada")).allowed).toBe(true);
});
