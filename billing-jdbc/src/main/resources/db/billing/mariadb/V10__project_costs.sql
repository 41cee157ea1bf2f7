-- billing-jdbc schema, version 10, for MariaDB: project costs (JdbcProjectCostStore).
-- ${prefix} is the table prefix, as in V1.

INSERT INTO ${prefix}schema_version (version, description) VALUES (10, 'project-costs');
