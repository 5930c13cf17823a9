// Database names of a test run, derived from the database named in TEST_DATABASE_URL.
// Two runs on one server never collide as long as their URLs name different databases;
// every name stays under PostgreSQL's 63-byte identifier limit, which would otherwise
// truncate it silently (and a hash at its end with it).
import { createHash } from "node:crypto";

export const MAX_IDENTIFIER_BYTES = 63;
export const MAX_BASE_BYTES = 40;

export function checked(name: string): string {
  if (Buffer.byteLength(name) > MAX_IDENTIFIER_BYTES) {
    throw new Error(`"${name}" is longer than PostgreSQL's ${MAX_IDENTIFIER_BYTES}-byte identifier limit`);
  }
  return name;
}

// The database name from the URL, made safe: [a-z0-9_], at most 40 bytes.
export function baseName(database: string): string {
  let base = database.toLowerCase().replace(/[^a-z0-9_]/g, "_") || "test";
  if (base.length > MAX_BASE_BYTES) {
    const digest = createHash("sha256").update(base).digest("hex").slice(0, 8);
    base = `${base.slice(0, MAX_BASE_BYTES - 9)}_${digest}`;
  }
  return base;
}

export function templateDatabase(base: string, digest: string): string {
  return checked(`${base}_t${digest.slice(0, 12)}`);
}

export function workerDatabase(base: string, worker: number): string {
  return checked(`${base}_${worker}`);
}

export function migrationDatabase(base: string, worker: number): string {
  return checked(`${base}_mig_${worker}`);
}
