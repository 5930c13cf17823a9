// loadConfig: defaults that need no environment, and the environment overriding them.
import { loadConfig } from "../../src/config";

const DEFAULTS = loadConfig({});

// A setting's variable: connectTimeoutMs is read from CONNECT_TIMEOUT_MS.
const variable = (setting: string) => setting.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase();

test("defaults need no environment at all", () => {
  expect(DEFAULTS.port).toBe(3000);
  expect(DEFAULTS.rateLimit).toBe(100);
  expect(DEFAULTS.corsOrigins).toEqual(["http://localhost:3000"]);
  expect(DEFAULTS.connectTimeoutMs).toBe(3000);
  const emptyTexts = Object.entries(DEFAULTS).filter(([, value]) => value === "");
  expect(emptyTexts).toEqual([]);
});

test("every setting comes from its variable", () => {
  const env: Record<string, string> = {};
  const expected: Record<string, unknown> = {};
  Object.keys(DEFAULTS).forEach((setting, index) => {
    const value = DEFAULTS[setting as keyof typeof DEFAULTS];
    if (Array.isArray(value)) {
      env[variable(setting)] = "https://a.example.com";
      expected[setting] = ["https://a.example.com"];
    } else if (typeof value === "number") {
      env[variable(setting)] = String(index + 1);
      expected[setting] = index + 1;
    } else {
      env[variable(setting)] = `${setting}-from-env`;
      expected[setting] = `${setting}-from-env`;
    }
  });

  expect(loadConfig(env)).toEqual(expected);
});

test("an empty number counts as unset, and empty origins are left out", () => {
  const config = loadConfig({ PORT: "", RATE_LIMIT: "", CORS_ORIGINS: "https://a.example.com,,https://b.example.com," });

  expect([config.port, config.rateLimit]).toEqual([3000, 100]);
  expect(config.corsOrigins).toEqual(["https://a.example.com", "https://b.example.com"]);
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
