// The activity stream in Redis Streams: the app appends every event it publishes, and
// consumer groups read it, each entry handled by one consumer of a group and acknowledged.
// An entry a consumer read but never acknowledged (it crashed, or its handler failed) stays
// pending; after `minIdleMs` another consumer of the group claims it (XAUTOCLAIM).
import type { Redis } from "ioredis";

import type { EventPayload, EventPublisher } from "./index";

export type StreamHandler = (name: string, payload: EventPayload) => void | Promise<void>;
// An entry as Redis returns it: its id and flat [field, value, ...] (null once trimmed away).
type Entry = [id: string, fields: string[] | null];

// Appends events to one stream, trimmed to about `maxLength` entries (MAXLEN ~).
export class ActivityStream {
  readonly client: Redis;
  readonly key: string;
  readonly maxLength: number;

  constructor(client: Redis, key: string, maxLength: number) {
    this.client = client;
    this.key = key;
    this.maxLength = maxLength;
  }

  async append(name: string, payload: EventPayload): Promise<string> {
    const id = await this.client.xadd(this.key, "MAXLEN", "~", this.maxLength, "*", "event", name, "payload", JSON.stringify(payload));
    return id!;
  }
}

// Appends each event to the activity stream, then hands it to the publisher it wraps.
export class StreamingPublisher implements EventPublisher {
  readonly inner: EventPublisher;
  readonly stream: ActivityStream;

  constructor(inner: EventPublisher, stream: ActivityStream) {
    this.inner = inner;
    this.stream = stream;
  }

  async publish(name: string, payload: EventPayload): Promise<void> {
    await this.stream.append(name, payload);
    await this.inner.publish(name, payload);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

// One named consumer of a consumer group: reads new entries, hands each to `handler` and
// acknowledges it when the handler succeeds. A failing handler leaves it pending.
export class StreamConsumer {
  readonly stream: ActivityStream;
  readonly group: string;
  readonly consumer: string;
  readonly minIdleMs: number;
  private readonly handler: StreamHandler;

  constructor(stream: ActivityStream, options: { group: string; consumer: string; handler: StreamHandler; minIdleMs: number }) {
    this.stream = stream;
    this.group = options.group;
    this.consumer = options.consumer;
    this.handler = options.handler;
    this.minIdleMs = options.minIdleMs;
  }

  // Creates the group (and the stream) if missing; safe to call from every consumer.
  async ensureGroup(): Promise<void> {
    try {
      await this.stream.client.xgroup("CREATE", this.stream.key, this.group, "0", "MKSTREAM");
    } catch (error) {
      if (!String(error).includes("BUSYGROUP")) {
        throw error;
      }
    }
  }

  // Handles entries never delivered to this group before; resolves to how many succeeded.
  async read(count = 10): Promise<number> {
    const reply = (await this.stream.client.xreadgroup(
      "GROUP", this.group, this.consumer, "COUNT", count, "STREAMS", this.stream.key, ">",
    )) as [key: string, entries: Entry[]][] | null;
    return this.handle((reply ?? []).flatMap(([, entries]) => entries));
  }

  // Takes over entries pending longer than `minIdleMs` on any consumer and handles them.
  async claimStale(count = 10): Promise<number> {
    const reply = (await this.stream.client.xautoclaim(
      this.stream.key, this.group, this.consumer, this.minIdleMs, "0-0", "COUNT", count,
    )) as [next: string, entries: Entry[]];
    return this.handle(reply[1]);
  }

  private async handle(entries: Entry[]): Promise<number> {
    let handled = 0;
    for (const [id, fields] of entries) {
      if (!fields) {
        continue; // trimmed away (MAXLEN) while pending: nothing left to handle
      }
      const values = new Map<string, string>();
      for (let i = 0; i < fields.length; i += 2) {
        values.set(fields[i]!, fields[i + 1]!);
      }
      try {
        await this.handler(values.get("event")!, JSON.parse(values.get("payload")!) as EventPayload);
      } catch {
        continue; // left pending: this or another consumer claims it again after minIdleMs
      }
      await this.stream.client.xack(this.stream.key, this.group, id);
      handled += 1;
    }
    return handled;
  }
}
