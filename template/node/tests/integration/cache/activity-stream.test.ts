// The activity stream in a real Redis: a consumer group reads, acknowledges, and takes over
// what a dead consumer left pending. This worker's database is emptied before every test.
import request from "supertest";

import type { EventPayload } from "../../../src/events";
import { ActivityStream, StreamConsumer, type StreamHandler } from "../../../src/events/redis-stream";
import { buildUser } from "../../factories/users";
import { useTestApp } from "../../support/app";

const t = useTestApp();
const GROUP = "mailer";
const MIN_IDLE_MS = 30_000; // realistic: a test ages an entry instead of waiting (see below)

const stream = (maxLength = 1000) => new ActivityStream(t.redis.redis, `${t.config.redisKeyPrefix}activity`, maxLength);

async function consumer(name: string, handler: StreamHandler = () => undefined): Promise<StreamConsumer> {
  const member = new StreamConsumer(stream(), { group: GROUP, consumer: name, handler, minIdleMs: MIN_IDLE_MS });
  await member.ensureGroup();
  return member;
}

async function pending(): Promise<number> {
  const [count] = (await t.redis.redis.xpending(stream().key, GROUP)) as [number];
  return count;
}

test("an entry is added, read and acknowledged", async () => {
  const received: [string, EventPayload][] = [];
  const reader = await consumer("a", (name, payload) => {
    received.push([name, payload]);
  });

  await stream().append("user.created", { id: 1 });

  expect(await reader.read()).toBe(1);
  expect(received).toEqual([["user.created", { id: 1 }]]);
  expect(await pending()).toBe(0);
  expect(await reader.read()).toBe(0); // an acknowledged entry is not delivered again
});

test("a failing handler leaves the entry pending", async () => {
  const reader = await consumer("a", () => {
    throw new Error("mail server down");
  });
  await stream().append("user.created", { id: 2 });

  expect(await reader.read()).toBe(0);
  expect(await pending()).toBe(1);
});

test("a dead consumer's entry is claimed by another after the idle time", async () => {
  await consumer("dead");
  await stream().append("user.created", { id: 3 });
  // The dead consumer read the entry and crashed before acknowledging it.
  await t.redis.redis.xreadgroup("GROUP", GROUP, "dead", "STREAMS", stream().key, ">");
  const received: EventPayload[] = [];
  const survivor = await consumer("survivor", (_name, payload) => {
    received.push(payload);
  });

  expect(await survivor.claimStale()).toBe(0); // not idle long enough yet
  // The idle time passes on Redis's clock, without sleeping: XCLAIM's IDLE sets how long the
  // entry has waited (JUSTID: the dead consumer keeps it, its delivery count unchanged).
  const id = (await t.redis.redis.xrange(stream().key, "-", "+"))[0]![0];
  await t.redis.redis.xclaim(stream().key, GROUP, "dead", 0, id, "IDLE", MIN_IDLE_MS, "JUSTID");
  expect(await survivor.claimStale()).toBe(1);

  expect(received).toEqual([{ id: 3 }]);
  expect(await pending()).toBe(0);
});

test("creating the group twice is harmless", async () => {
  await (await consumer("a")).ensureGroup();

  const groups = (await t.redis.redis.xinfo("GROUPS", stream().key)) as unknown[][];
  expect(groups.map((group) => group[group.indexOf("name") + 1])).toEqual([GROUP]);
});

test("the stream is trimmed to about its maximum length", async () => {
  const short = stream(10);
  for (let n = 0; n < 500; n++) {
    await short.append("user.created", { id: n });
  }

  expect(await t.redis.redis.xlen(short.key)).toBeLessThan(500);
});

test("signing up appends to the activity stream", async () => {
  const payload = buildUser();

  const created = (await request(t.app()).post("/users").send(payload)).body;

  const entries = await t.redis.redis.xrange(stream().key, "-", "+");
  expect(entries).toHaveLength(1);
  const [, fields] = entries[0]!;
  expect(fields[1]).toBe("user.created");
  expect(JSON.parse(fields[3]!)).toEqual({ id: created.id, email: payload.email });
});
