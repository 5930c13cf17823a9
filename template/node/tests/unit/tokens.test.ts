// Access tokens: the user id comes back out; a bad, expired or foreign token is refused.
import jwt from "jsonwebtoken";

import { createAccessToken, InvalidTokenError, readAccessToken } from "../../src/auth/tokens";

const SECRET = "unit-test-secret-of-32-bytes-or-more";

test("a token carries the user id", () => {
  expect(readAccessToken(createAccessToken(42, SECRET, 60), SECRET)).toBe(42);
});

// Time stands still (Jest's fake clock), so a token's last second can be tested exactly.
describe("on a controlled clock", () => {
  const ISSUED = new Date("2026-01-01T00:00:00Z").getTime();

  beforeEach(() => {
    jest.useFakeTimers({ now: ISSUED });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  test("a token is valid until its time-to-live is over, then refused", () => {
    const token = createAccessToken(42, SECRET, 60);

    jest.setSystemTime(ISSUED + 59_999);
    expect(readAccessToken(token, SECRET)).toBe(42);
    jest.setSystemTime(ISSUED + 60_000);
    expect(() => readAccessToken(token, SECRET)).toThrow(InvalidTokenError);
  });
});

test.each([
  ["another secret", createAccessToken(42, "another-secret-of-32-bytes-or-more!", 60)],
  ["expired", jwt.sign({ sub: "42", exp: Math.floor(Date.now() / 1000) - 10 }, SECRET)],
  ["no user", jwt.sign({}, SECRET)],
  ["a user id that is not whole", jwt.sign({ sub: "4.2" }, SECRET)],
  ["another algorithm", jwt.sign({ sub: "42" }, SECRET, { algorithm: "HS512" })],
  ["garbage", "not-a-token"],
])("a token signed with %s is refused", (_case, token) => {
  expect(() => readAccessToken(token, SECRET)).toThrow(InvalidTokenError);
});
