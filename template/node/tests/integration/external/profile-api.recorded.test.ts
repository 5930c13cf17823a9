// The profile client against answers recorded once from the real API, replayed offline.
// nock.back replays tests/fixtures/recorded/*.json in "lockdown" mode: a request that is not
// recorded fails instead of reaching the network. Re-recording is opt-in (see the README):
// PROFILE_API_RECORD=1 records the fixtures that are missing, from PROFILE_API_RECORD_URL.
import path from "node:path";

import nock from "nock";

import { ProfileClient } from "../../../src/clients/profiles";
import { takeUnmatched } from "../../setup/outbound-http";
import { PROFILE_API_URL } from "../../support/app";

const RECORDING = process.env.PROFILE_API_RECORD === "1";
const RECORD_FROM = (RECORDING && process.env.PROFILE_API_RECORD_URL) || PROFILE_API_URL;

nock.back.fixtures = path.resolve(__dirname, "../../fixtures/recorded");
nock.back.setMode(RECORDING ? "record" : "lockdown");

// Stored under the placeholder host, without the headers that change on every answer.
function stable(definitions: nock.Definition[]): nock.Definition[] {
  return definitions.map((definition) => ({ ...definition, scope: PROFILE_API_URL, rawHeaders: { "content-type": "application/json" } }));
}

async function replaying<T>(fixture: string, run: (client: ProfileClient) => Promise<T>): Promise<T> {
  const { nockDone } = await nock.back(fixture, { afterRecord: stable });
  try {
    return await run(new ProfileClient(RECORD_FROM, 5000));
  } finally {
    nockDone();
    if (RECORDING) {
      takeUnmatched(); // recording reaches the real API on purpose
    }
  }
}

test("a recorded profile is parsed", async () => {
  const profile = await replaying("profile-found.json", (client) => client.fetch("ada@example.com"));

  expect(profile).toEqual({ displayName: "Ada L.", avatarUrl: "https://avatars.example.com/ada.png" });
});

test("a recorded missing profile is null", async () => {
  await expect(replaying("profile-missing.json", (client) => client.fetch("nobody@example.com"))).resolves.toBeNull();
});

test("a request missing from the recording fails", async () => {
  await expect(replaying("profile-found.json", (client) => client.fetch("someone-else@example.com"))).rejects.toThrow();
  expect(takeUnmatched()).toHaveLength(1); // and the outbound guard saw it
});
