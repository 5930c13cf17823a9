// The published OpenAPI document is a contract with clients, and it is committed (openapi.json):
// a change to the API fails here with a diff until it is accepted with `npm run openapi`, which
// runs this test with OPENAPI_WRITE=1 to rewrite the snapshot.
import fs from "node:fs";

import { diff } from "jest-diff";

import { loadConfig } from "../../src/config";
import { openApiDocument } from "../../src/openapi";
import { ACCEPT, dump, readSnapshot, SNAPSHOT } from "../support/contract";

test("the API's document is the committed one", () => {
  // The title is the app's name as configured by default, as clients see it.
  const live = dump(openApiDocument(loadConfig({}).appName));
  if (process.env.OPENAPI_WRITE === "1") {
    fs.writeFileSync(SNAPSHOT, live);
    console.log(`Wrote openapi.json: review the diff and commit it with the change to the API.`);
  }
  const committed = readSnapshot();

  if (live !== committed) {
    throw new Error(
      `The API's contract changed. If that is meant, run \`${ACCEPT}\` and commit openapi.json:\n` +
        diff(committed, live, { aAnnotation: "committed", bAnnotation: "the app's", contextLines: 3, expand: false }),
    );
  }
});
