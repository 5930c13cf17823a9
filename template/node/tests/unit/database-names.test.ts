// Database names of a run: safe characters, and never past PostgreSQL's 63-byte limit.
import { baseName, checked, migrationDatabase, templateDatabase, workerDatabase } from "../support/database-names";

test("the base name is safe and at most 40 bytes", () => {
  expect(baseName("My-Service.Test")).toBe("my_service_test");
  const long = baseName("a".repeat(80));
  expect(Buffer.byteLength(long)).toBeLessThanOrEqual(40);
  expect(long).not.toBe(baseName(`${"a".repeat(79)}b`));
});

test("every derived name fits PostgreSQL's 63-byte limit", () => {
  const base = baseName("x".repeat(100));

  for (const name of [templateDatabase(base, "f".repeat(64)), workerDatabase(base, 99), migrationDatabase(base, 99)]) {
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(63);
  }
});

test("a name over the limit is refused instead of truncated", () => {
  expect(() => checked("n".repeat(64))).toThrow(/63-byte/);
});
