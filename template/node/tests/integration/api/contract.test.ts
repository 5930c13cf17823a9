// Every answer of the API tests is checked against the committed openapi.json (tests/support/
// contract); these tests show that check is not empty, and what the document promises.
import Ajv2020 from "ajv/dist/2020";
import request from "supertest";

import { openApiDocument } from "../../../src/openapi";
import { Contract } from "../../support/contract";
import { useTestApp } from "../../support/app";

const t = useTestApp();
const contract = Contract.fromSnapshot();

test("the app serves its document, titled after the app", async () => {
  const response = await request(t.app()).get("/openapi.json");

  expect(response.status).toBe(200);
  expect(response.body).toEqual(JSON.parse(JSON.stringify(openApiDocument(t.config.appName))));
  expect(response.body.info.title).toBe(t.config.appName);
});

test("an answer with a renamed field breaks the contract", () => {
  const renamed = { id: 1, mail: "ada@example.com", fullName: "Ada", createdAt: "2026-01-01T00:00:00.000Z" };

  const found = contract.violations("GET", "/users/1", 200, JSON.stringify(renamed), "application/json");

  expect(found.join("\n")).toMatch(/email/);
});

test("an undocumented status breaks the contract", () => {
  expect(contract.violations("GET", "/users/1", 418, "{}", "application/json").join("\n")).toMatch(/does not document/);
});

type Responses = Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;

test("the profile route documents every answer to a failing profile API", () => {
  const paths = contract.document.paths as Record<string, Record<string, { responses: Responses }>>;
  const responses = paths["/users/{id}/profile"]?.get?.responses ?? {};

  for (const status of ["200", "404", "422", "429", "502", "503", "504"]) {
    expect(responses[status]?.description).toBeTruthy();
  }
  for (const status of ["404", "502", "503", "504"]) {
    expect(responses[status]?.content?.["application/json"]?.schema).toEqual({ $ref: "#/components/schemas/ErrorMessage" });
  }
});

// Every schema the document holds, by where it is: components and each `schema` in the paths.
function schemasIn(value: unknown, where = "#"): [string, object][] {
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, inner]): [string, object][] => {
    const at = `${where}/${key}`;
    const own: [string, object][] = key === "schema" && inner && typeof inner === "object" ? [[at, inner]] : [];
    return [...own, ...schemasIn(inner, at)];
  });
}

// The contract check leaves this out (it would cost every test file the meta-schema): once here.
test("every schema in the document is valid JSON Schema 2020-12", () => {
  const ajv = new Ajv2020({ strict: false });
  const components = Object.entries((contract.document.components as { schemas?: object } | undefined)?.schemas ?? {});
  const schemas = [...components.map(([name, schema]): [string, object] => [`#/components/schemas/${name}`, schema]), ...schemasIn(contract.document.paths, "#/paths")];

  const invalid = schemas.flatMap(([where, schema]) => (ajv.validateSchema(schema) ? [] : [`${where}: ${ajv.errorsText()}`]));

  expect(schemas.length).toBeGreaterThan(5);
  expect(invalid).toEqual([]);
});
