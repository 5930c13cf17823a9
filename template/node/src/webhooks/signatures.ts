// The profile service signs each delivery: HMAC-SHA256 over `<id>.<timestamp>.<raw body>`.
// Headers: Webhook-Id, Webhook-Timestamp (Unix seconds), Webhook-Signature: v1=<hex>.
// The id is signed too, so a captured delivery cannot be replayed under a new id.
import { createHmac, timingSafeEqual } from "node:crypto";

const ID = /^[A-Za-z0-9_.:-]{1,100}$/;
const TIMESTAMP = /^[0-9]{1,12}$/; // bounded: no huge numbers to parse
const SIGNATURE = /^v1=[0-9a-f]{64}$/;

// The delivery is not from the profile service, or not from now; the message says which.
export class InvalidSignature extends Error {}

// The Webhook-Signature header value for a delivery (what the sender computes).
export function sign(secret: string, deliveryId: string, timestamp: number, body: Buffer): string {
  const hmac = createHmac("sha256", secret).update(`${deliveryId}.${timestamp}.`).update(body);
  return `v1=${hmac.digest("hex")}`;
}

export interface SignedHeaders {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

// The delivery id of a genuine, fresh delivery; throws InvalidSignature otherwise.
export function verify(
  secret: string,
  headers: SignedHeaders,
  body: Buffer,
  options: { nowSeconds: number; toleranceSeconds: number },
): string {
  const { id, timestamp, signature } = headers;
  if (id === undefined || timestamp === undefined || signature === undefined) {
    throw new InvalidSignature("Missing webhook signature headers");
  }
  if (!ID.test(id) || !TIMESTAMP.test(timestamp) || !SIGNATURE.test(signature)) {
    throw new InvalidSignature("Malformed webhook signature headers");
  }
  const expected = sign(secret, id, Number(timestamp), body);
  // Both are "v1=" + 64 hex digits here, so the lengths match as timingSafeEqual requires.
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) {
    throw new InvalidSignature("Invalid webhook signature");
  }
  if (Math.abs(options.nowSeconds - Number(timestamp)) > options.toleranceSeconds) {
    throw new InvalidSignature("Webhook timestamp outside the tolerance window");
  }
  return id;
}
