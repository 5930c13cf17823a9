// fast-check for tests/fuzz: few runs per property, so the whole fuzz project stays within
// about two seconds. In CI a fixed seed, so a red run replays the same inputs; locally a new
// one each run, so every run tries new inputs (a failure prints its seed and path: pass them
// to fc.assert to replay it).
import fc from "fast-check";

fc.configureGlobal({ numRuns: 30, ...(process.env.CI ? { seed: 20261114 } : {}) });
