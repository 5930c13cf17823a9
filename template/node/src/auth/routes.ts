// The auth endpoints: POST /auth/token signs a user in, GET /users/me says who is signed in.
import { Router, type RequestHandler } from "express";
import { z } from "zod";

import type { Config } from "../config";
import { HttpError } from "../errors";
import { verifyPassword } from "../passwords";
import type { User, UsersRepository } from "../users/repository";
import { isStorable, parse, storable, userOut } from "../users/schemas";
import { createAccessToken } from "./tokens";

// Bounded like sign-up's fields, so that looking the email up never fails in the query.
const credentials = z.object({
  email: z.string().max(320, { error: "Email is at most 320 characters" }).refine(isStorable, storable("Email")),
  password: z.string().max(128, { error: "Password is at most 128 characters" }).refine(isStorable, storable("Password")),
});

export interface AuthRouterOptions {
  users: UsersRepository;
  config: Config;
  limited: RequestHandler;
  signedIn: RequestHandler[];
}

// Sign in with email and password to get a bearer token; ask who you are.
export function authRouter({ users, config, limited, signedIn }: AuthRouterOptions): Router {
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
    res.json(userOut(res.locals.user as User));
  });

  return router;
}
