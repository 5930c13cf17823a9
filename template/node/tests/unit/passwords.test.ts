// Password hashes: salted, and verifying their own password only.
import { hashPassword, verifyPassword } from "../../src/passwords";

test("a hash verifies its own password only", async () => {
  const hash = await hashPassword("correct-horse", 4);

  expect(hash).not.toContain("correct-horse");
  expect(await verifyPassword("correct-horse", hash)).toBe(true);
  expect(await verifyPassword("wrong-horse", hash)).toBe(false);
});

test("each hash is salted", async () => {
  expect(await hashPassword("same", 4)).not.toBe(await hashPassword("same", 4));
});
