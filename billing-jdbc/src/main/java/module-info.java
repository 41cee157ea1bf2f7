/**
 * The storage adapter on plain JDBC: {@link dev.billingsdk.jdbc.JdbcBillingStore} on the host's
 * {@code DataSource}, and the versioned {@link dev.billingsdk.jdbc.Schema}.
 *
 * <p>{@code dev.billingsdk.jdbc.internal} (the JSON codec of the stored documents) is not exported.
 * The host brings the JDBC driver and the pool; this module names neither.
 */
module dev.billingsdk.jdbc {
  exports dev.billingsdk.jdbc;

  // The shipped migration scripts (db/billing/<dialect>/V<n>__*.sql) are resources in packages of
  // this module. Opened so that ClassLoader.getResource finds them from outside the module: Flyway,
  // Liquibase or a host reading Schema.scriptResources(), as docs/jdbc.md shows. They hold no code.
  opens db.billing.h2;
  opens db.billing.postgresql;
  opens db.billing.mariadb;

  requires static transitive org.jspecify;

  // JdbcBillingStore implements core's SPI, and its builder takes a javax.sql.DataSource.
  requires transitive dev.billingsdk.core;
  requires transitive java.sql;

  // Inside the module only: logging, and events and metadata stored as JSON trees (no data
  // binding of our classes, so nothing is opened to Jackson).
  requires org.slf4j;
  requires com.fasterxml.jackson.databind;
}
