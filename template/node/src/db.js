const { Pool } = require("pg");

function createPool(url, options) {
  return new Pool({ connectionString: url, max: options.max, connectionTimeoutMillis: options.connectTimeoutMs });
}

function clientDb(client) {
  return {
    async query(text, params) {
      return (await client.query(text, params)).rows;
    },
    transaction(work) {
      return work(this);
    },
  };
}

function poolDb(pool) {
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
      }
      catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
      finally {
        client.release();
      }
    },
  };
}

// PostgreSQL's SQLSTATE for a unique violation.
const UNIQUE_VIOLATION = "23505";

function isUniqueViolation(error) {
  return typeof error === "object" && error !== null && error.code === UNIQUE_VIOLATION;
}

module.exports = { createPool, poolDb, UNIQUE_VIOLATION, isUniqueViolation };
