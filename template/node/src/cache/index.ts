// A small JSON cache with a time-to-live per entry.

export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>;
}

// Process-local cache; `clock` is injectable so expiry is testable without waiting.
export class MemoryCache implements Cache {
  private readonly entries = new Map<string, { expiresAt: number; payload: string }>();
  private readonly clock: () => number;

  constructor(clock: () => number = Date.now) {
    this.clock = clock;
  }

  async get<T>(key: string): Promise<T | undefined> {
    const entry = this.entries.get(key);
    if (!entry) {
      return undefined;
    }
    if (this.clock() >= entry.expiresAt) {
      this.entries.delete(key);
      return undefined;
    }
    return JSON.parse(entry.payload) as T;
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    this.entries.set(key, { expiresAt: this.clock() + ttlSeconds * 1000, payload: JSON.stringify(value) });
  }
}
