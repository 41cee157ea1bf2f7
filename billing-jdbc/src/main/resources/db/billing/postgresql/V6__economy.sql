-- billing-jdbc schema, version 6, for PostgreSQL: the credit economy (JdbcEconomyStore).
-- ${prefix} is the table prefix, as in V1.

-- One row per settings version; versions are only ever added. The primary key is the rule that a
-- version exists once, so of two editors saving the same version one insert fails. The settings
-- are a JSON document (EconomyCodec); identity and audit are columns.
CREATE TABLE ${prefix}economy_settings (
  tenant VARCHAR(128) NOT NULL,
  version INTEGER NOT NULL,
  changed_by VARCHAR(128) NOT NULL,
  changed_by_roles VARCHAR(200) NOT NULL,
  changed_at TIMESTAMPTZ NOT NULL,
  reason TEXT NOT NULL,
  settings TEXT NOT NULL,
  PRIMARY KEY (tenant, version),
  CHECK (version >= 1)
);

-- One row per referred account, ever: the primary key is the rule that an account is referred
-- once. The reward is the JSON amount granted, NULL when the referral was not rewarded.
CREATE TABLE ${prefix}referrals (
  tenant VARCHAR(128) NOT NULL,
  referred_id VARCHAR(128) NOT NULL,
  referrer_id VARCHAR(128) NOT NULL,
  referred_at TIMESTAMPTZ NOT NULL,
  referral_month CHAR(7) NOT NULL,
  reward VARCHAR(400),
  settings_version INTEGER NOT NULL,
  PRIMARY KEY (tenant, referred_id),
  CHECK (settings_version >= 1)
);

CREATE INDEX ${prefix}referrals_referrer ON ${prefix}referrals (tenant, referrer_id, referred_at);

-- The rewarded referrals per referrer and month: the cap is a conditional UPDATE of this row, in
-- the transaction that inserts the referral, so racing referrals wait for each other here.
CREATE TABLE ${prefix}referral_months (
  tenant VARCHAR(128) NOT NULL,
  referrer_id VARCHAR(128) NOT NULL,
  referral_month CHAR(7) NOT NULL,
  rewarded INTEGER NOT NULL,
  PRIMARY KEY (tenant, referrer_id, referral_month),
  CHECK (rewarded >= 0)
);

INSERT INTO ${prefix}schema_version (version, description) VALUES (6, 'economy');
