-- billing-jdbc schema, version 3, for MariaDB: an account's optional external key (an identifier the
-- host chooses, such as a customer number or an e-mail address), unique per tenant, looked up by
-- an exact, case-sensitive match. ${prefix} is the table prefix, as in V1.

ALTER TABLE ${prefix}accounts ADD COLUMN external_key VARCHAR(128) COLLATE utf8mb4_bin;

-- The key lookup, and the rule that two accounts of a tenant never share a key. Accounts without
-- a key hold NULL, which a unique index does not compare.
CREATE UNIQUE INDEX ${prefix}accounts_external_key ON ${prefix}accounts (tenant, external_key);

INSERT INTO ${prefix}schema_version (version, description) VALUES (3, 'account external key');
