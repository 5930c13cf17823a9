// Delivery ids in Redis: SET NX with an expiry, shared by every process of the app.
import type { Redis } from "ioredis";

import type { DeliveryLog } from "./index";

export class RedisDeliveryLog implements DeliveryLog {
  readonly ttlSeconds: number;
  private readonly client: Redis;
  private readonly prefix: string;

  constructor(client: Redis, options: { ttlSeconds: number; prefix: string }) {
    this.client = client;
    this.ttlSeconds = options.ttlSeconds;
    this.prefix = `${options.prefix}webhook:`;
  }

  async remember(deliveryId: string): Promise<boolean> {
    // NX: only the first SET of an id answers OK (null otherwise), atomically across processes.
    const stored = await this.client.set(this.prefix + deliveryId, "1", "EX", this.ttlSeconds, "NX");
    return stored === "OK";
  }
}
