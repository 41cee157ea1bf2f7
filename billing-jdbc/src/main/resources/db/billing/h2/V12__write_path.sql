-- billing-jdbc schema, version 12, for H2: the write path rebuilt.
-- ${prefix} is the table prefix, as in V1.

-- The last sequence number written to each account. A store draws sequence numbers in blocks, one
-- block per process; a write is applied only if its number is above the account's last, so that an
-- account's transactions are numbered in the order they were committed even when two processes
-- hold different blocks (statements rely on this order).
ALTER TABLE ${prefix}accounts ADD COLUMN last_sequence BIGINT DEFAULT 0 NOT NULL;
UPDATE ${prefix}accounts a SET last_sequence = COALESCE(
  (SELECT max(t.sequence) FROM ${prefix}transactions t
    WHERE t.tenant = a.tenant AND t.account_id = a.account_id), 0);

-- Whether a grant still holds credit, kept equal to remaining > 0 by a check; the live-grant index
-- names it instead of remaining, so a charge moving a remainder rewrites no index entry.
ALTER TABLE ${prefix}grants ADD COLUMN live BOOLEAN DEFAULT TRUE NOT NULL;
UPDATE ${prefix}grants SET live = FALSE WHERE remaining = 0;
ALTER TABLE ${prefix}grants ADD CONSTRAINT ${prefix}grants_live_check CHECK (live = (remaining > 0));
DROP INDEX ${prefix}grants_live;
CREATE INDEX ${prefix}grants_live ON ${prefix}grants (tenant, account_id, live);

-- Sequence numbers are drawn 256 at a time: one round trip per 256 writes, not one per write.
ALTER SEQUENCE ${prefix}sequence INCREMENT BY 256;

INSERT INTO ${prefix}schema_version (version, description) VALUES (12, 'write path');
