const { createHash } = require("node:crypto");

class ProfileServiceUnavailable extends Error {
}

function isTransportError(error) {
  // fetch rejects with a TypeError when the network fails, and with these on timeouts.
  return error instanceof TypeError || (error instanceof DOMException && ["TimeoutError", "AbortError"].includes(error.name));
}

class ProfileClient {
  constructor(baseUrl, timeoutMs) {
    this.baseUrl = baseUrl;
    this.timeoutMs = timeoutMs;
  }

  // The profile for `email`, or null when the API has none.
  async fetch(email) {
    const id = createHash("sha256").update(email).digest("hex");
    let response;
    try {
      response = await fetch(`${this.baseUrl}/v1/profiles/${id}`, { signal: AbortSignal.timeout(this.timeoutMs) });
    }
    catch (error) {
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
    const body = (await response.json());
    return { displayName: body.display_name, avatarUrl: body.avatar_url ?? null };
  }
}

// Looks profiles up through the cache; a miss asks the API and stores its answer.
class CachedProfiles {
  constructor(client, cache, ttlSeconds) {
    this.client = client;
    this.cache = cache;
    this.ttlSeconds = ttlSeconds;
  }

  async get(email) {
    const key = `profile:${email}`;
    const cached = await this.cache.get(key);
    if (cached !== undefined) {
      return cached.profile;
    }
    const profile = await this.client.fetch(email);
    // Misses are stored too, so a missing profile is not asked for again.
    await this.cache.set(key, { profile }, this.ttlSeconds);
    return profile;
  }
}

module.exports = { ProfileServiceUnavailable, ProfileClient, CachedProfiles };
