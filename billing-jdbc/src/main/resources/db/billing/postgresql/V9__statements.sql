-- billing-jdbc schema, version 9, for PostgreSQL: statements (JdbcStatementStore).
-- ${prefix} is the table prefix, as in V1.

-- Who holds an account (a user may hold several): a user reads the statements of these only.
-- Partial, so that the planner never takes it for a lookup by tenant alone (the external key's).
ALTER TABLE ${prefix}accounts ADD COLUMN holder VARCHAR(128);
CREATE INDEX ${prefix}accounts_holder ON ${prefix}accounts (tenant, holder) WHERE holder IS NOT NULL;

-- A statement reads its month by effective time, and the late transactions by sequence (the
-- history index); this one serves the first.
CREATE INDEX ${prefix}transactions_effective ON ${prefix}transactions (tenant, account_id, effective_at);

-- The transactions panel across a tenant's (or a holder's) accounts, newest first.
CREATE INDEX ${prefix}transactions_recorded ON ${prefix}transactions (tenant, recorded_at, sequence);

-- A statement's usage: the rated lines of its usage postings, joined on the posting's key.
CREATE INDEX ${prefix}rated_lines_posting ON ${prefix}rated_lines (tenant, account, posting);

-- Closed statements, one per (account, month), stored once and never changed (rule 7). The
-- document is the whole statement as JSON (StatementCodec); the columns beside it are what the
-- close job and the chain read without parsing it.
CREATE TABLE ${prefix}closed_statements (
  tenant VARCHAR(128) NOT NULL,
  account_id VARCHAR(128) NOT NULL,
  period_year INTEGER NOT NULL,
  period_month INTEGER NOT NULL,
  opening BIGINT NOT NULL,
  closing BIGINT NOT NULL,
  previous_watermark BIGINT NOT NULL,
  watermark BIGINT NOT NULL,
  closed_at TIMESTAMPTZ NOT NULL,
  document TEXT NOT NULL,
  PRIMARY KEY (tenant, account_id, period_year, period_month),
  CHECK (period_month BETWEEN 1 AND 12)
);

INSERT INTO ${prefix}schema_version (version, description) VALUES (9, 'statements');
