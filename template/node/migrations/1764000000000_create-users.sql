-- Up Migration
CREATE TABLE users (
  id serial CONSTRAINT pk_users PRIMARY KEY,
  email varchar(320) NOT NULL CONSTRAINT uq_users_email UNIQUE,
  full_name varchar(100) NOT NULL,
  password_hash varchar(200) NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE users;
