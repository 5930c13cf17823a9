// The API's contract: the committed OpenAPI document (openapi.json) and a check of every
// answer the API tests get against it, by a JSON Schema validator (ajv) that knows nothing of
// the app's zod schemas: a renamed field fails here even though the live document changes with it.
import fs from "node:fs";
import path from "node:path";

import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import type { Express, NextFunction, Request, Response } from "express";

export const SNAPSHOT = path.join(__dirname, "..", "..", "openapi.json");
export const ACCEPT = "npm run openapi";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { [key: string]: Json };

// The one spelling of a document: sorted keys, 2-space indent, a trailing newline.
export function dump(document: unknown): string {
  const sorted = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sorted);
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sorted((value as Record<string, unknown>)[key])]));
    }
    return value;
  };
  return `${JSON.stringify(sorted(document), null, 2)}\n`;
}

export function readSnapshot(): string {
  return fs.existsSync(SNAPSHOT) ? fs.readFileSync(SNAPSHOT, "utf8") : "";
}

// Objects with listed properties accept no others: an added or renamed field is a change.
function closed(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema && typeof schema === "object") {
    const copy: Schema = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, closed(value)]));
    if ("properties" in copy && !("additionalProperties" in copy)) copy.additionalProperties = false;
    return copy;
  }
  return schema;
}

// /users/{id} -> a regular expression matching /users/7.
function pattern(template: string): RegExp {
  const parts = template.split("/").map((part) => (part.startsWith("{") ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  return new RegExp(`^${parts.join("/")}$`);
}

export class Contract {
  readonly document: Schema;
  private readonly paths: [RegExp, string][];
  // Schemas are not checked against JSON Schema's own meta-schema here: compiling it takes
  // ~60 ms, in every test file; contract.test.ts checks the document's schemas once.
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(document: Schema) {
    this.document = document;
    addFormats(this.ajv, ["date-time", "uri"]);
    // Which addresses are valid is the input schema's call (zod); ajv's own rule is stricter.
    this.ajv.addFormat("email", true);
    // Literal paths before templated ones, so /users/me is not read as /users/{id}.
    this.paths = Object.keys(document.paths as Schema)
      .sort((a, b) => a.split("{").length - b.split("{").length)
      .map((template) => [pattern(template), template]);
    this.ajv.addSchema({ components: closed(document.components ?? {}) } as Schema, "openapi.json");
  }

  static fromSnapshot(): Contract {
    const text = readSnapshot();
    if (!text) throw new Error(`openapi.json is missing: run \`${ACCEPT}\` and commit it`);
    return new Contract(JSON.parse(text) as Schema);
  }

  // What breaks the contract in this answer (nothing for paths and methods the document does
  // not name: CORS preflights, unknown routes).
  violations(method: string, url: string, status: number, body: string, contentType: string): string[] {
    const urlPath = url.split("?")[0] ?? url;
    const found = this.paths.find(([regex]) => regex.test(urlPath));
    const operation = found && ((this.document.paths as Schema)[found[1]] as Schema)[method.toLowerCase()];
    if (!found || !operation) return [];
    const where = `${method} ${urlPath} answered ${status}`;
    const responses = (operation as Schema).responses as Schema;
    const response = responses[String(status)] as Schema | undefined;
    // A 500 is a bug, in no contract: the fuzz tests hunt for them.
    if (!response && status === 500) return [];
    if (!response) return [`${where}, which openapi.json does not document (documented: ${Object.keys(responses).join(", ")})`];
    const schema = ((response.content as Schema | undefined)?.["application/json"] as Schema | undefined)?.schema;
    if (schema === undefined) return [];
    if (!contentType.includes("json")) return [`${where} with ${contentType || "no"} content type, not JSON`];
    const key = `${found[1]} ${method} ${status}`;
    let validate = this.validators.get(key);
    if (!validate) {
      // Its $refs point into the components registered above.
      validate = this.ajv.compile(JSON.parse(JSON.stringify(closed(schema)).replaceAll('"#/components/', '"openapi.json#/components/')));
      this.validators.set(key, validate);
    }
    if (validate(JSON.parse(body))) return [];
    return [`${where} with a body that breaks openapi.json:`, ...(validate.errors ?? []).map((e) => `  ${e.instancePath || "(body)"}: ${e.message}`)];
  }
}

// The same app, whose every answer is checked against `contract`; what breaks it lands in
// `violations` (the test fails on them in afterEach: a throw here would only break the answer).
export function checkedAgainst(contract: Contract, app: Express, violations: string[]): Express {
  const handle = (app as unknown as { handle: (req: Request, res: Response, next?: NextFunction) => void }).handle.bind(app);
  Object.assign(app, {
    handle(req: Request, res: Response, next?: NextFunction) {
      const chunks: Buffer[] = [];
      const { write, end } = res;
      const keep = (chunk: unknown, encoding?: unknown) => {
        if (chunk && typeof chunk !== "function") {
          chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk), typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8"));
        }
      };
      res.write = function (this: Response, chunk: unknown, ...rest: unknown[]) {
        keep(chunk, rest[0]);
        return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
      } as Response["write"];
      // Checked as the answer ends, before the client can have read it.
      res.end = function (this: Response, chunk?: unknown, ...rest: unknown[]) {
        keep(chunk, rest[0]);
        const type = String(res.getHeader("content-type") ?? "");
        const body = Buffer.concat(chunks).toString("utf8");
        violations.push(...contract.violations(req.method, req.originalUrl, res.statusCode, body, type));
        return (end as (...args: unknown[]) => Response).call(this, chunk, ...rest);
      } as Response["end"];
      handle(req, res, next);
    },
  });
  return app;
}
