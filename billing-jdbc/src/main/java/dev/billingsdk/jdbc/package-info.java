/**
 * The storage adapter on plain JDBC (no ORM) for PostgreSQL, MariaDB/MySQL and embedded H2.
 *
 * <p>Not written yet: it will implement {@code dev.billingsdk.spi} against the host's {@code
 * DataSource}, ship its schema as versioned SQL per dialect, and pass {@code billing-tck} on all
 * three databases. It may depend on {@code billing-core} and a JDBC driver, nothing else.
 */
package dev.billingsdk.jdbc;
