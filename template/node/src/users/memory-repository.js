const { DuplicateEmailError } = require("./repository");

// Users in process memory: the store when the project has no database.
// Each app instance gets its own, so tests never share users.
class MemoryUsersRepository {
  users = new Map();
  nextId = 1;

  async add(user) {
    if (await this.getByEmail(user.email)) {
      throw new DuplicateEmailError(user.email);
    }
    const stored = { ...user, id: this.nextId++, createdAt: new Date() };
    this.users.set(stored.id, stored);
    return { ...stored };
  }

  async get(id) {
    const user = this.users.get(id);
    return user && { ...user };
  }

  async getByEmail(email) {
    const user = [...this.users.values()].find((candidate) => candidate.email === email);
    return user && { ...user };
  }

  async list({ offset, limit }) {
    return [...this.users.values()].slice(offset, offset + limit).map((user) => ({ ...user }));
  }

  async count() {
    return this.users.size;
  }

  async rename(id, fullName) {
    const user = this.users.get(id);
    if (!user) {
      return undefined;
    }
    user.fullName = fullName;
    return { ...user };
  }

  async delete(id) {
    return this.users.delete(id);
  }
}

module.exports = { MemoryUsersRepository };
