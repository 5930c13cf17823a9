// Bearer authentication for the routes that need a signed-in user.
import type { RequestHandler } from "express";

import { HttpError } from "../errors";
import type { UsersRepository } from "../users/repository";
import { InvalidTokenError, readAccessToken } from "./tokens";

const unauthorized = () => new HttpError(401, "Not authenticated", { "WWW-Authenticate": "Bearer" });

// Lets a request through only with a valid bearer token of an existing user (res.locals.user).
export function authenticate(users: UsersRepository, secret: string): RequestHandler {
  return async (req, res, next) => {
    const [scheme, token] = (req.get("Authorization") ?? "").split(" ");
    if (scheme !== "Bearer" || !token) {
      throw unauthorized();
    }
    let userId: number;
    try {
      userId = readAccessToken(token, secret);
    } catch (error) {
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
