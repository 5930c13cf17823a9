// Users in process memory: the store when the project has no database.
// Each app instance gets its own, so tests never share users.
import { DuplicateEmailError, type NewUser, type User, type UsersRepository } from "./repository";

export class MemoryUsersRepository implements UsersRepository {
  private readonly users = new Map<number, User>();
  private nextId = 1;

  async add(user: NewUser): Promise<User> {
    if (await this.getByEmail(user.email)) {
      throw new DuplicateEmailError(user.email);
    }
    const stored = { ...user, id: this.nextId++, createdAt: new Date() };
    this.users.set(stored.id, stored);
    return { ...stored };
  }

  async get(id: number): Promise<User | undefined> {
    const user = this.users.get(id);
    return user && { ...user };
  }

  async getByEmail(email: string): Promise<User | undefined> {
    const user = [...this.users.values()].find((candidate) => candidate.email === email);
    return user && { ...user };
  }

  async list({ offset, limit }: { offset: number; limit: number }): Promise<User[]> {
    return [...this.users.values()].slice(offset, offset + limit).map((user) => ({ ...user }));
  }

  async count(): Promise<number> {
    return this.users.size;
  }

  async rename(id: number, fullName: string): Promise<User | undefined> {
    const user = this.users.get(id);
    if (!user) {
      return undefined;
    }
    user.fullName = fullName;
    return { ...user };
  }

  async delete(id: number): Promise<boolean> {
    return this.users.delete(id);
  }
}
