-- Up Migration
-- A user's notes are deleted with the user (ON DELETE CASCADE).
CREATE TABLE notes (
  id serial CONSTRAINT pk_notes PRIMARY KEY,
  user_id integer NOT NULL CONSTRAINT fk_notes_user_id_users REFERENCES users (id) ON DELETE CASCADE,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ix_notes_user_id ON notes (user_id);

-- Down Migration
DROP TABLE notes;
