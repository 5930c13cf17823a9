// Names of what a test creates, unique per worker (and per test where it matters).
import { randomUUID } from "node:crypto";

// Every client connect in the tests gives up after this long: a dead host fails fast.
export const CONNECT_TIMEOUT_MS = 3000;

// Jest numbers its workers from 1; a serial run is worker 1.
export function workerId(): number {
  return Number.parseInt(process.env.JEST_WORKER_ID ?? "1", 10);
}

// Per-test names for queues, exchanges and keys: `test.2.3f2a9c1d`.
export function uniqueName(kind = "test"): string {
  return `${kind}.${workerId()}.${randomUUID().slice(0, 8)}`;
}
