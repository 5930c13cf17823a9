const { connect } = require("amqplib");


// Events over RabbitMQ: a topic exchange, publisher confirms, and consumers that ack or nack.
// Declarations follow what RabbitMQ 4.3+ accepts: queues are exclusive or durable, and QoS
// is per consumer (never global).

function connectBroker(url, connectTimeoutMs) {
  return connect(url, { timeout: connectTimeoutMs });
}

async function declareExchange(channel, name) {
  await channel.assertExchange(name, "topic", { durable: true });
}

// Options for `assertQueue`: exclusive, or durable (optionally expiring when unused).
function queueOptions({ exclusive, expiresMs }) {
  const options = { durable: !exclusive, exclusive };
  if (expiresMs) {
    options.arguments = { "x-expires": expiresMs };
  }
  return options;
}

async function declareQueue(channel, name, { bindTo, routingKey = "#", exclusive = false, expiresMs }) {
  await channel.assertQueue(name, queueOptions({ exclusive, expiresMs }));
  await channel.bindQueue(name, bindTo, routingKey);
  return name;
}

// Consumes `queue`; returns the consumer tag. A handler that throws gets its message back
// once (nack + requeue); a message that fails again after redelivery is dropped (or
// dead-lettered, if the queue has a dead-letter exchange).
async function startConsumer(channel, queue, handler, prefetch = 1) {
  await channel.prefetch(prefetch); // per consumer: global QoS is gone in RabbitMQ 4.3
  const onMessage = async (message) => {
    if (message === null) {
      return; // the broker cancelled the consumer
    }
    try {
      await handler(message.fields.routingKey, JSON.parse(message.content.toString()));
    }
    catch {
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
class RabbitPublisher {
  constructor(url, exchange, connectTimeoutMs = 3000) {
    this.url = url;
    this.exchange = exchange;
    this.connectTimeoutMs = connectTimeoutMs;
  }

  open() {
    this.opening ??= (async () => {
      const connection = await connectBroker(this.url, this.connectTimeoutMs);
      connection.on("error", () => undefined); // surfaced through the next publish
      connection.on("close", () => {
        this.opening = undefined;
      });
      const channel = await connection.createConfirmChannel();
      await declareExchange(channel, this.exchange);
      return { connection, channel };
    })().catch((error) => {
      this.opening = undefined;
      throw error;
    });
    return this.opening;
  }

  async publish(name, payload) {
    const { channel } = await this.open();
    const body = Buffer.from(JSON.stringify(payload));
    channel.publish(this.exchange, name, body, { contentType: "application/json", persistent: true, type: name });
    await channel.waitForConfirms();
  }

  async close() {
    const opening = this.opening;
    this.opening = undefined;
    if (opening) {
      const { connection } = await opening.catch(() => ({ connection: undefined }));
      await connection?.close().catch(() => undefined);
    }
  }
}

module.exports = { connectBroker, declareExchange, queueOptions, declareQueue, startConsumer, RabbitPublisher };
