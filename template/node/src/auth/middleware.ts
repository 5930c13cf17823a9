// Bearer authentication for the routes that need a signed-in user, and the check that a user
// changes only their own account.
import type { RequestHandler } from "express";

import { HttpError } from "../errors";
import type { User, UsersRepository } from "../users/repository";
import { parse, userPath } from "../users/schemas";
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

// After `authenticate`, on /users/:id: only the signed-in user's own account gets through.
// Checked before the account is looked up, so a 403 says nothing about other accounts.
export const ownAccountOnly: RequestHandler = (req, res, next) => {
  const { id } = parse(userPath, req.params, "path");
  if (id !== (res.locals.user as User).id) {
    throw new HttpError(403, "You can only change your own account");
  }
  next();
};
