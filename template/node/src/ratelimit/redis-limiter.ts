// Fixed windows in Redis: one counter per client and window, shared by all app processes.
import type { Redis } from "ioredis";

import type { Decision, RateLimiter } from "./index";

export class RedisRateLimiter implements RateLimiter {
  readonly limit: number;
  readonly windowSeconds: number;
  private readonly client: Redis;
  private readonly prefix: string;

  constructor(client: Redis, options: { limit: number; windowSeconds: number; prefix: string }) {
    this.client = client;
    this.limit = options.limit;
    this.windowSeconds = options.windowSeconds;
    this.prefix = `${options.prefix}ratelimit:`;
  }

  async hit(key: string): Promise<Decision> {
    const counter = this.prefix + key;
    // NX: the first hit of a window starts its clock; later hits leave it alone.
    const results = await this.client.multi().incr(counter).expire(counter, this.windowSeconds, "NX").ttl(counter).exec();
    const hits = Number(results?.[0]?.[1]);
    const ttl = Number(results?.[2]?.[1]);
    if (hits <= this.limit) {
      return { allowed: true, retryAfter: 0 };
    }
    return { allowed: false, retryAfter: Math.max(1, ttl) };
  }
}
