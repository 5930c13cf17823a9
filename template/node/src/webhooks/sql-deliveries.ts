// Delivery ids in the database: a unique key decides, so concurrent replays cannot both win.
import type { Db } from "../db";
import type { DeliveryLog } from "./index";

export class SqlDeliveryLog implements DeliveryLog {
  readonly ttlSeconds: number;
  private readonly db: Db;

  constructor(db: Db, options: { ttlSeconds: number }) {
    this.db = db;
    this.ttlSeconds = options.ttlSeconds;
  }

  async remember(deliveryId: string): Promise<boolean> {
    // Rows older than the window can go: their deliveries fail the timestamp check now.
    await this.db.query("DELETE FROM webhooks.deliveries WHERE received_at < now() - make_interval(secs => $1)", [
      this.ttlSeconds,
    ]);
    const inserted = await this.db.query(
      "INSERT INTO webhooks.deliveries (id) VALUES ($1) ON CONFLICT (id) DO NOTHING RETURNING id",
      [deliveryId],
    );
    // ON CONFLICT DO NOTHING returns no row for an id already there: that is a replay.
    return inserted.length === 1;
  }
}
