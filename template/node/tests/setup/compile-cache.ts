// Jest gives every test file a sandbox of its own and loads each module into it afresh:
// express, zod and the app compiled again for every file, about a tenth of a second each time.
// V8 can skip the compiling with the code it cached for the same source, so this keeps that
// cache for the worker process: a module compiles once per worker, yet every file still runs
// its own copy of it. A source that changed (watch mode) compiles anew.
import vm from "node:vm";

type Compiled = ReturnType<typeof vm.compileFunction> & { cachedData?: Buffer };

const compileFunction = vm.compileFunction;
const cached = new Map<string, { source: string; data: Buffer }>();

vm.compileFunction = function compileOnce(source, params, options) {
  const filename = options?.filename;
  if (!filename) return compileFunction(source, params, options);
  const entry = cached.get(filename);
  if (entry?.source === source) return compileFunction(source, params, { ...options, cachedData: entry.data });
  const compiled: Compiled = compileFunction(source, params, { ...options, produceCachedData: true });
  if (compiled.cachedData) cached.set(filename, { source, data: compiled.cachedData });
  return compiled;
};
