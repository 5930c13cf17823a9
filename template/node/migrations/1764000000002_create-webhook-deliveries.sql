-- Up Migration
-- The ids of handled webhook deliveries: a second delivery with one of them is a replay.
-- In a schema of its own: bookkeeping of the webhook endpoint, apart from the domain tables
-- (a team's test that lists the public tables stays true when an update brings this file).
CREATE SCHEMA webhooks;
CREATE TABLE webhooks.deliveries (
  id varchar(100) CONSTRAINT pk_deliveries PRIMARY KEY,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ix_deliveries_received_at ON webhooks.deliveries (received_at);

-- Down Migration
DROP SCHEMA webhooks CASCADE;
