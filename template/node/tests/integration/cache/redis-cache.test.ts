// The cache in a real Redis: hits, misses, expiry, and keys kept under the app's prefix.
import { Redis } from "ioredis";
import nock from "nock";

import { RedisCache } from "../../../src/cache/redis-cache";
import { CachedProfiles, ProfileClient } from "../../../src/clients/profiles";
import { PROFILE_API_URL } from "../../support/app";
import { useRedis } from "../../support/redis";

const PREFIX = "test:";
const redis = useRedis();
const cache = () => new RedisCache(redis.redis, PREFIX);

test("a miss is undefined and a stored value is a hit", async () => {
  expect(await cache().get("answer")).toBeUndefined();

  await cache().set("answer", { value: 42 }, 30);

  expect(await cache().get("answer")).toEqual({ value: 42 });
  const ttl = await redis.redis.pttl(`${PREFIX}cache:answer`);
  expect(ttl).toBeGreaterThan(25_000);
  expect(ttl).toBeLessThanOrEqual(30_000);
});

test("entries expire in Redis", async () => {
  // A time-to-live in milliseconds (2.9 s, not rounded to 2 or 3), with room for a stalled machine.
  await cache().set("short-lived", "x", 2.9);
  const ttl = await redis.redis.pttl(`${PREFIX}cache:short-lived`);
  expect(ttl).toBeGreaterThan(2000);
  expect(ttl).toBeLessThanOrEqual(2900);

  await redis.redis.pexpire(`${PREFIX}cache:short-lived`, 1); // its time is up now
  // Redis's own clock decides; wait for the key to go, bounded by a deadline.
  const deadline = Date.now() + 2000;
  while ((await redis.redis.exists(`${PREFIX}cache:short-lived`)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }

  expect(await cache().get("short-lived")).toBeUndefined();
});

test("cached profiles ask the API once per email", async () => {
  const scope = nock(PROFILE_API_URL).get(/^\/v1\/profiles\//).once().reply(200, { display_name: "Ada" });
  const profiles = new CachedProfiles(new ProfileClient(PROFILE_API_URL, 3000), cache(), 30);

  const first = await profiles.get("ada@example.com");
  const second = await profiles.get("ada@example.com");

  expect(first).toEqual({ displayName: "Ada", avatarUrl: null });
  expect(second).toEqual(first);
  expect(scope.isDone()).toBe(true);
});

test("cached profiles keep for their time-to-live", async () => {
  nock(PROFILE_API_URL).get(/^\/v1\/profiles\//).reply(200, { display_name: "Ada" });
  const profiles = new CachedProfiles(new ProfileClient(PROFILE_API_URL, 3000), cache(), 30);

  await profiles.get("ada@example.com");

  const ttl = await redis.redis.pttl(`${PREFIX}cache:profile:ada@example.com`);
  expect(ttl).toBeGreaterThan(25_000);
  expect(ttl).toBeLessThanOrEqual(30_000);
});

test("every key lives under the app's prefix", async () => {
  await cache().set("k", 1, 30);

  const keys = await redis.redis.keys("*");
  expect(keys.length).toBeGreaterThan(0);
  expect(keys.every((key) => key.startsWith(PREFIX))).toBe(true);
});

test("a worker's keys stay out of the database TEST_REDIS_URL names", async () => {
  await cache().set("worker-probe", 1, 30);

  const configured = new Redis(process.env.TEST_REDIS_URL!, { lazyConnect: true, maxRetriesPerRequest: 0 });
  const inConfigured = await configured.keys("*worker-probe").finally(() => configured.disconnect());

  expect(await redis.redis.keys("*worker-probe")).toHaveLength(1);
  expect(inConfigured).toEqual([]);
});
