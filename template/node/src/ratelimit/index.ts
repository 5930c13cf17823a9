// Rate limiting per client: what a limiter decides, a fixed-window limiter in process memory,
// and the middleware that answers 429.
import type { RequestHandler } from "express";

import { HttpError } from "../errors";

export interface Decision {
  allowed: boolean;
  // Seconds until the window resets; 0 when allowed.
  retryAfter: number;
}

export interface RateLimiter {
  hit(key: string): Promise<Decision>;
}

// Fixed windows in process memory. Each app instance owns one, so tests never share its state.
export class MemoryRateLimiter implements RateLimiter {
  readonly limit: number;
  readonly windowSeconds: number;
  private readonly clock: () => number;
  private readonly windows = new Map<string, { window: number; hits: number }>();

  constructor(options: { limit: number; windowSeconds: number; clock?: () => number }) {
    this.limit = options.limit;
    this.windowSeconds = options.windowSeconds;
    this.clock = options.clock ?? Date.now;
  }

  async hit(key: string): Promise<Decision> {
    const nowSeconds = this.clock() / 1000;
    const window = Math.floor(nowSeconds / this.windowSeconds);
    const current = this.windows.get(key);
    const hits = current && current.window === window ? current.hits + 1 : 1;
    this.windows.set(key, { window, hits });
    if (hits <= this.limit) {
      return { allowed: true, retryAfter: 0 };
    }
    return { allowed: false, retryAfter: Math.max(1, Math.ceil((window + 1) * this.windowSeconds - nowSeconds)) };
  }
}

// Answers 429 with Retry-After once a client is over the limit.
export function rateLimited(limiter: RateLimiter): RequestHandler {
  return async (req, _res, next) => {
    const decision = await limiter.hit(req.ip ?? "unknown");
    if (!decision.allowed) {
      throw new HttpError(429, "Too many requests: try again later.", { "Retry-After": String(decision.retryAfter) });
    }
    next();
  };
}
