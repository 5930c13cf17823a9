const { isUniqueViolation } = require("../db");
const { DuplicateEmailError } = require("./repository");

const COLUMNS = "id, email, full_name, password_hash, created_at";

function toUser(row) {
  return {
    id: row.id,
    email: row.email,
    fullName: row.full_name,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
  };
}

// Users in PostgreSQL, through the injected `db` handle.
class SqlUsersRepository {
  constructor(db) {
    this.db = db;
  }

  async add(user) {
    try {
      const [row] = await this.db.query(`INSERT INTO users (email, full_name, password_hash) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`, [user.email, user.fullName, user.passwordHash]);
      return toUser(row);
    }
    catch (error) {
      if (isUniqueViolation(error)) {
        throw new DuplicateEmailError(user.email);
      }
      throw error;
    }
  }

  async get(id) {
    const [row] = await this.db.query(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
    return row && toUser(row);
  }

  async getByEmail(email) {
    const [row] = await this.db.query(`SELECT ${COLUMNS} FROM users WHERE email = $1`, [email]);
    return row && toUser(row);
  }

  async list({ offset, limit }) {
    const rows = await this.db.query(`SELECT ${COLUMNS} FROM users ORDER BY id OFFSET $1 LIMIT $2`, [
      offset,
      limit,
    ]);
    return rows.map(toUser);
  }

  async count() {
    const [row] = await this.db.query("SELECT count(*) AS count FROM users");
    return Number(row?.count ?? 0);
  }

  async rename(id, fullName) {
    const [row] = await this.db.query(`UPDATE users SET full_name = $2 WHERE id = $1 RETURNING ${COLUMNS}`, [id, fullName]);
    return row && toUser(row);
  }

  async delete(id) {
    const rows = await this.db.query("DELETE FROM users WHERE id = $1 RETURNING id", [id]);
    return rows.length > 0;
  }
}

module.exports = { SqlUsersRepository };
