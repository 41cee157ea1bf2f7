-- billing-jdbc schema, version 1, for PostgreSQL.
-- ${prefix} is the table prefix (default billing_); Flyway fills it from the placeholder of that
-- name, and the adapter does the same when it applies this script itself.
-- Money is BIGINT minor units; instants are timestamptz; JSON is jsonb.

CREATE TABLE ${prefix}schema_version (
  version INTEGER NOT NULL PRIMARY KEY,
  description VARCHAR(200) NOT NULL,
  installed_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- Creation order of grants and transactions (BillingStore.nextSequence).
CREATE SEQUENCE ${prefix}sequence;

CREATE TABLE ${prefix}accounts (
  tenant VARCHAR(128) NOT NULL,
  account_id VARCHAR(128) NOT NULL,
  unit_code VARCHAR(32) NOT NULL,
  unit_scale INTEGER NOT NULL,
  unit_currency BOOLEAN NOT NULL,
  overdraft_policy VARCHAR(16) NOT NULL,
  overdraft_limit BIGINT,
  metadata JSONB NOT NULL,
  opened_by VARCHAR(128) NOT NULL,
  opened_by_roles VARCHAR(200) NOT NULL,
  opened_at TIMESTAMPTZ NOT NULL,
  version BIGINT NOT NULL,
  overdraft BIGINT NOT NULL,
  alert_threshold BIGINT,
  alert_rearm_at BIGINT,
  alert_below BOOLEAN,
  PRIMARY KEY (tenant, account_id),
  CHECK (overdraft <= 0),
  CHECK (overdraft_policy IN ('REJECT', 'PARTIAL', 'LIMIT')),
  CHECK ((overdraft_policy = 'LIMIT') = (overdraft_limit IS NOT NULL))
);

CREATE TABLE ${prefix}grants (
  tenant VARCHAR(128) NOT NULL,
  grant_id VARCHAR(128) NOT NULL,
  account_id VARCHAR(128) NOT NULL,
  name VARCHAR(200) NOT NULL,
  category VARCHAR(64) NOT NULL,
  priority INTEGER NOT NULL,
  amount BIGINT NOT NULL,
  effective_from TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ,
  scope JSONB NOT NULL,
  cost_basis JSONB NOT NULL,
  metadata JSONB NOT NULL,
  created_by VARCHAR(128) NOT NULL,
  created_by_roles VARCHAR(200) NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  sequence BIGINT NOT NULL,
  remaining BIGINT NOT NULL,
  voided BOOLEAN NOT NULL,
  PRIMARY KEY (tenant, grant_id),
  FOREIGN KEY (tenant, account_id) REFERENCES ${prefix}accounts (tenant, account_id),
  CHECK (remaining >= 0 AND remaining <= amount)
);
-- An account's grants (all of them, and the live ones a snapshot reads).
CREATE INDEX ${prefix}grants_account ON ${prefix}grants (tenant, account_id, sequence);
CREATE INDEX ${prefix}grants_live ON ${prefix}grants (tenant, account_id) WHERE remaining > 0;
-- The expiry sweep's work list, in sequence order.
CREATE INDEX ${prefix}grants_expiring ON ${prefix}grants (tenant, sequence)
  WHERE remaining > 0 AND NOT voided AND expires_at IS NOT NULL;

CREATE TABLE ${prefix}transactions (
  tenant VARCHAR(128) NOT NULL,
  transaction_id VARCHAR(128) NOT NULL,
  account_id VARCHAR(128) NOT NULL,
  type VARCHAR(32) NOT NULL,
  idempotency_key VARCHAR(128) NOT NULL,
  fingerprint TEXT NOT NULL,
  actor VARCHAR(128) NOT NULL,
  actor_roles VARCHAR(200) NOT NULL,
  reason TEXT NOT NULL,
  recorded_at TIMESTAMPTZ NOT NULL,
  effective_at TIMESTAMPTZ NOT NULL,
  refs JSONB NOT NULL,
  corrects VARCHAR(128),
  sequence BIGINT NOT NULL,
  PRIMARY KEY (tenant, transaction_id),
  -- Exactly once per idempotency key across every process (rule 5).
  CONSTRAINT ${prefix}transactions_key UNIQUE (tenant, idempotency_key),
  FOREIGN KEY (tenant, account_id) REFERENCES ${prefix}accounts (tenant, account_id)
);
-- History, statements and listings: an account's transactions by sequence.
CREATE INDEX ${prefix}transactions_history ON ${prefix}transactions (tenant, account_id, sequence);
-- Reversals of a transaction.
CREATE INDEX ${prefix}transactions_corrects ON ${prefix}transactions (tenant, corrects)
  WHERE corrects IS NOT NULL;

CREATE TABLE ${prefix}postings (
  tenant VARCHAR(128) NOT NULL,
  transaction_id VARCHAR(128) NOT NULL,
  position INTEGER NOT NULL,
  ledger_account VARCHAR(16) NOT NULL,
  grant_id VARCHAR(128),
  amount BIGINT NOT NULL,
  PRIMARY KEY (tenant, transaction_id, position),
  FOREIGN KEY (tenant, transaction_id) REFERENCES ${prefix}transactions (tenant, transaction_id),
  CHECK (amount <> 0),
  CHECK ((ledger_account = 'GRANT') = (grant_id IS NOT NULL))
);
-- A grant's movements.
CREATE INDEX ${prefix}postings_grant ON ${prefix}postings (tenant, grant_id)
  WHERE grant_id IS NOT NULL;

CREATE TABLE ${prefix}reservations (
  tenant VARCHAR(128) NOT NULL,
  reservation_id VARCHAR(128) NOT NULL,
  account_id VARCHAR(128) NOT NULL,
  kind VARCHAR(16) NOT NULL,
  item_code VARCHAR(128) NOT NULL,
  held BIGINT NOT NULL,
  hold_transaction VARCHAR(128) NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  state VARCHAR(16) NOT NULL,
  resolution VARCHAR(128),
  sequence BIGINT NOT NULL,
  PRIMARY KEY (tenant, reservation_id),
  FOREIGN KEY (tenant, account_id) REFERENCES ${prefix}accounts (tenant, account_id),
  CHECK (held >= 0),
  CHECK ((state = 'ACTIVE') = (resolution IS NULL))
);
-- An account's active reservations, and the reservation sweep's work list.
CREATE INDEX ${prefix}reservations_active ON ${prefix}reservations (tenant, account_id)
  WHERE state = 'ACTIVE';
CREATE INDEX ${prefix}reservations_expiring ON ${prefix}reservations (tenant, sequence)
  WHERE state = 'ACTIVE';

-- Events committed with their write, until the relay acknowledges them.
CREATE TABLE ${prefix}outbox (
  position BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant VARCHAR(128) NOT NULL,
  event_id VARCHAR(300) NOT NULL,
  event_type VARCHAR(64) NOT NULL,
  payload JSONB NOT NULL
);

INSERT INTO ${prefix}schema_version (version, description) VALUES (1, 'billing schema');
