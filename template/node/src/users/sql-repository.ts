// Users in PostgreSQL, through the injected `db` handle.
import { isUniqueViolation, type Db } from "../db";
import { DuplicateEmailError, type NewUser, type User, type UsersRepository } from "./repository";

interface UserRow {
  id: number;
  email: string;
  full_name: string;
  password_hash: string;
  created_at: Date;
}

const COLUMNS = "id, email, full_name, password_hash, created_at";

function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    fullName: row.full_name,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
  };
}

export class SqlUsersRepository implements UsersRepository {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  async add(user: NewUser): Promise<User> {
    try {
      const [row] = await this.db.query<UserRow>(
        `INSERT INTO users (email, full_name, password_hash) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`,
        [user.email, user.fullName, user.passwordHash],
      );
      return toUser(row as UserRow);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DuplicateEmailError(user.email);
      }
      throw error;
    }
  }

  async get(id: number): Promise<User | undefined> {
    const [row] = await this.db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
    return row && toUser(row);
  }

  async getByEmail(email: string): Promise<User | undefined> {
    const [row] = await this.db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE email = $1`, [email]);
    return row && toUser(row);
  }

  async list({ offset, limit }: { offset: number; limit: number }): Promise<User[]> {
    const rows = await this.db.query<UserRow>(`SELECT ${COLUMNS} FROM users ORDER BY id OFFSET $1 LIMIT $2`, [
      offset,
      limit,
    ]);
    return rows.map(toUser);
  }

  async count(): Promise<number> {
    const [row] = await this.db.query<{ count: string }>("SELECT count(*) AS count FROM users");
    return Number(row?.count ?? 0);
  }

  async rename(id: number, fullName: string): Promise<User | undefined> {
    const [row] = await this.db.query<UserRow>(
      `UPDATE users SET full_name = $2 WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, fullName],
    );
    return row && toUser(row);
  }

  async delete(id: number): Promise<boolean> {
    const rows = await this.db.query("DELETE FROM users WHERE id = $1 RETURNING id", [id]);
    return rows.length > 0;
  }
}
