// Events over RabbitMQ: a topic exchange, publisher confirms, and consumers that ack or nack.
// Declarations follow what RabbitMQ 4.3+ accepts: queues are exclusive or durable, and QoS
// is per consumer (never global).
import { connect, type Channel, type ChannelModel, type ConfirmChannel, type ConsumeMessage, type Options } from "amqplib";

import type { EventPayload, EventPublisher } from "./index";

export function connectBroker(url: string, connectTimeoutMs: number): Promise<ChannelModel> {
  return connect(url, { timeout: connectTimeoutMs });
}

export async function declareExchange(channel: Channel, name: string): Promise<void> {
  await channel.assertExchange(name, "topic", { durable: true });
}

// Options for `assertQueue`: exclusive, or durable (optionally expiring when unused),
// optionally sending rejected messages to a dead-letter exchange under a routing key.
export function queueOptions({
  exclusive,
  expiresMs,
  deadLetterExchange,
  deadLetterRoutingKey,
}: {
  exclusive: boolean;
  expiresMs?: number;
  deadLetterExchange?: string;
  deadLetterRoutingKey?: string;
}): Options.AssertQueue {
  const options: Options.AssertQueue = { durable: !exclusive, exclusive };
  const args: Record<string, unknown> = {};
  if (expiresMs) {
    args["x-expires"] = expiresMs;
  }
  if (deadLetterExchange) {
    args["x-dead-letter-exchange"] = deadLetterExchange;
    if (deadLetterRoutingKey) {
      args["x-dead-letter-routing-key"] = deadLetterRoutingKey;
    }
  }
  if (Object.keys(args).length > 0) {
    options.arguments = args;
  }
  return options;
}

// Declares and binds a queue. With `deadLetterExchange`, a message rejected without requeue
// goes there under the queue's own name (see declareDeadLetterQueue). A queue's arguments are
// fixed when it is first declared: declaring it again with others fails (PRECONDITION_FAILED),
// so adding a dead-letter exchange means a new queue name.
export async function declareQueue(
  channel: Channel,
  name: string,
  {
    bindTo,
    routingKey = "#",
    exclusive = false,
    expiresMs,
    deadLetterExchange,
  }: { bindTo: string; routingKey?: string; exclusive?: boolean; expiresMs?: number; deadLetterExchange?: string },
): Promise<string> {
  const deadLetterRoutingKey = deadLetterExchange ? name : undefined;
  await channel.assertQueue(name, queueOptions({ exclusive, expiresMs, deadLetterExchange, deadLetterRoutingKey }));
  await channel.bindQueue(name, bindTo, routingKey);
  return name;
}

// Declares the dead-letter exchange and a durable queue on it that keeps what `sourceQueue`
// rejects, for a person or a repair job to look at (and replay).
export async function declareDeadLetterQueue(
  channel: Channel,
  name: string,
  { exchange, sourceQueue, expiresMs }: { exchange: string; sourceQueue: string; expiresMs?: number },
): Promise<string> {
  await declareExchange(channel, exchange);
  return declareQueue(channel, name, { bindTo: exchange, routingKey: sourceQueue, expiresMs });
}

export type Handler = (name: string, payload: EventPayload) => void | Promise<void>;

// Consumes `queue`; returns the consumer tag. A handler that throws gets its message back
// once (nack + requeue); a message that fails again after redelivery is rejected for good:
// dead-lettered if the queue has a dead-letter exchange, dropped otherwise.
export async function startConsumer(channel: Channel, queue: string, handler: Handler, prefetch = 1): Promise<string> {
  await channel.prefetch(prefetch); // per consumer: global QoS is gone in RabbitMQ 4.3
  const onMessage = async (message: ConsumeMessage | null): Promise<void> => {
    if (message === null) {
      return; // the broker cancelled the consumer
    }
    try {
      await handler(message.fields.routingKey, JSON.parse(message.content.toString()) as EventPayload);
    } catch {
      channel.nack(message, false, !message.fields.redelivered);
      return;
    }
    channel.ack(message);
  };
  const { consumerTag } = await channel.consume(queue, (message) => void onMessage(message));
  return consumerTag;
}

// Publishes JSON events to a topic exchange and waits for the broker's confirm.
// One connection, opened on first use and reopened after a failure.
export class RabbitPublisher implements EventPublisher {
  readonly exchange: string;
  private readonly url: string;
  private readonly connectTimeoutMs: number;
  private opening: Promise<{ connection: ChannelModel; channel: ConfirmChannel }> | undefined;

  constructor(url: string, exchange: string, connectTimeoutMs = 3000) {
    this.url = url;
    this.exchange = exchange;
    this.connectTimeoutMs = connectTimeoutMs;
  }

  private open(): Promise<{ connection: ChannelModel; channel: ConfirmChannel }> {
    this.opening ??= (async () => {
      const connection = await connectBroker(this.url, this.connectTimeoutMs);
      connection.on("error", () => undefined); // surfaced through the next publish
      connection.on("close", () => {
        this.opening = undefined;
      });
      const channel = await connection.createConfirmChannel();
      await declareExchange(channel, this.exchange);
      return { connection, channel };
    })().catch((error: unknown) => {
      this.opening = undefined;
      throw error;
    });
    return this.opening;
  }

  async publish(name: string, payload: EventPayload): Promise<void> {
    const { channel } = await this.open();
    const body = Buffer.from(JSON.stringify(payload));
    channel.publish(this.exchange, name, body, { contentType: "application/json", persistent: true, type: name });
    await channel.waitForConfirms();
  }

  async close(): Promise<void> {
    const opening = this.opening;
    this.opening = undefined;
    if (opening) {
      const { connection } = await opening.catch(() => ({ connection: undefined }));
      await connection?.close().catch(() => undefined);
    }
  }
}
