const { z } = require("zod");

const { ValidationError, validationDetail } = require("../errors");

const userCreate = z.object({
  email: z.email({ error: "Enter a valid email address" }),
  fullName: z.string().trim().min(1, { error: "Full name must not be empty" }).max(100, { error: "Full name is at most 100 characters" }),
  password: z.string().min(8, { error: "Password must be at least 8 characters" }).max(128, { error: "Password is at most 128 characters" }),
});

const userUpdate = z.object({
  fullName: userCreate.shape.fullName,
});

const pageQuery = z.object({
  page: z.coerce.number().int().min(1, { error: "page starts at 1" }).default(1),
  size: z.coerce.number().int().min(1, { error: "size must be at least 1" }).max(100, { error: "size is at most 100" }).default(20),
});

const userId = z.coerce.number({ error: "User ids are numbers" }).int().positive();

// Parses `value` or answers 422 with one message per invalid field.
function parse(schema, value, where) {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ValidationError(validationDetail(result.error, where));
  }
  return result.data;
}

// What the API shows of a user: never the password hash.
function userOut(user) {
  return { id: user.id, email: user.email, fullName: user.fullName, createdAt: user.createdAt.toISOString() };
}

module.exports = { userCreate, userUpdate, pageQuery, userId, parse, userOut };
