// Jest's Node environment, plus two duties: modules compile once per worker (compile-cache),
// and a worker whose run is gone (`--bail`, a failed or interrupted run) exits at once. Left
// alone it would finish its current test file first, holding its connections to the services
// for as long as that takes.
import "./compile-cache";

import { TestEnvironment } from "jest-environment-node";

// This module loads once per worker process; `disconnect` is its parent going away.
if (process.send) {
  process.once("disconnect", () => process.exit(1));
}

export default TestEnvironment;
