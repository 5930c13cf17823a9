// Without a broker, user.created goes to an in-memory event log.
const request = require("supertest");

const { buildUser } = require("../../factories/users");
const { useTestApp } = require("../../support/app");

const t = useTestApp();

test("signing up records user.created", async () => {
  const payload = buildUser();

  const created = (await request(t.app()).post("/users").send(payload)).body;

  expect(t.events.published).toEqual([{ name: "user.created", payload: { id: created.id, email: payload.email } }]);
});
