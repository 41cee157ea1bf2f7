-- billing-jdbc schema, version 7, for H2: subscriptions and their changes
-- (JdbcSubscriptionStore). ${prefix} is the table prefix, as in V1.

-- One row per subscription as it stands, keyed by (tenant, subscription id). A change moves it with
-- an UPDATE on the version it was decided on, in the same database transaction as the change's
-- row. next_action_at is when the renewal job next has work (NULL once canceled or expired); the
-- job reads the due rows through its index. The price is a JSON amount (JsonCodec).
CREATE TABLE ${prefix}subscriptions (
  tenant VARCHAR(128) NOT NULL,
  subscription_id VARCHAR(128) NOT NULL,
  account_id VARCHAR(128) NOT NULL,
  plan_id VARCHAR(128) NOT NULL,
  plan_version INTEGER NOT NULL,
  next_plan_id VARCHAR(128),
  next_plan_version INTEGER,
  cadence VARCHAR(20) NOT NULL,
  price VARCHAR(200) NOT NULL,
  provider VARCHAR(128) NOT NULL,
  state VARCHAR(20) NOT NULL,
  calendar_zone VARCHAR(64) NOT NULL,
  created_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  anchor_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  paid_periods INTEGER NOT NULL,
  trial_end TIMESTAMP(6) WITH TIME ZONE,
  cancel_at_period_end BOOLEAN NOT NULL,
  ended_at TIMESTAMP(6) WITH TIME ZONE,
  customer VARCHAR(128),
  payment_method VARCHAR(128),
  failed_attempts INTEGER NOT NULL,
  next_attempt_at TIMESTAMP(6) WITH TIME ZONE,
  next_action_at TIMESTAMP(6) WITH TIME ZONE,
  version BIGINT NOT NULL,
  PRIMARY KEY (tenant, subscription_id),
  CHECK (state IN ('INCOMPLETE', 'TRIALING', 'ACTIVE', 'PAST_DUE', 'CANCELED', 'EXPIRED')),
  CHECK (version >= 1 AND paid_periods >= 0 AND failed_attempts >= 0)
);

CREATE INDEX ${prefix}subscriptions_due ON ${prefix}subscriptions (tenant, next_action_at, subscription_id);
CREATE INDEX ${prefix}subscriptions_account ON ${prefix}subscriptions (tenant, account_id);

-- The audit trail: one row per change, keyed by the version it produced; the unique cause per
-- subscription rolls a repeated cause back with its UPDATE.
CREATE TABLE ${prefix}subscription_changes (
  tenant VARCHAR(128) NOT NULL,
  subscription_id VARCHAR(128) NOT NULL,
  version BIGINT NOT NULL,
  from_state VARCHAR(20) NOT NULL,
  to_state VARCHAR(20) NOT NULL,
  kind VARCHAR(30) NOT NULL,
  changed_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  actor VARCHAR(128) NOT NULL,
  cause VARCHAR(128) NOT NULL,
  detail VARCHAR(1000) NOT NULL,
  PRIMARY KEY (tenant, subscription_id, version),
  UNIQUE (tenant, subscription_id, cause)
);

INSERT INTO ${prefix}schema_version (version, description) VALUES (7, 'subscriptions');
