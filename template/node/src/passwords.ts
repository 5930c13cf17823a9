// Password hashes, with bcryptjs: pure JavaScript, so it needs no install script (which npm
// no longer runs for dependencies by default).
import bcrypt from "bcryptjs";

export function hashPassword(password: string, cost: number): Promise<string> {
  return bcrypt.hash(password, cost);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}
