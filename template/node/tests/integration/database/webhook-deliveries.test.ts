// Webhook delivery ids in the database: the unique key catches a replay; old rows are pruned.
import { SqlDeliveryLog } from "../../../src/webhooks/sql-deliveries";
import { useTestApp } from "../../support/app";

const t = useTestApp();
const log = () => new SqlDeliveryLog(t.database.db, { ttlSeconds: 600 });
const storedIds = async () =>
  (await t.database.db.query<{ id: string }>("SELECT id FROM webhooks.deliveries ORDER BY id")).map((row) => row.id);

test("an id is new once, then a replay", async () => {
  expect(await log().remember("evt_1")).toBe(true);
  expect(await log().remember("evt_1")).toBe(false);

  expect(await storedIds()).toEqual(["evt_1"]);
});

test("rows older than the window are pruned", async () => {
  await t.database.db.query("INSERT INTO webhooks.deliveries (id, received_at) VALUES ('evt_old', now() - interval '1 day')");

  await log().remember("evt_new");

  expect(await storedIds()).toEqual(["evt_new"]);
});
