const { HttpError } = require("../errors");
const { InvalidTokenError, readAccessToken } = require("./tokens");

const unauthorized = () => new HttpError(401, "Not authenticated", { "WWW-Authenticate": "Bearer" });

// Lets a request through only with a valid bearer token of an existing user (res.locals.user).
function authenticate(users, secret) {
  return async (req, res, next) => {
    const [scheme, token] = (req.get("Authorization") ?? "").split(" ");
    if (scheme !== "Bearer" || !token) {
      throw unauthorized();
    }
    let userId;
    try {
      userId = readAccessToken(token, secret);
    }
    catch (error) {
      if (error instanceof InvalidTokenError) {
        throw unauthorized();
      }
      throw error;
    }
    const user = await users.get(userId);
    if (!user) {
      throw unauthorized();
    }
    res.locals.user = user;
    next();
  };
}

module.exports = { authenticate };
