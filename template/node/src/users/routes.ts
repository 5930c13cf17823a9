// The /users endpoints. Input is checked by ./schemas and answers never show a password hash.
import { Router, type RequestHandler } from "express";

import { ProfileServiceError, type CachedProfiles } from "../clients/profiles";
import type { Config } from "../config";
import { HttpError } from "../errors";
import type { EventPublisher } from "../events";
import { hashPassword } from "../passwords";
import { DuplicateEmailError, type User, type UsersRepository } from "./repository";
import { pageQuery, parse, userCreate, userOut, userPath, userUpdate } from "./schemas";

export interface UsersRouterOptions {
  users: UsersRepository;
  events: EventPublisher;
  profiles: CachedProfiles;
  config: Config;
  // Middleware of the routes that need a signed-in caller.
  signedIn: RequestHandler[];
  // Middleware of the routes that change an account: only its owner may.
  ownerOnly: RequestHandler[];
}

// The users resource: sign up, list, read, rename, delete, and a profile from the external API.
export function usersRouter({ users, events, profiles, config, signedIn, ownerOnly }: UsersRouterOptions): Router {
  const router = Router();

  async function existing(params: unknown): Promise<User> {
    const { id } = parse(userPath, params, "path");
    const user = await users.get(id);
    if (!user) {
      throw new HttpError(404, `User ${id} not found`);
    }
    return user;
  }

  router.post("/", async (req, res) => {
    const body = parse(userCreate, req.body, "body");
    const passwordHash = await hashPassword(body.password, config.passwordCost);
    let user: User;
    try {
      user = await users.add({ email: body.email, fullName: body.fullName, passwordHash });
    } catch (error) {
      if (error instanceof DuplicateEmailError) {
        throw new HttpError(409, "A user with this email already exists");
      }
      throw error;
    }
    await events.publish("user.created", { id: user.id, email: user.email });
    res.status(201).json(userOut(user));
  });

  router.get("/", ...signedIn, async (req, res) => {
    const { page, size } = parse(pageQuery, req.query, "query");
    const [total, items] = await Promise.all([users.count(), users.list({ offset: (page - 1) * size, limit: size })]);
    const next = page * size < total ? `${req.baseUrl}?page=${page + 1}&size=${size}` : null;
    res.json({ items: items.map(userOut), total, page, size, next });
  });

  router.get("/:id", ...signedIn, async (req, res) => {
    res.json(userOut(await existing(req.params)));
  });

  router.patch("/:id", ...ownerOnly, async (req, res) => {
    const user = await existing(req.params);
    const body = parse(userUpdate, req.body, "body");
    const renamed = await users.rename(user.id, body.fullName);
    res.json(userOut(renamed ?? user));
  });

  router.delete("/:id", ...ownerOnly, async (req, res) => {
    const user = await existing(req.params);
    await users.delete(user.id);
    res.status(204).end();
  });

  router.get("/:id/profile", ...signedIn, async (req, res) => {
    const user = await existing(req.params);
    let found;
    try {
      found = await profiles.get(user.email);
    } catch (error) {
      if (error instanceof ProfileServiceError) {
        throw new HttpError(error.status, error.message, error.retryAfter ? { "Retry-After": error.retryAfter } : {});
      }
      throw error;
    }
    res.json({
      userId: user.id,
      displayName: found?.displayName ?? user.fullName,
      avatarUrl: found?.avatarUrl ?? null,
    });
  });

  return router;
}
