// RabbitMQ 4.3 refuses non-durable non-exclusive queues and global QoS, while older brokers
// (like many local ones) accept them: so the declarations are checked here.
import type { Channel } from "amqplib";

import { declareDeadLetterQueue, declareQueue, queueOptions, startConsumer } from "../../src/events/rabbitmq";

// Stands in for an amqplib channel and records the calls a declaration makes.
function recordingChannel() {
  const calls: { method: string; args: unknown[] }[] = [];
  const channel = new Proxy(
    {},
    {
      get: (_target, method: string) => async (...args: unknown[]) => {
        calls.push({ method, args });
        return { consumerTag: "tag" };
      },
    },
  ) as Channel;
  return { channel, calls };
}

test("queues are exclusive or durable", () => {
  for (const exclusive of [true, false]) {
    const options = queueOptions({ exclusive });
    expect(options.exclusive || options.durable).toBe(true);
  }
});

test("test queues can expire on their own", () => {
  expect(queueOptions({ exclusive: false, expiresMs: 60_000 })).toEqual({
    durable: true,
    exclusive: false,
    arguments: { "x-expires": 60_000 },
  });
});

test("declareQueue passes the safe options", async () => {
  const { channel, calls } = recordingChannel();

  await declareQueue(channel, "q", { bindTo: "ex", routingKey: "user.*" });

  expect(calls).toEqual([
    { method: "assertQueue", args: ["q", { durable: true, exclusive: false }] },
    { method: "bindQueue", args: ["q", "ex", "user.*"] },
  ]);
});

test("a queue with a dead-letter exchange sends rejects there under its own name", async () => {
  const { channel, calls } = recordingChannel();

  await declareQueue(channel, "orders", { bindTo: "ex", exclusive: true, deadLetterExchange: "dlx" });

  expect(calls[0]).toEqual({
    method: "assertQueue",
    args: ["orders", { durable: false, exclusive: true, arguments: { "x-dead-letter-exchange": "dlx", "x-dead-letter-routing-key": "orders" } }],
  });
});

test("the dead-letter queue is durable and bound to the source queue's name", async () => {
  const { channel, calls } = recordingChannel();

  await declareDeadLetterQueue(channel, "orders.dead", { exchange: "dlx", sourceQueue: "orders" });

  expect(calls).toEqual([
    { method: "assertExchange", args: ["dlx", "topic", { durable: true }] },
    { method: "assertQueue", args: ["orders.dead", { durable: true, exclusive: false }] },
    { method: "bindQueue", args: ["orders.dead", "dlx", "orders"] },
  ]);
});

test("consumers use per-consumer QoS", async () => {
  const { channel, calls } = recordingChannel();

  await startConsumer(channel, "q", () => undefined);

  expect(calls[0]).toEqual({ method: "prefetch", args: [1] });
});
