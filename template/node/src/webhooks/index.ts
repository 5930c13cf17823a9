// Incoming webhooks from the profile service: signed by it, fresh, and handled once.
// A delivery id is remembered for twice the timestamp tolerance: a delivery stamped up to one
// tolerance in the future stays acceptable for two tolerances after it arrives.

export interface DeliveryLog {
  // True the first time `deliveryId` is seen within the window, false for a replay.
  remember(deliveryId: string): Promise<boolean>;
}

// Per-process log, bounded: past `maxEntries` the oldest ids are forgotten early.
export class MemoryDeliveryLog implements DeliveryLog {
  readonly ttlSeconds: number;
  readonly maxEntries: number;
  private readonly clock: () => number;
  // Insertion order is expiry order: every id gets the same ttl.
  private readonly expiry = new Map<string, number>();

  constructor(options: { ttlSeconds: number; maxEntries?: number; clock?: () => number }) {
    this.ttlSeconds = options.ttlSeconds;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.clock = options.clock ?? Date.now;
  }

  async remember(deliveryId: string): Promise<boolean> {
    const now = this.clock();
    for (const [id, expiresAt] of this.expiry) {
      if (expiresAt > now) {
        break;
      }
      this.expiry.delete(id);
    }
    if (this.expiry.has(deliveryId)) {
      return false;
    }
    if (this.expiry.size >= this.maxEntries) {
      const oldest = this.expiry.keys().next().value;
      if (oldest !== undefined) {
        this.expiry.delete(oldest);
      }
    }
    this.expiry.set(deliveryId, now + this.ttlSeconds * 1000);
    return true;
  }
}
