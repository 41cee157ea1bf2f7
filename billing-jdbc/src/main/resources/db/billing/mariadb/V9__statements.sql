-- billing-jdbc schema, version 9, for MariaDB: statements (JdbcStatementStore).
-- ${prefix} is the table prefix, as in V1.

INSERT INTO ${prefix}schema_version (version, description) VALUES (9, 'statements');
