// Process-local cache; `clock` is injectable so expiry is testable without waiting.
class MemoryCache {
  entries = new Map();

  constructor(clock = Date.now) {
    this.clock = clock;
  }

  async get(key) {
    const entry = this.entries.get(key);
    if (!entry) {
      return undefined;
    }
    if (this.clock() >= entry.expiresAt) {
      this.entries.delete(key);
      return undefined;
    }
    return JSON.parse(entry.payload);
  }

  async set(key, value, ttlSeconds) {
    this.entries.set(key, { expiresAt: this.clock() + ttlSeconds * 1000, payload: JSON.stringify(value) });
  }
}

module.exports = { MemoryCache };
