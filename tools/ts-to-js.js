#!/usr/bin/env node
// Writes the JavaScript (CommonJS) variant of the Express project from its TypeScript sources:
// template/{src,tests}/**/*.ts[.jinja] -> the same path with .js. Types are stripped by the
// TypeScript compiler (comments, blank lines and Jinja lines kept); imports become require()
// and exports a module.exports at the end. Run `make js` after changing a .ts file.
// Needs the `typescript` package: NODE_PATH=<dir with node_modules> node tools/ts-to-js.js
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const ts = require("typescript");

const ROOT = path.resolve(__dirname, "..", "template");
const BLANK = "//@@blank@@";
const JINJA = "//@@jinja@@";

function* sources(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(full);
    else if (/\.ts(\.jinja)?$/.test(entry.name)) yield full;
  }
}

function protect(text) {
  return text
    .split("\n")
    // Type-only imports vanish anyway, and would take the comments above them along.
    .filter((line) => !/^import type .*;$/.test(line))
    .map((line) => {
      if (line.trim() === "") return BLANK;
      if (/^\s*\{[%#].*[%#]\}\s*$/.test(line)) return JINJA + line;
      return line;
    })
    .join("\n");
}

function restore(text) {
  return text
    .split("\n")
    // Class fields declared for their types only (never a bare `return;` or `break;`).
    .filter((line) => !/^\s+(?!(?:return|break|continue|debugger);)[A-Za-z_$][\w$]*;$/.test(line))
    .map((line) => {
      const trimmed = line.trim();
      if (trimmed === BLANK) return "";
      if (trimmed.startsWith(JINJA)) return trimmed.slice(JINJA.length);
      // The compiler indents by 4; the project by 2.
      return line.replace(/^( {4})+/, (indent) => " ".repeat(indent.length / 2));
    })
    .join("\n")
    .replace(/\{\n\n+/g, "{\n");
}

function destructure(names) {
  return names
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean)
    .map((name) => name.replace(/^(\S+)\s+as\s+(\S+)$/, "$1: $2"))
    .join(", ");
}

function toCommonJs(text) {
  const exported = [];
  let defaultExport;
  let out = text
    .replace(/^import \* as (\w+) from ("[^"]+");$/gm, "const $1 = require($2);")
    .replace(/^import (\w+), \{([^}]*)\} from ("[^"]+");$/gm, (_, def, names, from) =>
      names.trim() ? `const ${def} = require(${from});\nconst { ${destructure(names)} } = ${def};` : `const ${def} = require(${from});`)
    .replace(/^import \{([^}]*)\} from ("[^"]+");$/gm, (_, names, from) => `const { ${destructure(names)} } = require(${from});`)
    .replace(/^import (\w+) from ("[^"]+");$/gm, (_, name, from) =>
      from.endsWith('.json"') ? `const ${name} = require(${from});` : `const ${name} = require(${from});`)
    .replace(/^import ("[^"]+");$/gm, "require($1);")
    .replace(/^export default (async )?function (\w+)/gm, (_, isAsync, name) => {
      defaultExport = name;
      return `${isAsync ?? ""}function ${name}`;
    })
    .replace(/^export (async function|function|class|const|let) (\w+)/gm, (_, kind, name) => {
      exported.push(name);
      return `${kind} ${name}`;
    })
    .replace(/^export \{\};?\n?/gm, "");
  out = out.replace(/\s+$/, "\n");
  if (defaultExport) {
    out += `\nmodule.exports = ${defaultExport};\n`;
  } else if (exported.length > 0) {
    out += `\nmodule.exports = { ${exported.join(", ")} };\n`;
  }
  return out;
}

function convert(file) {
  const source = fs.readFileSync(file, "utf8");
  const { outputText } = ts.transpileModule(protect(source), {
    fileName: file.replace(/\.jinja$/, ""),
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      verbatimModuleSyntax: true,
      removeComments: false,
      useDefineForClassFields: true,
    },
  });
  const js = toCommonJs(restore(outputText))
    .replace(/^\n+/, "")
    // Jinja blocks left empty by type-only lines.
    .replace(/^\{%-? if [^%]*%\}\n\{%-? endif %\}\n/gm, "")
    .replace(/^\{%-? else %\}\n(\{%-? endif %\})$/gm, "$1");
  const count = (pattern) => (js.match(pattern) ?? []).length;
  if (count(/\{%-? if /g) !== count(/\{%-? endif/g) || count(/\{%-? for /g) !== count(/\{%-? endfor/g)) {
    // A Jinja line above a type-only declaration goes away with it: move the declaration.
    throw new Error(`${file}: Jinja blocks lost their balance in the JavaScript output`);
  }
  const target = file.replace(/\.ts(\.jinja)?$/, ".js$1");
  fs.writeFileSync(target, js);
  return target;
}

const files = [...sources(path.join(ROOT, "src")), ...sources(path.join(ROOT, "tests"))];
let failed = false;
for (const file of files) {
  try {
    console.log(path.relative(ROOT, convert(file)));
  } catch (error) {
    console.error(error.message);
    failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
