// Test users: sign-up payloads with unique emails, and users stored through a repository.
import { randomUUID } from "node:crypto";

// English only: the package's main entry loads every locale (~0.3 s in each test file).
import { faker } from "@faker-js/faker/locale/en";

import { hashPassword } from "../../src/passwords";
import type { User, UsersRepository } from "../../src/users/repository";

export const PASSWORD = "correct-horse-battery";

// Unique across tests and Jest workers: Faker's values repeat with its seed, uuids do not.
export function uniqueEmail(): string {
  return `user-${randomUUID().slice(0, 12)}@example.com`;
}

export interface UserFields {
  email: string;
  fullName: string;
  password: string;
}

// A sign-up payload; override any field.
export function buildUser(fields: Partial<UserFields> = {}): UserFields {
  return { email: uniqueEmail(), fullName: faker.person.fullName(), password: PASSWORD, ...fields };
}

// The hash of PASSWORD, made once per test file: hashing takes ~2 ms even at bcrypt's lowest cost,
// and most users a test stores have that password (a real hash: signing in with it works).
let passwordHash: Promise<string> | undefined;

// Stores a user in `users` (the repository the app reads) and returns it.
export async function createUser(users: UsersRepository, fields: Partial<UserFields> = {}): Promise<User> {
  const { password, ...rest } = buildUser(fields);
  const hash = password === PASSWORD ? (passwordHash ??= hashPassword(PASSWORD, 4)) : hashPassword(password, 4);
  return users.add({ ...rest, passwordHash: await hash });
}
