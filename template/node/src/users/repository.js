class DuplicateEmailError extends Error {
  constructor(email) {
    super(`A user with the email ${email} already exists`);
  }
}

module.exports = { DuplicateEmailError };
