const { randomUUID } = require("node:crypto");

const { faker } = require("@faker-js/faker");

const { hashPassword } = require("../../src/passwords");

const PASSWORD = "correct-horse-battery";

// Unique across tests and Jest workers: Faker's values repeat with its seed, uuids do not.
function uniqueEmail() {
  return `user-${randomUUID().slice(0, 12)}@example.com`;
}

// A sign-up payload; override any field.
function buildUser(fields = {}) {
  return { email: uniqueEmail(), fullName: faker.person.fullName(), password: PASSWORD, ...fields };
}

// Stores a user in `users` (the repository the app reads) and returns it.
async function createUser(users, fields = {}) {
  const { password, ...rest } = buildUser(fields);
  return users.add({ ...rest, passwordHash: await hashPassword(password, 4) });
}

module.exports = { PASSWORD, uniqueEmail, buildUser, createUser };
