// POST /webhooks/profile-events: the profile service tells us a user's profile changed.
//
// Answers: 200 for a genuine delivery, also for a replay of one already handled (marked
// `duplicate`: a sender retries anything else forever, and a replay changes nothing); 401 when
// the signature is missing, forged or malformed, or its timestamp is outside the tolerance
// window (the signature cannot vouch for the request now: an authentication failure, not a
// malformed request); 422 when a genuine delivery's body is not an event we know.
import express, { Router } from "express";
import { z } from "zod";

import type { Config } from "../config";
import { HttpError } from "../errors";
import type { EventPublisher } from "../events";
import type { DeliveryLog } from "./index";
import { InvalidSignature, verify } from "./signatures";

export interface WebhooksRouterOptions {
  deliveries: DeliveryLog;
  events: EventPublisher;
  config: Config;
}

export const profileEvent = z.object({
  type: z.enum(["profile.updated", "profile.deleted"]),
  email: z.email().max(320),
});

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
}

export function webhooksRouter({ deliveries, events, config }: WebhooksRouterOptions): Router {
  const router = Router();

  // The raw bytes: the signature covers the body as sent, not a re-encoding of parsed JSON.
  router.post("/profile-events", express.raw({ type: () => true, limit: "100kb" }), async (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let deliveryId: string;
    try {
      deliveryId = verify(
        config.webhookSecret,
        { id: req.get("webhook-id"), timestamp: req.get("webhook-timestamp"), signature: req.get("webhook-signature") },
        body,
        { nowSeconds: Date.now() / 1000, toleranceSeconds: config.webhookToleranceSeconds },
      );
    } catch (error) {
      if (error instanceof InvalidSignature) {
        throw new HttpError(401, error.message);
      }
      throw error;
    }
    const event = profileEvent.safeParse(parseJson(body));
    if (!event.success) {
      throw new HttpError(422, "Not a known profile event");
    }
    // Remembered before it is handled: should publishing fail, the sender's retry is a duplicate.
    if (!(await deliveries.remember(deliveryId))) {
      res.json({ deliveryId, duplicate: true });
      return;
    }
    await events.publish(event.data.type, { email: event.data.email, deliveryId });
    res.json({ deliveryId, duplicate: false });
  });
  return router;
}
