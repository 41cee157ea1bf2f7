-- billing-jdbc schema, version 8, for H2: auto-top-up rules (JdbcTopUpStore).
-- ${prefix} is the table prefix, as in V1.

-- One row per account's rule with its guardrail counters. A write is an UPDATE on the version it
-- was decided on, so of workers racing to claim the next top-up exactly one does. Amounts are
-- JSON (JsonCodec); the cooldown is ISO 8601.
CREATE TABLE ${prefix}top_up_rules (
  tenant VARCHAR(128) NOT NULL,
  account_id VARCHAR(128) NOT NULL,
  threshold VARCHAR(200) NOT NULL,
  package_id VARCHAR(128) NOT NULL,
  provider VARCHAR(128) NOT NULL,
  customer VARCHAR(128) NOT NULL,
  payment_method VARCHAR(128) NOT NULL,
  cooldown VARCHAR(40) NOT NULL,
  monthly_cap VARCHAR(200) NOT NULL,
  max_failures INTEGER NOT NULL,
  calendar_zone VARCHAR(64) NOT NULL,
  state VARCHAR(30) NOT NULL,
  failures INTEGER NOT NULL,
  pending_purchase VARCHAR(128),
  requested BIGINT NOT NULL,
  last_top_up_at TIMESTAMP(6) WITH TIME ZONE,
  spent_month CHAR(7) NOT NULL,
  spent VARCHAR(200) NOT NULL,
  version BIGINT NOT NULL,
  PRIMARY KEY (tenant, account_id),
  CHECK (state IN ('ENABLED', 'PAUSED_FOR_AUTHENTICATION', 'DISABLED')),
  CHECK (version >= 1 AND failures >= 0 AND requested >= 0)
);

INSERT INTO ${prefix}schema_version (version, description) VALUES (8, 'top-ups');
