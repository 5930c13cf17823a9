// The in-memory delivery log: a replay is seen within the window, and the log stays bounded.
import { MemoryDeliveryLog } from "../../src/webhooks";

function clockAt(seconds: number) {
  const clock = { now: seconds * 1000, read: () => clock.now };
  return clock;
}

test("an id is new once, then a replay within the window", async () => {
  const clock = clockAt(1000);
  const log = new MemoryDeliveryLog({ ttlSeconds: 600, clock: clock.read });

  expect(await log.remember("evt_1")).toBe(true);
  clock.now += 599_000;
  expect(await log.remember("evt_1")).toBe(false);
});

test("an id is forgotten after the window", async () => {
  const clock = clockAt(1000);
  const log = new MemoryDeliveryLog({ ttlSeconds: 600, clock: clock.read });
  await log.remember("evt_1");

  clock.now += 600_000;

  expect(await log.remember("evt_1")).toBe(true);
});

test("past its bound the oldest ids go first", async () => {
  const log = new MemoryDeliveryLog({ ttlSeconds: 600, maxEntries: 2, clock: clockAt(1000).read });
  for (const id of ["evt_1", "evt_2", "evt_3"]) {
    await log.remember(id);
  }

  expect(await log.remember("evt_3")).toBe(false);
  expect(await log.remember("evt_2")).toBe(false);
  expect(await log.remember("evt_1")).toBe(true);
});
