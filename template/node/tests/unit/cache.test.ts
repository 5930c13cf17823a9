// MemoryCache expiry, on an injected clock instead of waiting.
import { MemoryCache } from "../../src/cache";

test("entries expire after their time-to-live", async () => {
  let now = 0;
  const cache = new MemoryCache(() => now);
  await cache.set("k", { v: 1 }, 10);

  now = 9_999;
  expect(await cache.get("k")).toEqual({ v: 1 });
  now = 10_000;
  expect(await cache.get("k")).toBeUndefined();
});
