// Client of the external profile API, with its answers cached.
// It catches only transport errors (and 5xx), never everything: anything else, including a
// test's "this request is not mocked", must reach the caller.
import { createHash } from "node:crypto";

import type { Cache } from "../cache";

export interface Profile {
  displayName: string;
  avatarUrl?: string | null;
}

export class ProfileServiceUnavailable extends Error {}

function isTransportError(error: unknown): boolean {
  // fetch rejects with a TypeError when the network fails, and with these on timeouts.
  return error instanceof TypeError || (error instanceof DOMException && ["TimeoutError", "AbortError"].includes(error.name));
}

export class ProfileClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(baseUrl: string, timeoutMs: number) {
    this.baseUrl = baseUrl;
    this.timeoutMs = timeoutMs;
  }

  // The profile for `email`, or null when the API has none.
  async fetch(email: string): Promise<Profile | null> {
    const id = createHash("sha256").update(email).digest("hex");
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}/v1/profiles/${id}`, { signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      if (isTransportError(error)) {
        throw new ProfileServiceUnavailable(String(error));
      }
      throw error;
    }
    if (response.status === 404) {
      return null;
    }
    if (response.status >= 500) {
      throw new ProfileServiceUnavailable(`profile API answered ${response.status}`);
    }
    if (!response.ok) {
      throw new Error(`profile API answered ${response.status}`);
    }
    const body = (await response.json()) as { display_name: string; avatar_url?: string | null };
    return { displayName: body.display_name, avatarUrl: body.avatar_url ?? null };
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
    // Misses are stored too, so a missing profile is not asked for again.
    await this.cache.set(key, { profile }, this.ttlSeconds);
    return profile;
  }
}
