// Incoming webhooks from the profile service: only genuine, fresh deliveries count, once each.
import request from "supertest";

import { sign } from "../../../src/webhooks/signatures";
import { useTestApp, WEBHOOK_SECRET } from "../../support/app";
import { asSent, PROFILE_EVENT, signedDelivery, WEBHOOK_URL, type Delivery } from "../../support/webhooks";

const t = useTestApp();

function post(delivery: Delivery) {
  return request(t.app()).post(WEBHOOK_URL).set(delivery.headers).serialize(asSent).send(delivery.body);
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

test("a genuine delivery is accepted", async () => {
  const response = await post(signedDelivery({ deliveryId: "evt_1" }));

  expect([response.status, response.body]).toEqual([200, { deliveryId: "evt_1", duplicate: false }]);
});

test("a forged signature is refused", async () => {
  const response = await post(signedDelivery({ secret: "not-the-shared-secret" }));

  expect([response.status, response.body]).toEqual([401, { detail: "Invalid webhook signature" }]);
});

test("a body changed after signing is refused", async () => {
  const { headers } = signedDelivery();
  const changed = Buffer.from(JSON.stringify({ ...PROFILE_EVENT, email: "mallory@example.com" }));

  expect((await post({ headers, body: changed })).status).toBe(401);
});

test("a signature under another delivery id is refused", async () => {
  const { headers, body } = signedDelivery();

  expect((await post({ headers: { ...headers, "Webhook-Id": "evt_new" }, body })).status).toBe(401);
});

test.each(["Webhook-Id", "Webhook-Timestamp", "Webhook-Signature"])("a delivery without %s is refused", async (missing) => {
  const { headers, body } = signedDelivery();
  delete headers[missing];

  const response = await post({ headers, body });

  expect([response.status, response.body]).toEqual([401, { detail: "Missing webhook signature headers" }]);
});

test.each([
  ["stale", 330],
  ["from the future", -330],
])("a delivery %s is refused", async (_, age) => {
  const response = await post(signedDelivery({ timestamp: nowSeconds() - age }));

  expect([response.status, response.body]).toEqual([401, { detail: "Webhook timestamp outside the tolerance window" }]);
});

test("a delivery just inside the window is accepted", async () => {
  expect((await post(signedDelivery({ timestamp: nowSeconds() - 290 }))).status).toBe(200);
});

test("a replayed delivery is acknowledged but not handled again", async () => {
  const first = await post(signedDelivery({ deliveryId: "evt_replayed" }));
  const replay = await post(signedDelivery({ deliveryId: "evt_replayed" }));

  expect(first.body).toEqual({ deliveryId: "evt_replayed", duplicate: false });
  expect([replay.status, replay.body]).toEqual([200, { deliveryId: "evt_replayed", duplicate: true }]);
});

test("another delivery of the same event is handled", async () => {
  expect((await post(signedDelivery({ deliveryId: "evt_a" }))).body.duplicate).toBe(false);
  expect((await post(signedDelivery({ deliveryId: "evt_b" }))).body.duplicate).toBe(false);
});

test.each([
  ["a huge timestamp", { "Webhook-Timestamp": "9".repeat(5000) }],
  ["a negative timestamp", { "Webhook-Timestamp": "-1" }],
  ["a float timestamp", { "Webhook-Timestamp": "1e9" }],
  ["a signature that is not hex", { "Webhook-Signature": "v1=zz" }],
  ["another signature scheme", { "Webhook-Signature": "t=1,v1=" }],
  ["a non-ASCII id", { "Webhook-Id": "\u00e9".repeat(10) }],
  ["an id over 100 characters", { "Webhook-Id": "x".repeat(101) }],
])("%s is refused, not an error", async (_, headers) => {
  expect((await post(signedDelivery({ headers }))).status).toBe(401);
});

test.each([
  ["not JSON", Buffer.from("not json")],
  ["a JSON array", Buffer.from("[]")],
  ["an event without its email", Buffer.from('{"type": "profile.updated"}')],
  ["not UTF-8", Buffer.from([0xff, 0xfe])],
])("a genuine delivery of %s is 422", async (_, body) => {
  const timestamp = nowSeconds();
  const headers = {
    "Content-Type": "application/json",
    "Webhook-Id": "evt_odd",
    "Webhook-Timestamp": String(timestamp),
    "Webhook-Signature": sign(WEBHOOK_SECRET, "evt_odd", timestamp, body),
  };

  const response = await post({ headers, body });

  expect([response.status, response.body]).toEqual([422, { detail: "Not a known profile event" }]);
});
