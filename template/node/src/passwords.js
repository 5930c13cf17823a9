const bcrypt = require("bcryptjs");

function hashPassword(password, cost) {
  return bcrypt.hash(password, cost);
}

function verifyPassword(password, hash) {
  return bcrypt.compare(password, hash);
}

module.exports = { hashPassword, verifyPassword };
