// Webhook delivery ids in a real Redis: one SET NX per id, expiring with the window.
import { RedisDeliveryLog } from "../../../src/webhooks/redis-deliveries";
import { useRedis } from "../../support/redis";

const PREFIX = "test:";
const redis = useRedis();
const log = () => new RedisDeliveryLog(redis.redis, { ttlSeconds: 600, prefix: PREFIX });

test("an id is new once, then a replay", async () => {
  expect(await log().remember("evt_1")).toBe(true);
  expect(await log().remember("evt_1")).toBe(false);
  expect(await log().remember("evt_2")).toBe(true);
});

test("the id lives under the app prefix for the window", async () => {
  await log().remember("evt_1");

  const left = await redis.redis.pttl(`${PREFIX}webhook:evt_1`);
  expect(left).toBeGreaterThan(595_000);
  expect(left).toBeLessThanOrEqual(600_000);
});

test("an expired id is new again", async () => {
  await log().remember("evt_1");
  await redis.redis.del(`${PREFIX}webhook:evt_1`); // what expiry does

  expect(await log().remember("evt_1")).toBe(true);
});
