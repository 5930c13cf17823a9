// Deliveries signed the way the profile service signs them.
import { randomUUID } from "node:crypto";

import { sign } from "../../src/webhooks/signatures";
import { WEBHOOK_SECRET } from "./app";

export const WEBHOOK_URL = "/webhooks/profile-events";
export const PROFILE_EVENT = { type: "profile.updated", email: "ada@example.com" };

// supertest sends a Buffer as JSON (`{"type":"Buffer",...}`) under a JSON content type;
// `.serialize(asSent)` sends its bytes unchanged.
export const asSent = (body: Buffer): string => body as unknown as string;

export interface Delivery {
  body: Buffer;
  headers: Record<string, string>;
}

export function signedDelivery(
  options: { deliveryId?: string; body?: unknown; timestamp?: number; secret?: string; headers?: Record<string, string> } = {},
): Delivery {
  const body = Buffer.from(JSON.stringify(options.body ?? PROFILE_EVENT));
  const deliveryId = options.deliveryId ?? `evt_${randomUUID()}`;
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers = {
    "Content-Type": "application/json",
    "Webhook-Id": deliveryId,
    "Webhook-Timestamp": String(timestamp),
    "Webhook-Signature": sign(options.secret ?? WEBHOOK_SECRET, deliveryId, timestamp, body),
  };
  return { body, headers: { ...headers, ...options.headers } };
}
