/**
 * The storage adapter on plain JDBC (no ORM) for PostgreSQL, MariaDB and embedded H2: {@link
 * dev.billingsdk.jdbc.JdbcBillingStore} implements {@code dev.billingsdk.spi} (the ledger store and
 * the metering store) on the host's {@code DataSource}; classes of their own implement the
 * catalogue, purchase and provider-event stores on the same database and tables ({@link
 * dev.billingsdk.jdbc.JdbcCatalogueStore}, {@link dev.billingsdk.jdbc.JdbcPurchaseStore}, {@link
 * dev.billingsdk.jdbc.JdbcProviderEventStore}); {@link dev.billingsdk.jdbc.Schema} ships the
 * versioned SQL per {@link dev.billingsdk.jdbc.Dialect} and can apply it. It passes {@code
 * billing-tck} on all three databases.
 */
@NullMarked
package dev.billingsdk.jdbc;

import org.jspecify.annotations.NullMarked;
