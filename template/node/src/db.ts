// PostgreSQL for route code: the `db` handle (statements and transactions), and the pg Pool
// production builds it from.
import { Pool, type PoolClient, type QueryResultRow } from "pg";

// What route code sees of PostgreSQL: statements and units of work, never a raw client.
// Production builds it from a Pool; tests build one bound to a rolled-back transaction.
export interface Db {
  query<Row extends QueryResultRow = QueryResultRow>(text: string, params?: unknown[]): Promise<Row[]>;
  // Runs `work` in one transaction: committed when it resolves, rolled back when it throws.
  transaction<T>(work: (db: Db) => Promise<T>): Promise<T>;
}

export function createPool(url: string, options: { max: number; connectTimeoutMs: number }): Pool {
  return new Pool({ connectionString: url, max: options.max, connectionTimeoutMillis: options.connectTimeoutMs });
}

function clientDb(client: PoolClient): Db {
  return {
    async query(text, params) {
      return (await client.query(text, params)).rows;
    },
    transaction(work) {
      return work(this);
    },
  };
}

export function poolDb(pool: Pool): Db {
  return {
    async query(text, params) {
      return (await pool.query(text, params)).rows;
    },
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await work(clientDb(client));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      } finally {
        client.release();
      }
    },
  };
}

// PostgreSQL's SQLSTATE for a unique violation.
export const UNIQUE_VIOLATION = "23505";

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === UNIQUE_VIOLATION;
}
