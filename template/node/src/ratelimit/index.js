const { HttpError } = require("../errors");

// Fixed windows in process memory. Each app instance owns one, so tests never share its state.
class MemoryRateLimiter {
  windows = new Map();

  constructor(options) {
    this.limit = options.limit;
    this.windowSeconds = options.windowSeconds;
    this.clock = options.clock ?? Date.now;
  }

  async hit(key) {
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
function rateLimited(limiter) {
  return async (req, _res, next) => {
    const decision = await limiter.hit(req.ip ?? "unknown");
    if (!decision.allowed) {
      throw new HttpError(429, "Too many requests: try again later.", { "Retry-After": String(decision.retryAfter) });
    }
    next();
  };
}

module.exports = { MemoryRateLimiter, rateLimited };
