// Property-based: whatever sign-up's validation accepts, the users store keeps exactly as
// accepted (a SQL database refuses NUL; its driver would turn an unpaired surrogate into U+FFFD).
import fc from "fast-check";

import { DuplicateEmailError } from "../../src/users/repository";
import { userCreate } from "../../src/users/schemas";
import { PASSWORD } from "../factories/users";
import { useTestApp } from "../support/app";
import { plainEmail, someText } from "./arbitraries";

const t = useTestApp();

// Text that reaches a database unchanged: no NUL, and the same after a round trip through UTF-8.
function sentAsIs(text: string): boolean {
  return !text.includes("\u0000") && Buffer.from(text, "utf8").toString("utf8") === text;
}

test("accepted sign-ups are stored as accepted", async () => {
  const signUp = fc.record({ email: plainEmail, fullName: someText, password: fc.constant(PASSWORD) });
  await fc.assert(
    fc.asyncProperty(signUp, async (candidate) => {
      const accepted = userCreate.safeParse(candidate);
      fc.pre(accepted.success);
      const { email, fullName } = accepted.data;
      expect([sentAsIs(email), sentAsIs(fullName)]).toEqual([true, true]);

      const stored = await t.users.add({ email, fullName, passwordHash: "not-a-real-hash" }).catch((error: unknown) => {
        // The same email twice is refused as documented (409), not a failure.
        if (error instanceof DuplicateEmailError) {
          return undefined;
        }
        throw error;
      });
      if (stored) {
        const readBack = await t.users.get(stored.id);
        expect([readBack?.email, readBack?.fullName]).toEqual([email, fullName]);
      }
    }),
  );
});
