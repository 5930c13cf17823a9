// The cache in Redis: shared by every process of the app, expiry kept by Redis.
class RedisCache {
  constructor(client, prefix) {
    this.client = client;
    this.prefix = `${prefix}cache:`;
  }

  async get(key) {
    const payload = await this.client.get(this.prefix + key);
    return payload === null ? undefined : JSON.parse(payload);
  }

  async set(key, value, ttlSeconds) {
    await this.client.set(this.prefix + key, JSON.stringify(value), "PX", Math.max(1, Math.round(ttlSeconds * 1000)));
  }
}

module.exports = { RedisCache };
