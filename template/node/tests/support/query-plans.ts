// How PostgreSQL runs the statements a piece of code sends: EXPLAIN (FORMAT JSON) of each, with
// the parameters it was sent with, so a test can say which index a query must use.
import type { ClientBase, QueryResultRow } from "pg";

import type { Db } from "../../src/db";

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

const INDEX_COLUMNS = `SELECT array_agg(a.attname::text ORDER BY k.position) AS columns FROM pg_index x
  CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, position)
  JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
  WHERE x.indexrelid = $1::regclass`;

function* nodes(node: PlanNode): Generator<PlanNode> {
  yield node;
  for (const child of node.Plans ?? []) yield* nodes(child);
}

export class QueryPlan {
  readonly statement: string;
  readonly plan: PlanNode;
  private readonly indexColumns: Map<string, string[]>;

  constructor(statement: string, plan: PlanNode, indexColumns: Map<string, string[]>) {
    this.statement = statement;
    this.plan = plan;
    this.indexColumns = indexColumns;
  }

  // How `table` is read: ["Seq Scan", []] or ["Index Scan", <the index's columns>].
  scans(table: string): [string, string[]][] {
    return [...nodes(this.plan)]
      .filter((node) => node["Relation Name"] === table)
      .map((node) => [node["Node Type"], this.indexColumns.get(node["Index Name"] ?? "") ?? []]);
  }
}

// Runs `work` with a db handle that records what it sends through `db`, then explains every
// SELECT on `client` (the test's, inside its rolled-back transaction).
export async function explainStatements(client: ClientBase, db: Db, work: (db: Db) => Promise<unknown>): Promise<QueryPlan[]> {
  const sent: [string, unknown[] | undefined][] = [];
  const recording: Db = {
    query<Row extends QueryResultRow>(text: string, params?: unknown[]): Promise<Row[]> {
      sent.push([text, params]);
      return db.query<Row>(text, params);
    },
    transaction: (inner) => db.transaction(inner),
  };
  await work(recording);
  const plans: QueryPlan[] = [];
  for (const [text, params] of sent.filter(([text]) => /^\s*SELECT/i.test(text))) {
    const { rows } = await client.query<{ "QUERY PLAN": { Plan: PlanNode }[] }>(`EXPLAIN (FORMAT JSON) ${text}`, params);
    const root = rows[0]?.["QUERY PLAN"][0]?.Plan;
    if (!root) throw new Error(`EXPLAIN gave no plan for ${text}`);
    const columns = new Map<string, string[]>();
    for (const node of nodes(root)) {
      const index = node["Index Name"];
      if (index && !columns.has(index)) {
        const result = await client.query<{ columns: string[] }>(INDEX_COLUMNS, [index]);
        columns.set(index, result.rows[0]?.columns ?? []);
      }
    }
    plans.push(new QueryPlan(text, root, columns));
  }
  return plans;
}
