// Once per run, after the last worker: undo what globalSetup did (each service's run-level
// set-up, and the containers it started).
import type { Config } from "@jest/types";

import { finishRun, type TestRun } from "../support/services";

const state = globalThis as typeof globalThis & { __testRun?: TestRun };

export default async function globalTeardown(globalConfig: Config.GlobalConfig): Promise<void> {
  await finishRun(state.__testRun, globalConfig.maxWorkers);
  state.__testRun = undefined;
}
