-- billing-jdbc schema, version 2, for H2 (2.x): metering (meters, usage events, rating cursors
-- and rated lines). ${prefix} is the table prefix, as in V1.
-- Quantities are exact NUMERIC; credits are BIGINT minor units; instants are TIMESTAMP WITH TIME
-- ZONE; JSON is text. No foreign keys: ingest is the hot path, and the store writes these tables
-- only together (an event with its cursor, a step's lines with its cursor move) in one
-- transaction.

CREATE TABLE ${prefix}meters (
  tenant VARCHAR(128) NOT NULL,
  meter_key VARCHAR(128) NOT NULL,
  aggregation VARCHAR(32) NOT NULL,
  unit VARCHAR(128) NOT NULL,
  dimensions CHARACTER LARGE OBJECT NOT NULL,
  key_dimension VARCHAR(128),
  heartbeat_timeout_seconds BIGINT,
  PRIMARY KEY (tenant, meter_key),
  CHECK (heartbeat_timeout_seconds IS NULL OR heartbeat_timeout_seconds > 0)
);

-- The primary key (tenant, event_id) is the claim: an id is stored once per tenant, whichever
-- process sends it first.
CREATE TABLE ${prefix}usage_events (
  tenant VARCHAR(128) NOT NULL,
  event_id VARCHAR(128) NOT NULL,
  account VARCHAR(128) NOT NULL,
  meter VARCHAR(128) NOT NULL,
  quantity NUMERIC(30, 12) NOT NULL,
  occurred_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  dimensions CHARACTER LARGE OBJECT NOT NULL,
  fingerprint CHARACTER VARYING NOT NULL,
  sequence BIGINT NOT NULL,
  received_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  PRIMARY KEY (tenant, event_id),
  -- Sequences are drawn from the cursor under its lock; this catches a defect, and serves the late
  -- read (by sequence).
  CONSTRAINT ${prefix}usage_events_sequence UNIQUE (tenant, account, meter, sequence),
  CHECK (quantity >= 0),
  CHECK (sequence > 0)
);
-- A window's usage in (occurred_at, sequence) order.
CREATE INDEX ${prefix}usage_events_window
  ON ${prefix}usage_events (tenant, account, meter, occurred_at, sequence);

-- One per (tenant, account, meter); ingest locks it to draw sequences, rating moves it by version.
CREATE TABLE ${prefix}rating_cursors (
  tenant VARCHAR(128) NOT NULL,
  account VARCHAR(128) NOT NULL,
  meter VARCHAR(128) NOT NULL,
  version BIGINT NOT NULL,
  rated_until TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  rated_sequence BIGINT NOT NULL,
  ingested_sequence BIGINT NOT NULL,
  state CHARACTER LARGE OBJECT NOT NULL,
  PRIMARY KEY (tenant, account, meter),
  CHECK (version >= 0 AND rated_sequence >= 0 AND ingested_sequence >= 0)
);

-- What each rating step added, per (period, dimension values). dimension_key is the canonical
-- text of the dimension values (RatedLine.dimensionKey); dimension_digest its SHA-256, which the
-- summaries group by first (a fixed-width key that every database compares in full).
CREATE TABLE ${prefix}rated_lines (
  tenant VARCHAR(128) NOT NULL,
  account VARCHAR(128) NOT NULL,
  meter VARCHAR(128) NOT NULL,
  cursor_version BIGINT NOT NULL,
  line_number INTEGER NOT NULL,
  window_start TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  window_end TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  period_year INTEGER NOT NULL,
  period_month INTEGER NOT NULL,
  dimensions CHARACTER LARGE OBJECT NOT NULL,
  dimension_key CHARACTER VARYING NOT NULL,
  dimension_digest CHAR(64) NOT NULL,
  quantity NUMERIC(50, 12) NOT NULL,
  credits BIGINT NOT NULL,
  unit_code VARCHAR(32) NOT NULL,
  unit_scale INTEGER NOT NULL,
  unit_currency BOOLEAN NOT NULL,
  posting CHARACTER VARYING,
  PRIMARY KEY (tenant, account, meter, cursor_version, line_number),
  CHECK (period_month BETWEEN 1 AND 12),
  CHECK (line_number >= 0)
);
-- Monthly usage summaries: the tenant and the period first.
CREATE INDEX ${prefix}rated_lines_summary
  ON ${prefix}rated_lines (tenant, period_year, period_month, account, meter);

INSERT INTO ${prefix}schema_version (version, description) VALUES (2, 'metering');
