-- billing-jdbc schema, version 10, for PostgreSQL: project costs (JdbcProjectCostStore).
-- ${prefix} is the table prefix, as in V1.

-- One row per imported cost row (a line of the host's cloud billing export). The primary key is the
-- idempotency rule: a row id is stored once per tenant, and of two imports racing for it one insert
-- fails (the store then reads it back as a duplicate or a conflict). The cost is exact: minor units
-- of its ISO 4217 currency. Reports read rows by usage start, hence the (tenant, usage_start) index.
CREATE TABLE ${prefix}project_costs (
  tenant VARCHAR(128) NOT NULL,
  row_id VARCHAR(128) NOT NULL,
  service VARCHAR(200) NOT NULL,
  sku VARCHAR(200) NOT NULL,
  project_id VARCHAR(128) NOT NULL,
  project_name VARCHAR(200) NOT NULL,
  currency CHAR(3) NOT NULL,
  cost_minor BIGINT NOT NULL,
  usage_start TIMESTAMPTZ NOT NULL,
  usage_end TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (tenant, row_id),
  CHECK (usage_end >= usage_start)
);

CREATE INDEX ${prefix}project_costs_usage ON ${prefix}project_costs (tenant, usage_start, project_id);

-- The labels of a cost row, one row per key. The "filter by module" query starts from the
-- (tenant, label_key, label_value) index and joins the cost rows by primary key.
CREATE TABLE ${prefix}project_cost_labels (
  tenant VARCHAR(128) NOT NULL,
  row_id VARCHAR(128) NOT NULL,
  label_key VARCHAR(64) NOT NULL,
  label_value VARCHAR(256) NOT NULL,
  PRIMARY KEY (tenant, row_id, label_key)
);

CREATE INDEX ${prefix}project_cost_labels_value
  ON ${prefix}project_cost_labels (tenant, label_key, label_value, row_id);

INSERT INTO ${prefix}schema_version (version, description) VALUES (10, 'project-costs');
