-- billing-jdbc schema, version 11, for PostgreSQL: revenue reports and partner payouts (JdbcRevenueStore).
-- ${prefix} is the table prefix, as in V1.

-- The revenue reports read a tenant's consumption (debits and reversals) by effective time, a page
-- at a time in (effective_at, sequence) order: this index serves the range and the cursor.
CREATE INDEX ${prefix}transactions_consumption ON ${prefix}transactions (tenant, effective_at, sequence)
  WHERE type IN ('USAGE_DEBIT', 'CHARGE', 'REVERSAL');

-- The partner-module registry: a module is published for one partner from an instant on, until its
-- next publication. The primary key is the rule that a module has one publication per instant, so
-- of two publishers of the same instant one insert fails and the first stays.
CREATE TABLE ${prefix}partner_modules (
  tenant VARCHAR(128) NOT NULL,
  module VARCHAR(128) NOT NULL,
  effective_from TIMESTAMPTZ NOT NULL,
  partner VARCHAR(128) NOT NULL,
  published_by VARCHAR(128) NOT NULL,
  published_by_roles VARCHAR(200) NOT NULL,
  published_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (tenant, module, effective_from)
);

-- Partner payouts: one row per (tenant, partner, month), ever; the primary key is the exactly-once
-- rule, so of two payout runs racing one insert fails and reads the winner's row. The amounts are
-- one JSON amount per line (one per currency).
CREATE TABLE ${prefix}payouts (
  tenant VARCHAR(128) NOT NULL,
  partner VARCHAR(128) NOT NULL,
  payout_month CHAR(7) NOT NULL,
  zone VARCHAR(64) NOT NULL,
  share VARCHAR(16) NOT NULL,
  settings_version INTEGER NOT NULL,
  amounts TEXT NOT NULL,
  transactions BIGINT NOT NULL,
  created_by VARCHAR(128) NOT NULL,
  created_by_roles VARCHAR(200) NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (tenant, partner, payout_month),
  CHECK (settings_version >= 0),
  CHECK (transactions >= 0)
);

INSERT INTO ${prefix}schema_version (version, description) VALUES (11, 'revenue');
