// Publish and consume through a real broker: the user.created event.
import request from "supertest";

import { declareQueue } from "../../../src/events/rabbitmq";
import { buildUser } from "../../factories/users";
import { useTestApp } from "../../support/app";
import { Inbox, useBroker } from "../../support/rabbitmq";

const t = useTestApp();
const broker = useBroker();

test("signing up publishes user.created", async () => {
  const exchange = await broker.exchange();
  const channel = await broker.channel();
  const queue = await declareQueue(channel, broker.queueName(), { bindTo: exchange, routingKey: "user.*", exclusive: true });
  t.deps.queue = broker.publisher(exchange);
  const payload = buildUser();

  const created = (await request(t.app()).post("/users").send(payload)).body;

  const inbox = new Inbox<{ key: string; body: unknown }>();
  const { consumerTag } = await channel.consume(queue, (message) => {
    if (message) {
      inbox.push({ key: message.fields.routingKey, body: JSON.parse(message.content.toString()) });
      channel.ack(message);
    }
  });
  broker.consumer(channel, consumerTag);
  const [received] = await inbox.waitFor(1);
  expect(received).toEqual({ key: "user.created", body: { id: created.id, email: payload.email } });
});

test("events are persistent JSON messages that name their type", async () => {
  const exchange = await broker.exchange();
  const channel = await broker.channel();
  const queue = await declareQueue(channel, broker.queueName(), { bindTo: exchange, exclusive: true });

  await broker.publisher(exchange).publish("user.created", { id: 1 });

  const message = await channel.get(queue, { noAck: true });
  expect(message && message.properties).toMatchObject({ contentType: "application/json", deliveryMode: 2, type: "user.created" });
});

test("the publisher declares its exchange itself, as a durable topic exchange", async () => {
  const exchange = broker.exchangeName();

  await broker.publisher(exchange).publish("user.created", { id: 1 });

  // Declaring an exchange again with other properties fails (PRECONDITION_FAILED): these are its own.
  const channel = await broker.channel();
  await expect(channel.assertExchange(exchange, "topic", { durable: true })).resolves.toEqual({ exchange });
});

test("messages are routed by topic", async () => {
  const exchange = await broker.exchange();
  const channel = await broker.channel();
  const usersOnly = await declareQueue(channel, broker.queueName(), { bindTo: exchange, routingKey: "user.*", exclusive: true });
  const everything = await declareQueue(channel, broker.queueName(), { bindTo: exchange, routingKey: "#", exclusive: true });
  const publisher = broker.publisher(exchange);

  await publisher.publish("order.placed", { id: 1 });
  await publisher.publish("user.deleted", { id: 2 });

  // Publisher confirms mean both messages are routed: count them in each queue.
  expect((await channel.checkQueue(everything)).messageCount).toBe(2);
  expect((await channel.checkQueue(usersOnly)).messageCount).toBe(1);
  const message = await channel.get(usersOnly, { noAck: true });
  expect(message && message.fields.routingKey).toBe("user.deleted");
});
