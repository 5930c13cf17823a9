// Fixed windows in Redis: one counter per client and window, shared by all app processes.
class RedisRateLimiter {
  constructor(client, options) {
    this.client = client;
    this.limit = options.limit;
    this.windowSeconds = options.windowSeconds;
    this.prefix = `${options.prefix}ratelimit:`;
  }

  async hit(key) {
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

module.exports = { RedisRateLimiter };
