// Access tokens: the user id comes back out; a bad, expired or foreign token is refused.
import jwt from "jsonwebtoken";

import { createAccessToken, InvalidTokenError, readAccessToken } from "../../src/auth/tokens";

const SECRET = "unit-test-secret-of-32-bytes-or-more";

test("a token carries the user id", () => {
  expect(readAccessToken(createAccessToken(42, SECRET, 60), SECRET)).toBe(42);
});

test.each([
  ["another secret", createAccessToken(42, "another-secret-of-32-bytes-or-more!", 60)],
  ["expired", jwt.sign({ sub: "42", exp: Math.floor(Date.now() / 1000) - 10 }, SECRET)],
  ["no user", jwt.sign({}, SECRET)],
  ["garbage", "not-a-token"],
])("a token signed with %s is refused", (_case, token) => {
  expect(() => readAccessToken(token, SECRET)).toThrow(InvalidTokenError);
});
