#!/usr/bin/env node
// Writes the JavaScript (CommonJS) variant of the Express project from its TypeScript sources:
// template/node/{src,tests}/**/*.ts[.jinja] -> the same path as .js.jinja. ts-blank-space
// erases the types in place, so every comment, blank line and line break of the source stays
// where it was; then the lines that held only types go (with the comment right above a
// removed declaration), imports become require() and exports a module.exports at the end.
// Each output starts with a Jinja comment saying it is generated: Copier drops it on render.
// Run `make js` after changing a .ts file.
// Needs ts-blank-space (and its typescript): NODE_PATH=<dir with node_modules> node tools/ts-to-js.js
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { pathToFileURL } = require("node:url");

const ROOT = path.resolve(__dirname, "..", "template", "node");
const HEADER = "{#- Generated from %s by tools/ts-to-js.js: edit the TypeScript source, then run `make js`. -#}";
const JINJA_LINE = /^\s*\{[%#].*[%#]\}\s*$/;
const JINJA_EXPRESSION = /\{\{.*?\}\}/g;
const PLACEHOLDER = /__jinja_(\d+)__/g;

function* sources(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(full);
    else if (/\.ts(\.jinja)?$/.test(entry.name)) yield full;
  }
}

// Jinja is not TypeScript: a line holding only a tag becomes a comment, and each `{{ ... }}`
// an identifier, so the parser sees valid code; `restore` puts them back.
function protect(lines, file) {
  const saved = [];
  const keep = (text) => `__jinja_${saved.push(text) - 1}__`;
  const protectedLines = lines.map((line, index) => {
    if (JINJA_LINE.test(line)) return `//${keep(line)}`;
    const rest = line.replace(JINJA_EXPRESSION, keep);
    if (/\{[{%#]/.test(rest)) {
      throw new Error(`${file}:${index + 1}: a Jinja tag needs a line of its own, and {{ ... }} must close on its line`);
    }
    return rest;
  });
  return { protectedLines, restore: (text) => text.replace(PLACEHOLDER, (_, n) => saved[Number(n)]) };
}

// One line of ts-blank-space output, without the room its types took: the indentation of the
// source, and each erased span (with the spaces around it) gone, or one space where the
// source had one after it: `(key: string): T {` -> `(key) {`. The `;` ts-blank-space puts in
// place of an erased statement goes too (every statement of the sources ends with one).
function compact(source, blanked) {
  const indent = source.match(/^\s*/)[0];
  const erasedAt = (i) => /\S/.test(source[i]) && (/\s/.test(blanked[i]) || (blanked[i] === ";" && source[i] !== ";"));
  let out = "";
  let run = "";
  let erased = false;
  const casts = [];
  for (let i = indent.length; i < source.length; i += 1) {
    if (erasedAt(i) || /\s/.test(blanked[i])) {
      run += source[i];
      erased ||= erasedAt(i);
      continue;
    }
    if (out !== "") {
      if (erased && /^\s+(as|satisfies)\s/.test(run)) casts.push(out.length);
      out += erased ? (/\s$/.test(run) ? " " : "") : run;
    }
    out += blanked[i];
    run = "";
    erased = false;
  }
  if (erased && /^\s+(as|satisfies)\s/.test(run)) casts.push(out.length);
  for (const at of casts.reverse()) out = unwrap(out, at);
  return {
    text: out === "" ? "" : indent + out,
    changed: blanked !== source,
    // The line's first token was a type's (`};` closing `as {...};`).
    startsErased: source.length > indent.length && erasedAt(indent.length),
  };
}

// Parentheses an erased `as` needed and the JavaScript does not: `(error as E).code` ->
// `error.code`, `(await response.json()) as T;` -> `await response.json();`. `at` is where
// the cast stood; only a simple operand (no space outside brackets) loses them, or an
// `await` of one at the end of an expression; a call's parentheses stay.
function unwrap(text, at) {
  const close = text[at] === ")" ? at : text[at - 1] === ")" ? at - 1 : -1;
  if (close < 0) return text;
  let depth = 0;
  let open = close;
  for (; open >= 0; open -= 1) {
    if (text[open] === ")") depth += 1;
    if (text[open] === "(" && --depth === 0) break;
  }
  if (open < 0 || /[\w$)\]>]/.test(text[open - 1] ?? "") || /\b(if|while|for|switch|catch|with)\s*$/.test(text.slice(0, open))) {
    return text;
  }
  const inner = text.slice(open + 1, close);
  let level = 0;
  let spaced = false;
  for (const char of inner) {
    if ("([{".includes(char)) level += 1;
    else if (")]}".includes(char)) level -= 1;
    else if (level === 0 && /[\s"'`]/.test(char)) spaced = true;
  }
  const simple = !spaced && /^[\w$]/.test(inner);
  const awaited = /^await [\w$][^\s]*$/.test(inner) && /^\s*([;,)\]}]|$)/.test(text.slice(close + 1));
  return simple || awaited ? text.slice(0, open) + inner + text.slice(close + 1) : text;
}

function destructure(names) {
  return names
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean)
    .map((name) => name.replace(/^(\S+)\s+as\s+(\S+)$/, "$1: $2"))
    .join(", ");
}

