// The cache in Redis: shared by every process of the app, expiry kept by Redis.
import type { Redis } from "ioredis";

import type { Cache } from "./index";

export class RedisCache implements Cache {
  private readonly client: Redis;
  private readonly prefix: string;

  constructor(client: Redis, prefix: string) {
    this.client = client;
    this.prefix = `${prefix}cache:`;
  }

  async get<T>(key: string): Promise<T | undefined> {
    const payload = await this.client.get(this.prefix + key);
    return payload === null ? undefined : (JSON.parse(payload) as T);
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    await this.client.set(this.prefix + key, JSON.stringify(value), "PX", Math.max(1, Math.round(ttlSeconds * 1000)));
  }
}
