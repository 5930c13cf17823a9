const { Router } = require("express");
const { z } = require("zod");

const { HttpError } = require("../errors");
const { verifyPassword } = require("../passwords");
const { parse, userOut } = require("../users/schemas");
const { createAccessToken } = require("./tokens");

const credentials = z.object({ email: z.string(), password: z.string() });

// Sign in with email and password to get a bearer token; ask who you are.
function authRouter({ users, config, limited, signedIn }) {
  const router = Router();

  router.post("/auth/token", limited, async (req, res) => {
    const body = parse(credentials, req.body, "body");
    const user = await users.getByEmail(body.email);
    if (!user || !(await verifyPassword(body.password, user.passwordHash))) {
      throw new HttpError(401, "Incorrect email or password", { "WWW-Authenticate": "Bearer" });
    }
    const token = createAccessToken(user.id, config.jwtSecret, config.jwtTtlSeconds);
    res.json({ accessToken: token, tokenType: "bearer" });
  });

  router.get("/users/me", limited, ...signedIn, (_req, res) => {
    res.json(userOut(res.locals.user));
  });

  return router;
}

module.exports = { authRouter };
