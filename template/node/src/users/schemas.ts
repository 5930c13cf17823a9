// What the users API accepts (zod schemas: anything else answers 422) and what it shows of a user.
import { z } from "zod";

import { ValidationError, validationDetail } from "../errors";
import type { User } from "./repository";

export const userCreate = z.object({
  email: z.email({ error: "Enter a valid email address" }),
  fullName: z.string().trim().min(1, { error: "Full name must not be empty" }).max(100, { error: "Full name is at most 100 characters" }),
  password: z.string().min(8, { error: "Password must be at least 8 characters" }).max(128, { error: "Password is at most 128 characters" }),
});

export const userUpdate = z.object({
  fullName: userCreate.shape.fullName,
});

export const pageQuery = z.object({
  page: z.coerce.number().int().min(1, { error: "page starts at 1" }).default(1),
  size: z.coerce.number().int().min(1, { error: "size must be at least 1" }).max(100, { error: "size is at most 100" }).default(20),
});

export const userId = z.coerce.number({ error: "User ids are numbers" }).int().positive();

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
