"""Events over RabbitMQ: a topic exchange, publisher confirms, and a consumer that acks or nacks.

Declarations follow what RabbitMQ 4.3+ accepts: queues are exclusive or durable, QoS is
per consumer (never global).
"""

import json
import threading
from collections.abc import Callable
from typing import Any

import pika
from pika.adapters.blocking_connection import BlockingChannel


def connection_parameters(url: str, *, connect_timeout: float = 3.0) -> pika.URLParameters:
    params = pika.URLParameters(url)
    params.connection_attempts = 1
    params.socket_timeout = connect_timeout
    params.stack_timeout = connect_timeout * 2
    params.blocked_connection_timeout = connect_timeout * 10
    return params


def declare_exchange(channel: BlockingChannel, name: str) -> None:
    channel.exchange_declare(name, exchange_type="topic", durable=True)


def queue_arguments(
    *,
    exclusive: bool,
    expires_ms: int | None = None,
    dead_letter_exchange: str | None = None,
    dead_letter_routing_key: str | None = None,
) -> dict[str, Any]:
    """Keyword arguments for `queue_declare`: exclusive, or durable (optionally self-expiring),
    optionally sending rejected messages to a dead-letter exchange under a routing key."""
    arguments: dict[str, Any] = {}
    if expires_ms:
        arguments["x-expires"] = expires_ms
    if dead_letter_exchange:
        arguments["x-dead-letter-exchange"] = dead_letter_exchange
        if dead_letter_routing_key:
            arguments["x-dead-letter-routing-key"] = dead_letter_routing_key
    return {"durable": not exclusive, "exclusive": exclusive, "arguments": arguments or None}


def declare_queue(
    channel: BlockingChannel,
    name: str,
    *,
    bind_to: str,
    routing_key: str = "#",
    exclusive: bool = False,
    expires_ms: int | None = None,
    dead_letter_exchange: str | None = None,
) -> str:
    """Declares and binds a queue. With `dead_letter_exchange`, a message rejected without
    requeue goes there under the queue's own name (see `declare_dead_letter_queue`).

    A queue's arguments are fixed when it is first declared: declaring it again with others
    fails (PRECONDITION_FAILED), so adding a dead-letter exchange means a new queue name."""
    arguments = queue_arguments(
        exclusive=exclusive,
        expires_ms=expires_ms,
        dead_letter_exchange=dead_letter_exchange,
        dead_letter_routing_key=name if dead_letter_exchange else None,
    )
    channel.queue_declare(name, **arguments)
    channel.queue_bind(name, bind_to, routing_key=routing_key)
    return name


def declare_dead_letter_queue(
    channel: BlockingChannel, name: str, *, exchange: str, source_queue: str, expires_ms: int | None = None
) -> str:
    """Declares the dead-letter exchange and a durable queue on it that keeps what
    `source_queue` rejects, for a person or a repair job to look at (and replay)."""
    declare_exchange(channel, exchange)
    return declare_queue(channel, name, bind_to=exchange, routing_key=source_queue, expires_ms=expires_ms)


Handler = Callable[[str, dict[str, Any]], None]


def start_consumer(channel: BlockingChannel, queue: str, handler: Handler, *, prefetch: int = 1) -> str:
    """Consume `queue` on `channel`; returns the consumer tag.

    A handler that raises gets its message back once (nack + requeue); a message that
    fails again after redelivery is rejected for good: dead-lettered if the queue has a
    dead-letter exchange, dropped otherwise.
    """
    channel.basic_qos(prefetch_count=prefetch)  # per consumer; global QoS is gone in RabbitMQ 4.3

    def on_message(ch: BlockingChannel, method: Any, _properties: Any, body: bytes) -> None:
        try:
            handler(method.routing_key, json.loads(body))
        except Exception:
            ch.basic_nack(method.delivery_tag, requeue=not method.redelivered)
        else:
            ch.basic_ack(method.delivery_tag)

    tag: str = channel.basic_consume(queue, on_message)
    return tag


class RabbitPublisher:
    """Publishes JSON events to a topic exchange, waiting for the broker's confirm.

    One connection, opened on first use and reopened after a failure; a lock serialises
    publishes because pika's BlockingConnection is not thread-safe.
    """

    def __init__(self, url: str, exchange: str, *, connect_timeout: float = 3.0) -> None:
        self.exchange = exchange
        self._params = connection_parameters(url, connect_timeout=connect_timeout)
        self._connection: pika.BlockingConnection | None = None
        self._channel: BlockingChannel | None = None
        self._lock = threading.Lock()

    def _open_channel(self) -> BlockingChannel:
        if self._channel is None or self._channel.is_closed:
            self.close()
            self._connection = pika.BlockingConnection(self._params)
            self._channel = self._connection.channel()
            self._channel.confirm_delivery()
            declare_exchange(self._channel, self.exchange)
        return self._channel

    def publish(self, name: str, payload: dict[str, Any]) -> None:
        body = json.dumps(payload).encode()
        properties = pika.BasicProperties(content_type="application/json", delivery_mode=2, type=name)
        with self._lock:
            try:
                self._open_channel().basic_publish(self.exchange, name, body, properties, mandatory=False)
            except pika.exceptions.AMQPError:
                self.close()
                raise

    def close(self) -> None:
        if self._connection is not None and self._connection.is_open:
            self._connection.close()
        self._connection = None
        self._channel = None
