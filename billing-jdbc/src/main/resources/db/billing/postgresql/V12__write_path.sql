-- billing-jdbc schema, version 12, for PostgreSQL: the write path rebuilt (one statement per write).
-- ${prefix} is the table prefix, as in V1.

-- The last sequence number written to each account. A store draws sequence numbers in blocks, one
-- block per process; a write is applied only if its number is above the account's last, so that an
-- account's transactions are numbered in the order they were committed even when two processes
-- hold different blocks (statements rely on this order).
ALTER TABLE ${prefix}accounts ADD COLUMN last_sequence BIGINT NOT NULL DEFAULT 0;
UPDATE ${prefix}accounts a SET last_sequence = COALESCE(
  (SELECT max(t.sequence) FROM ${prefix}transactions t
    WHERE t.tenant = a.tenant AND t.account_id = a.account_id), 0);

-- Whether a grant still holds credit, kept equal to remaining > 0 by a check. The indexes that
-- find an account's live grants and the expiry sweep's work name this column, not remaining, so a
-- charge that moves a remainder changes no indexed column and PostgreSQL can update the row in
-- place (a HOT update); room is left in each page for that.
ALTER TABLE ${prefix}grants ADD COLUMN live BOOLEAN NOT NULL DEFAULT TRUE;
UPDATE ${prefix}grants SET live = FALSE WHERE remaining = 0;
ALTER TABLE ${prefix}grants ADD CONSTRAINT ${prefix}grants_live_check CHECK (live = (remaining > 0));
DROP INDEX ${prefix}grants_live;
CREATE INDEX ${prefix}grants_live ON ${prefix}grants (tenant, account_id) WHERE live;
DROP INDEX ${prefix}grants_expiring;
CREATE INDEX ${prefix}grants_expiring ON ${prefix}grants (tenant, sequence)
  WHERE live AND NOT voided AND expires_at IS NOT NULL;
ALTER TABLE ${prefix}grants SET (fillfactor = 80);
ALTER TABLE ${prefix}accounts SET (fillfactor = 80);
ALTER TABLE ${prefix}reservations SET (fillfactor = 90);

-- Sequence numbers are drawn 256 at a time: one round trip per 256 writes, not one per write.
ALTER SEQUENCE ${prefix}sequence INCREMENT BY 256;

INSERT INTO ${prefix}schema_version (version, description) VALUES (12, 'write path');
