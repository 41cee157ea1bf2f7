-- billing-jdbc schema, version 11, for MariaDB: revenue reports and partner payouts (JdbcRevenueStore).
-- ${prefix} is the table prefix, as in V1.

INSERT INTO ${prefix}schema_version (version, description) VALUES (11, 'revenue');
