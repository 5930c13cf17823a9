// Outbound HTTP at the boundary: every request must be mocked with nock, or the test fails.
// nock refuses unmocked requests, but app code may catch that error; so every unmatched
// request is also recorded here and fails the test in afterEach regardless. Loopback stays
// open for supertest, which talks to the app over 127.0.0.1.
import http from "node:http";

// Before nock: it keeps the unpatched http.request.
import { directRequest } from "./direct-http";
import nock from "nock";

const LOOPBACK = /^(127\.0\.0\.1|localhost|\[::1\]|::1)(:\d+)?$/;
const unmatched: string[] = [];

nock.disableNetConnect();
nock.enableNetConnect((host) => LOOPBACK.test(host));
// Loopback requests (supertest's, to the app) skip the interception: nock lets them through
// anyway, but only after ~1 ms of taking each one apart and putting it back together. So a
// loopback address cannot be mocked here; nothing needs to.
const intercepted = http.request;
http.request = function request(...args: unknown[]) {
  const [target, options] = args as [string | URL | http.RequestOptions, http.RequestOptions | undefined];
  return Reflect.apply(LOOPBACK.test(hostOf(target, options)) ? directRequest : intercepted, http, args);
} as typeof http.request;

// The host an http.request call names: in its URL, else in its options.
function hostOf(target: string | URL | http.RequestOptions, options?: http.RequestOptions): string {
  if (typeof target === "string" || target instanceof URL) {
    return new URL(target).hostname;
  }
  const named = options ?? target;
  return named.hostname ?? named.host ?? "";
}

nock.emitter.on("no match", (request: { method?: string; href?: string; host?: string; hostname?: string }) => {
  const host = request.host ?? request.hostname ?? "";
  if (!LOOPBACK.test(host)) {
    unmatched.push(`${request.method ?? "GET"} ${request.href ?? host}`);
  }
});

// The unmatched requests so far, forgotten once read (for tests of this guard itself).
export function takeUnmatched(): string[] {
  return unmatched.splice(0);
}

// Each test file loads nock anew; its interception goes with the file. Left on, it would
// catch the Docker client's requests in globalTeardown when Jest runs the files in its own
// process (one worker), and the containers would stay behind.
afterAll(() => {
  nock.restore();
});

afterEach(() => {
  const seen = takeUnmatched();
  nock.cleanAll();
  if (seen.length > 0) {
    throw new Error(`Unmocked outbound HTTP requests (mock them with nock):\n${seen.map((line) => `  ${line}`).join("\n")}`);
  }
});
