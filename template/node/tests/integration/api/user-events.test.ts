// Without a broker, user.created goes to an in-memory event log.
import request from "supertest";

import { buildUser } from "../../factories/users";
import { useTestApp } from "../../support/app";
import { asSent, signedDelivery, WEBHOOK_URL } from "../../support/webhooks";

const t = useTestApp();

test("signing up records user.created", async () => {
  const payload = buildUser();

  const created = (await request(t.app()).post("/users").send(payload)).body;

  expect(t.events.published).toEqual([{ name: "user.created", payload: { id: created.id, email: payload.email } }]);
});

test("a profile webhook is announced once however often it is delivered", async () => {
  for (let i = 0; i < 2; i++) {
    const delivery = signedDelivery({ deliveryId: "evt_once" });
    expect((await request(t.app()).post(WEBHOOK_URL).set(delivery.headers).serialize(asSent).send(delivery.body)).status).toBe(200);
  }

  expect(t.events.published).toEqual([
    { name: "profile.updated", payload: { email: "ada@example.com", deliveryId: "evt_once" } },
  ]);
});