function toCommonJs(text, file) {
  const exported = [];
  let defaultExport;
  let out = text
    .replace(/^import \* as (\w+) from ("[^"]+");$/gm, "const $1 = require($2);")
    .replace(/^import (\w+), \{([^}]*)\} from ("[^"]+");$/gm, (_, def, names, from) =>
      destructure(names) ? `const ${def} = require(${from});\nconst { ${destructure(names)} } = ${def};` : `const ${def} = require(${from});`)
    .replace(/^import \{([^}]*)\} from ("[^"]+");$/gm, (_, names, from) => `const { ${destructure(names)} } = require(${from});`)
    .replace(/^import (\w+) from ("[^"]+");$/gm, "const $1 = require($2);")
    .replace(/^import ("[^"]+");$/gm, "require($1);")
    .replace(/^export default (async )?function (\w+)/gm, (_, isAsync, name) => {
      defaultExport = name;
      return `${isAsync ?? ""}function ${name}`;
    })
    .replace(/^export default (\w+);$/gm, (_, name) => {
      defaultExport = name;
      return "";
    })
    .replace(/^export (async function|function|class|const|let) (\w+)/gm, (_, kind, name) => {
      exported.push(name);
      return `${kind} ${name}`;
    });
  if (/^\s*(import|export)\b/m.test(out)) {
    throw new Error(`${file}: an import or export the converter does not know: ${out.match(/^\s*(import|export)\b.*$/m)[0]}`);
  }
  out = out.replace(/\s+$/, "\n");
  if (defaultExport) {
    out += `\nmodule.exports = ${defaultExport};\n`;
  } else if (exported.length > 0) {
    out += `\nmodule.exports = { ${exported.join(", ")} };\n`;
  }
  return out;
}

function tidy(text) {
  return (
    text
      // Jinja blocks left empty by type-only lines.
      .replace(/^\{%-? if [^%]*%\}\n\{%-? endif -?%\}\n/gm, "")
      .replace(/^\{%-? else -?%\}\n(\{%-? endif -?%\})$/gm, "$1")
      .replace(/^(\{%-? )if (.*?) (-?%\})\n\{%-? else -?%\}\n/gm, "$1if not ($2) $3\n")
      // Blank lines that lost what stood between them, or now open or close a block.
      .replace(/\n{3,}/g, "\n\n")
      .replace(/([{[(]\n)\n+/g, "$1")
      .replace(/\n\n+(\s*[}\])])/g, "\n$1")
      .replace(/^\n+/, "")
  );
}

function convert(file, blankSpace) {
  const isJinja = file.endsWith(".jinja");
  const source = fs.readFileSync(file, "utf8");
  if (!isJinja && /\{[{%#]/.test(source)) {
    // The output is a Jinja template: this would be rendered, not copied.
    throw new Error(`${file}: Jinja syntax ({{, {% or {#) in a file that is not .jinja`);
  }
  const { protectedLines, restore } = protect(source.split("\n"), file);
  const input = protectedLines.join("\n");
  const refused = [];
  const output = blankSpace(input, (node) => refused.push(node));
  if (refused.length > 0) {
    const where = refused.map((node) => {
      const start = node.pos + input.slice(node.pos).search(/\S/);
      return `${file}:${input.slice(0, start).split("\n").length}: \`${input.slice(start, node.end).split("\n")[0]}\``;
    });
    // Enums, namespaces, parameter properties: write them as plain objects and fields.
    throw new Error(`${where.join("\n")}\n  TypeScript that has no JavaScript by erasing types alone`);
  }
  const blankedLines = output.split("\n");

  const lines = protectedLines.map((line, i) => {
    if (line.trim() === "") return { text: "" };
    const { text, changed, startsErased } = compact(line, blankedLines[i]);
    // A class field declared for its type only (`private readonly client: Redis;`).
    const typeOnlyField = changed && /^\s+[A-Za-z_$][\w$]*;$/.test(text) && !/^\s+(return|break|continue|debugger);$/.test(text);
    return { text, removed: text === "" || typeOnlyField, changed, startsErased, source: line };
  });
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i];
    if (!line.removed || lines[i - 1]?.removed || /^\s*(import|export \{|export type \{)/.test(line.source)) continue;
    // The comment right above a removed declaration describes it: it goes too.
    for (let j = i - 1; j >= 0 && /^\s*\/\/(?!__jinja_)/.test(lines[j].text); j -= 1) lines[j].removed = true;
  }
  const kept = [];
  for (const line of lines) {
    if (line.removed) continue;
    // What is left of a multi-line type on its last line (`};` of `as {...};`) joins the code.
    if (line.startsErased && /^\s*[;,)\]]+$/.test(line.text) && kept.length > 0) {
      kept[kept.length - 1] += line.text.trim();
      continue;
    }
    kept.push(line.text.trimEnd());
  }
  // Imports and exports are rewritten while Jinja is still identifiers, so a templated
  // `import { {{ name }} } from "./{{ file }}";` converts like any other.
  const code = kept.map((text) => text.replace(/^\/\/(__jinja_\d+__)$/, "$1")).join("\n");
  const js = tidy(restore(toCommonJs(code, file)));
  const count = (pattern) => (js.match(pattern) ?? []).length;
  if (count(/\{%-? if /g) !== count(/\{%-? endif/g) || count(/\{%-? for /g) !== count(/\{%-? endfor/g)) {
    // A Jinja line inside a type-only declaration goes away with it: move it out.
    throw new Error(`${file}: Jinja blocks lost their balance in the JavaScript output`);
  }
  const target = file.replace(/\.ts(\.jinja)?$/, ".js.jinja");
  fs.writeFileSync(target, `${HEADER.replace("%s", path.basename(file))}\n${js}`);
  return target;
}

// Outputs without a source any more: a generated .js.jinja whose .ts is gone, or a .js of
// the layout before outputs were .js.jinja.
function stale(dir, written) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...stale(full, written));
    else if (written.has(full)) continue;
    else if (entry.name.endsWith(".js.jinja") && fs.readFileSync(full, "utf8").startsWith(HEADER.split("%s")[0])) found.push(full);
    else if (entry.name.endsWith(".js") && [".ts", ".ts.jinja"].some((ext) => fs.existsSync(full.replace(/\.js$/, ext)))) {
      found.push(full);
    }
  }
  return found;
}

async function main() {
  // ts-blank-space is an ES module; NODE_PATH reaches it only through require.resolve.
  const { default: blankSpace } = await import(pathToFileURL(require.resolve("ts-blank-space")).href);
  const dirs = [path.join(ROOT, "src"), path.join(ROOT, "tests")];
  const written = new Set();
  let failed = false;
  for (const file of dirs.flatMap((dir) => [...sources(dir)])) {
    try {
      const target = convert(file, blankSpace);
      written.add(target);
      console.log(path.relative(ROOT, target));
    } catch (error) {
      console.error(error.message);
      failed = true;
    }
  }
  if (!failed) {
    for (const file of dirs.flatMap((dir) => stale(dir, written))) {
      fs.rmSync(file);
      console.log(`removed ${path.relative(ROOT, file)}`);
    }
  }
  process.exitCode = failed ? 1 : 0;
}

main();
