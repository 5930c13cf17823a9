// Access tokens: JWTs signed with HS256 whose subject is the user id.
import jwt from "jsonwebtoken";

export class InvalidTokenError extends Error {}

export function createAccessToken(userId: number, secret: string, ttlSeconds: number): string {
  return jwt.sign({}, secret, { subject: String(userId), expiresIn: ttlSeconds, algorithm: "HS256" });
}

// The user id in a valid token; throws InvalidTokenError for anything else.
export function readAccessToken(token: string, secret: string): number {
  let claims: string | jwt.JwtPayload;
  try {
    claims = jwt.verify(token, secret, { algorithms: ["HS256"] });
  } catch (error) {
    throw new InvalidTokenError(String(error));
  }
  const userId = typeof claims === "object" ? Number(claims.sub) : Number.NaN;
  if (!Number.isInteger(userId)) {
    throw new InvalidTokenError("the token names no user");
  }
  return userId;
}
