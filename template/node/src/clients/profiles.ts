// Client of the external profile API, with its answers cached.
// Every answer of the API maps to a ProfileServiceError (or to a profile, or to none), and it
// catches only fetch's own failures (network, timeout), never everything: anything else,
// including a test's "this request is not mocked", must reach the caller.
import { createHash } from "node:crypto";

import { z } from "zod";

import type { Cache } from "../cache";

export interface Profile {
  displayName: string;
  avatarUrl?: string | null;
}

// The API failed: `status` is what this app answers in its place (502: the API answered
// wrongly, 503: it is unavailable or rate-limiting, 504: it took too long), with the
// Retry-After it sent, if any.
export class ProfileServiceError extends Error {
  readonly status: 502 | 503 | 504;
  readonly retryAfter: string | undefined;

  constructor(status: 502 | 503 | 504, message: string, retryAfter?: string) {
    super(message);
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

// What a found profile must look like; anything else is a malformed answer.
const profileBody = z.object({ display_name: z.string(), avatar_url: z.string().nullish() });

// fetch rejects with a TypeError when the network fails, and with a TimeoutError when the
// signal's time is up (before the answer or during its body); anything else is not ours to catch.
function transportFailure(error: unknown): unknown {
  if (error instanceof DOMException && error.name === "TimeoutError") {
    return new ProfileServiceError(504, "Profile service timed out");
  }
  if (error instanceof TypeError) {
    return new ProfileServiceError(503, "Profile service unavailable");
  }
  return error;
}

// Retry-After as the API may send it, seconds or an HTTP date; anything else is not passed on.
const RETRY_AFTER = /^(\d+|[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT)$/;

function retryAfter(response: Response): string | undefined {
  const value = response.headers.get("Retry-After")?.trim();
  return value !== undefined && RETRY_AFTER.test(value) ? value : undefined;
}

// What an answer other than 2xx and 404 means for this app.
function failure(response: Response): ProfileServiceError {
  if (response.status === 429) {
    return new ProfileServiceError(503, "Profile service is rate-limiting requests", retryAfter(response));
  }
  if (response.status >= 500) {
    return new ProfileServiceError(503, "Profile service unavailable", response.status === 503 ? retryAfter(response) : undefined);
  }
  return new ProfileServiceError(502, "Profile service rejected the request");
}

// The profile in a 2xx answer's body, or a malformed answer.
function parseProfile(text: string): Profile {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const found = profileBody.safeParse(body);
  if (!found.success) {
    throw new ProfileServiceError(502, "Profile service sent a malformed answer");
  }
  return { displayName: found.data.display_name, avatarUrl: found.data.avatar_url ?? null };
}

export class ProfileClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(baseUrl: string, timeoutMs: number) {
    this.baseUrl = baseUrl;
    this.timeoutMs = timeoutMs;
  }

  // The profile for `email`, or null when the API has none; throws ProfileServiceError.
  async fetch(email: string): Promise<Profile | null> {
    const id = createHash("sha256").update(email).digest("hex");
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.baseUrl}/v1/profiles/${id}`, { signal: AbortSignal.timeout(this.timeoutMs) });
      text = await response.text();
    } catch (error) {
      throw transportFailure(error);
    }
    if (response.status === 404) {
      return null;
    }
    if (!response.ok) {
      throw failure(response);
    }
    return parseProfile(text);
  }
}

// Looks profiles up through the cache; a miss asks the API and stores its answer.
export class CachedProfiles {
  private readonly client: ProfileClient;
  private readonly cache: Cache;
  private readonly ttlSeconds: number;

  constructor(client: ProfileClient, cache: Cache, ttlSeconds: number) {
    this.client = client;
    this.cache = cache;
    this.ttlSeconds = ttlSeconds;
  }

  async get(email: string): Promise<Profile | null> {
    const key = `profile:${email}`;
    const cached = await this.cache.get<{ profile: Profile | null }>(key);
    if (cached !== undefined) {
      return cached.profile;
    }
    const profile = await this.client.fetch(email);
    // Misses are stored too, so a missing profile is not asked for again; failures are not.
    await this.cache.set(key, { profile }, this.ttlSeconds);
    return profile;
  }
}
