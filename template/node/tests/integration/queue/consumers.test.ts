// Consumers: a work queue shared by two, a failed message coming back once, and a message
// that keeps failing parked in a dead-letter queue.
import type { Channel, GetMessage } from "amqplib";

import { declareDeadLetterQueue, declareQueue, startConsumer } from "../../../src/events/rabbitmq";
import { Inbox, QUEUE_EXPIRES_MS, useBroker } from "../../support/rabbitmq";

const broker = useBroker();
const MESSAGES = 20;

test("two consumers share a work queue and each message is handled once", async () => {
  const exchange = await broker.exchange();
  // Durable with x-expires: a queue two consumers share cannot be exclusive.
  const queue = await declareQueue(await broker.channel(), broker.queueName(), {
    bindTo: exchange,
    routingKey: "job.#",
    expiresMs: QUEUE_EXPIRES_MS,
  });
  const handled = new Inbox<{ worker: string; n: number }>();
  for (const worker of ["a", "b"]) {
    const channel = await broker.channel();
    broker.consumer(channel, await startConsumer(channel, queue, (_name, payload) => handled.push({ worker, n: payload.n as number })));
  }
  const publisher = broker.publisher(exchange);

  for (let n = 0; n < MESSAGES; n++) {
    await publisher.publish("job.resize", { n });
  }
  const all = await handled.waitFor(MESSAGES);

  expect(all.map((item) => item.n).sort((x, y) => x - y)).toEqual(Array.from({ length: MESSAGES }, (_, n) => n));
  expect(all.some((item) => item.worker === "a")).toBe(true);
  expect(all.some((item) => item.worker === "b")).toBe(true);
});

test("a failed message is redelivered once, then handled", async () => {
  const exchange = await broker.exchange();
  const channel = await broker.channel();
  const queue = await declareQueue(channel, broker.queueName(), { bindTo: exchange, exclusive: true });
  const attempts = new Inbox<unknown>();
  const handled = new Inbox<unknown>();
  const flaky = (_name: string, payload: unknown) => {
    attempts.push(payload);
    if (attempts.items.length === 1) {
      throw new Error("temporary failure");
    }
    handled.push(payload);
  };
  broker.consumer(channel, await startConsumer(channel, queue, flaky));

  await broker.publisher(exchange).publish("user.created", { id: 7 });
  await handled.waitFor(1);

  expect(attempts.items).toEqual([{ id: 7 }, { id: 7 }]);
  expect(handled.items).toEqual([{ id: 7 }]);
});

test("a message that fails again after redelivery is dropped", async () => {
  const exchange = await broker.exchange();
  const channel = await broker.channel();
  const queue = await declareQueue(channel, broker.queueName(), { bindTo: exchange, exclusive: true });
  const attempts = new Inbox<unknown>();
  const tag = await startConsumer(channel, queue, (_name, payload) => {
    attempts.push(payload);
    throw new Error("permanent failure");
  });

  await broker.publisher(exchange).publish("user.created", { id: 8 });
  await attempts.waitFor(2);
  await channel.cancel(tag);

  expect(attempts.items).toHaveLength(2);
  expect((await channel.checkQueue(queue)).messageCount).toBe(0);
});

test("a message rejected twice lands in the dead-letter queue", async () => {
  const exchange = await broker.exchange();
  const deadLetterExchange = await broker.exchange();
  const channel = await broker.channel();
  const [source, deadLetters] = [broker.queueName(), broker.queueName()];
  await declareDeadLetterQueue(channel, deadLetters, { exchange: deadLetterExchange, sourceQueue: source, expiresMs: QUEUE_EXPIRES_MS });
  await declareQueue(channel, source, { bindTo: exchange, exclusive: true, deadLetterExchange });
  const attempts = new Inbox<unknown>();
  broker.consumer(
    channel,
    await startConsumer(channel, source, (_name, payload) => {
      attempts.push(payload);
      throw new Error("permanent failure");
    }),
  );

  await broker.publisher(exchange).publish("user.created", { id: 9 });
  const parked = await waitForMessage(channel, deadLetters);

  expect(JSON.parse(parked.content.toString())).toEqual({ id: 9 });
  const [death] = parked.properties.headers?.["x-death"] ?? [];
  expect(death).toMatchObject({ reason: "rejected", queue: source, count: 1, "routing-keys": ["user.created"] });
  expect(attempts.items).toHaveLength(2); // the first rejection requeues, the second dead-letters
  expect((await channel.checkQueue(source)).messageCount).toBe(0);
});

// Polls `queue` with basic.get until a message is there (at most 5 s).
async function waitForMessage(channel: Channel, queue: string): Promise<GetMessage> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const message = await channel.get(queue, { noAck: true });
    if (message) {
      return message;
    }
    if (Date.now() > deadline) {
      throw new Error(`no message in ${queue} within 5 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
