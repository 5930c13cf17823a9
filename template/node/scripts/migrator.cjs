// node-pg-migrate in a child process, for the migration tests (tests/support/postgres): the
// package is ESM-only, so it cannot load inside Jest's module system, and a command-line run
// per step pays ~0.3 s of Node start-up. One such process serves a whole test file: each
// message is one run of the migrations, with the command line's settings (see `migrate`), and
// gets an answer when it is done. It exits with its parent (the IPC channel closes).
"use strict";

const migrations = import("node-pg-migrate");

process.on("message", async ({ id, url, dir, direction, count }) => {
  try {
    const { runner } = await migrations;
    await runner({
      databaseUrl: url,
      dir,
      direction,
      count: count ?? undefined,
      migrationsTable: "pgmigrations",
      checkOrder: false,
      verbose: false,
      log: () => undefined,
    });
    process.send({ id });
  } catch (error) {
    process.send({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
