// loadConfig: defaults that need no environment, and the environment overriding them.
import { loadConfig } from "../../src/config";

test("defaults need no environment at all", () => {
  const config = loadConfig({});

  expect(config.port).toBe(3000);
  expect(config.rateLimit).toBe(100);
  expect(config.corsOrigins).toEqual(["http://localhost:3000"]);
  expect(config.connectTimeoutMs).toBe(3000);
});

test("the environment overrides the defaults", () => {
  const config = loadConfig({
    PORT: "8080",
    RATE_LIMIT: "5",
    CORS_ORIGINS: "https://a.example.com,https://b.example.com",
    PROFILE_API_URL: "https://profiles.internal",
  });

  expect(config.port).toBe(8080);
  expect(config.rateLimit).toBe(5);
  expect(config.corsOrigins).toEqual(["https://a.example.com", "https://b.example.com"]);
  expect(config.profileApiUrl).toBe("https://profiles.internal");
});
