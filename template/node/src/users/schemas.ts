// What the users API accepts (zod schemas: anything else answers 422) and what it shows of a user.
import { z } from "zod";

import { ValidationError, validationDetail } from "../errors";
import type { User } from "./repository";

// The largest 32-bit integer, the SQL `integer` of ids: a larger id or page number would fail
// in the query (a 500).
export const MAX_INTEGER = 2_147_483_647;

// Text a SQL database stores as sent: it refuses NUL, and an unpaired surrogate cannot be
// encoded as UTF-8 (the driver silently sends U+FFFD in its place).
export function isStorable(text: string): boolean {
  return !text.includes("\u0000") && !/\p{Cs}/u.test(text);
}

// zod's error for a field that fails isStorable.
export const storable = (field: string) => ({ error: `${field} must not contain NUL or unpaired surrogate characters` });

export const userCreate = z.object({
  email: z.email({ error: "Enter a valid email address" }).max(320, { error: "Email is at most 320 characters" }),
  fullName: z
    .string()
    .trim()
    .min(1, { error: "Full name must not be empty" })
    .max(100, { error: "Full name is at most 100 characters" })
    .refine(isStorable, storable("Full name")),
  password: z
    .string()
    .min(8, { error: "Password must be at least 8 characters" })
    .max(128, { error: "Password is at most 128 characters" })
    .refine(isStorable, storable("Password")),
});

export const userUpdate = z.object({
  fullName: userCreate.shape.fullName,
});

// Bounds are checked first and stop the rest, so 1e300 is "too big", not "not a whole number".
export const pageQuery = z.object({
  page: z.coerce
    .number()
    .min(1, { error: "page starts at 1", abort: true })
    .max(MAX_INTEGER, { error: `page is at most ${MAX_INTEGER}`, abort: true })
    .int({ error: "page is a whole number" })
    .default(1),
  size: z.coerce
    .number()
    .min(1, { error: "size must be at least 1", abort: true })
    .max(100, { error: "size is at most 100", abort: true })
    .int({ error: "size is a whole number" })
    .default(20),
});

const userId = z.coerce
  .number({ error: "User ids are numbers" })
  .min(1, { error: "User ids start at 1", abort: true })
  .max(MAX_INTEGER, { error: `User ids are at most ${MAX_INTEGER}`, abort: true })
  .int({ error: "User ids are whole numbers" });

// The `:id` of /users/:id and the routes below it.
export const userPath = z.object({ id: userId });

// Parses `value` or answers 422 with one message per invalid field.
export function parse<T>(schema: z.ZodType<T>, value: unknown, where: "body" | "query" | "path"): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ValidationError(validationDetail(result.error, where));
  }
  return result.data;
}

export interface UserOut {
  id: number;
  email: string;
  fullName: string;
  createdAt: string;
}

// What the API shows of a user: never the password hash.
export function userOut(user: User): UserOut {
  return { id: user.id, email: user.email, fullName: user.fullName, createdAt: user.createdAt.toISOString() };
}
