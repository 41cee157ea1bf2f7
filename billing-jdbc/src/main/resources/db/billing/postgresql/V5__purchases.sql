-- billing-jdbc schema, version 5, for PostgreSQL: purchases, their transitions, and the webhook
-- deliveries of the payment providers (JdbcPurchaseStore, JdbcProviderEventStore).
-- Money is BIGINT minor units of the purchase's ISO 4217 currency, whose scale is kept beside it;
-- instants are timestamptz.
-- ${prefix} is the table prefix, as in V1.

-- One row per purchase, the purchase as it stands. A transition moves it with an UPDATE on the
-- version it was decided on, in the same database transaction as the transition's row.
CREATE TABLE ${prefix}purchases (
  tenant VARCHAR(128) NOT NULL,
  purchase_id VARCHAR(128) NOT NULL,
  account_id VARCHAR(128) NOT NULL,
  item_kind VARCHAR(20) NOT NULL,
  item_id VARCHAR(128) NOT NULL,
  item_version INTEGER NOT NULL,
  item_name VARCHAR(200) NOT NULL,
  currency VARCHAR(3) NOT NULL,
  currency_scale INTEGER NOT NULL,
  amount BIGINT NOT NULL,
  provider VARCHAR(128) NOT NULL,
  state VARCHAR(20) NOT NULL,
  checkout_ref VARCHAR(128),
  payment_ref VARCHAR(128),
  refunded BIGINT NOT NULL,
  needs_review BOOLEAN NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  version BIGINT NOT NULL,
  PRIMARY KEY (tenant, purchase_id),
  CHECK (item_kind IN ('CREDIT_PACKAGE', 'SUBSCRIPTION_PLAN')),
  CHECK (item_version >= 1),
  CHECK (state IN ('CREATED', 'PENDING', 'PAID', 'FAILED', 'EXPIRED', 'CANCELED', 'PARTIALLY_REFUNDED', 'REFUNDED')),
  CHECK (amount > 0),
  CHECK (refunded >= 0 AND refunded <= amount),
  CHECK (version >= 0)
);

-- How a webhook, which names no tenant, finds its purchase; and the rule that a provider's checkout
-- reference, and its payment id, names one purchase. A purchase without one holds NULL, and
-- PostgreSQL treats NULLs in a unique index as distinct (the default, NULLS DISTINCT), so any number of purchases may have none.
CREATE UNIQUE INDEX ${prefix}purchases_checkout_ref ON ${prefix}purchases (provider, checkout_ref);
CREATE UNIQUE INDEX ${prefix}purchases_payment_ref ON ${prefix}purchases (provider, payment_ref);

-- One row per step of a purchase, numbered from 1. The unique (tenant, purchase_id, cause) is the
-- rule that a cause (a provider event, a library call) is applied to a purchase once: of two
-- writers applying it, one insert fails and its transaction, purchase update included, rolls back.
CREATE TABLE ${prefix}purchase_transitions (
  tenant VARCHAR(128) NOT NULL,
  purchase_id VARCHAR(128) NOT NULL,
  sequence BIGINT NOT NULL,
  from_state VARCHAR(20) NOT NULL,
  to_state VARCHAR(20) NOT NULL,
  occurred_at TIMESTAMPTZ NOT NULL,
  cause VARCHAR(300) NOT NULL,
  detail VARCHAR(1000) NOT NULL,
  checkout_ref VARCHAR(128),
  payment_ref VARCHAR(128),
  currency VARCHAR(3) NOT NULL,
  currency_scale INTEGER NOT NULL,
  refunded BIGINT NOT NULL,
  review BOOLEAN NOT NULL,
  PRIMARY KEY (tenant, purchase_id, sequence),
  UNIQUE (tenant, purchase_id, cause),
  FOREIGN KEY (tenant, purchase_id) REFERENCES ${prefix}purchases (tenant, purchase_id),
  CHECK (sequence >= 1),
  CHECK (from_state IN ('CREATED', 'PENDING', 'PAID', 'FAILED', 'EXPIRED', 'CANCELED', 'PARTIALLY_REFUNDED', 'REFUNDED')),
  CHECK (to_state IN ('CREATED', 'PENDING', 'PAID', 'FAILED', 'EXPIRED', 'CANCELED', 'PARTIALLY_REFUNDED', 'REFUNDED')),
  CHECK (refunded >= 0)
);

-- One row per (provider, event id): the primary key is how a delivery is claimed, so a delivery
-- repeated, or made to two instances at once, is stored once. The raw payload is kept for audit.
CREATE TABLE ${prefix}provider_events (
  provider VARCHAR(128) NOT NULL,
  event_id VARCHAR(128) NOT NULL,
  event_type VARCHAR(128) NOT NULL,
  kind VARCHAR(20) NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  purchase_ref VARCHAR(128),
  checkout_ref VARCHAR(128),
  payment_ref VARCHAR(128),
  payload TEXT NOT NULL,
  received_at TIMESTAMPTZ NOT NULL,
  processed_at TIMESTAMPTZ,
  outcome VARCHAR(128),
  PRIMARY KEY (provider, event_id),
  CHECK (kind IN ('CHECKOUT_COMPLETED', 'PAYMENT_SUCCEEDED', 'PAYMENT_FAILED', 'CHECKOUT_EXPIRED', 'REFUNDED', 'OTHER')),
  CHECK ((processed_at IS NULL) = (outcome IS NULL))
);

INSERT INTO ${prefix}schema_version (version, description) VALUES (5, 'purchases');
