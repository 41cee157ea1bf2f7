-- billing-jdbc schema, version 4, for postgresql: the catalogue (credit packages and subscription plans).
-- One row per version; versions are only ever added. The primary key is the rule that a version of
-- an item exists once, so of two editors adding the same version one insert fails. The terms are
-- a JSON document (CatalogueCodec); identity, revision and status are columns.
-- ${prefix} is the table prefix, as in V1.

CREATE TABLE ${prefix}catalogue_versions (
  tenant VARCHAR(128) NOT NULL,
  kind VARCHAR(20) NOT NULL,
  item_id VARCHAR(128) NOT NULL,
  version INTEGER NOT NULL,
  change_kind VARCHAR(10) NOT NULL,
  status VARCHAR(10) NOT NULL,
  changed_by VARCHAR(128) NOT NULL,
  changed_by_roles VARCHAR(200) NOT NULL,
  changed_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  terms TEXT NOT NULL,
  PRIMARY KEY (tenant, kind, item_id, version),
  CHECK (version >= 1),
  CHECK (kind IN ('CREDIT_PACKAGE', 'SUBSCRIPTION_PLAN')),
  CHECK (change_kind IN ('CREATED', 'REVISED', 'ARCHIVED')),
  CHECK (status IN ('ACTIVE', 'ARCHIVED'))
);

INSERT INTO ${prefix}schema_version (version, description) VALUES (4, 'catalogue');
