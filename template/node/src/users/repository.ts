// Users and their stores: every store (SQL or in memory) offers the same methods, and raises
// DuplicateEmailError for an email already taken.

export interface User {
  id: number;
  email: string;
  fullName: string;
  passwordHash: string;
  createdAt: Date;
}

export interface NewUser {
  email: string;
  fullName: string;
  passwordHash: string;
}

export interface UsersRepository {
  add(user: NewUser): Promise<User>;
  get(id: number): Promise<User | undefined>;
  getByEmail(email: string): Promise<User | undefined>;
  list(options: { offset: number; limit: number }): Promise<User[]>;
  count(): Promise<number>;
  rename(id: number, fullName: string): Promise<User | undefined>;
  delete(id: number): Promise<boolean>;
}

export class DuplicateEmailError extends Error {
  constructor(email: string) {
    super(`A user with the email ${email} already exists`);
  }
}
