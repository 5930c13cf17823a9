const jwt = require("jsonwebtoken");

class InvalidTokenError extends Error {
}

function createAccessToken(userId, secret, ttlSeconds) {
  return jwt.sign({}, secret, { subject: String(userId), expiresIn: ttlSeconds, algorithm: "HS256" });
}

// The user id in a valid token; throws InvalidTokenError for anything else.
function readAccessToken(token, secret) {
  let claims;
  try {
    claims = jwt.verify(token, secret, { algorithms: ["HS256"] });
  }
  catch (error) {
    throw new InvalidTokenError(String(error));
  }
  const userId = typeof claims === "object" ? Number(claims.sub) : Number.NaN;
  if (!Number.isInteger(userId)) {
    throw new InvalidTokenError("the token names no user");
  }
  return userId;
}

module.exports = { InvalidTokenError, createAccessToken, readAccessToken };
