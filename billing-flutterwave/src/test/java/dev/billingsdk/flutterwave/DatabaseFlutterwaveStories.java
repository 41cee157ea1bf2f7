package dev.billingsdk.flutterwave;

import dev.billingsdk.jdbc.JdbcBillingStore;
import dev.billingsdk.jdbc.JdbcCatalogueStore;
import dev.billingsdk.jdbc.JdbcProviderEventStore;
import dev.billingsdk.jdbc.JdbcPurchaseStore;
import dev.billingsdk.jdbc.TestDatabases;
import dev.billingsdk.jdbc.TestDatabases.Db;
import java.util.EnumMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The Flutterwave purchase stories on one database, through billing-jdbc's stores on fresh tables
 * (created once per run under their own prefix). A database that is not configured skips its
 * runner, or fails it where {@code BILLING_TEST_DATABASES_REQUIRED} is set (CI).
 */
abstract class DatabaseFlutterwaveStories extends FlutterwavePurchaseStories {
  private static final String PREFIX = "fwstory_";
  private static final Map<Db, Stores> STORES = new EnumMap<>(Db.class);

  abstract Db db();

  @Override
  Stores stores() {
    synchronized (STORES) {
      return STORES.computeIfAbsent(db(), DatabaseFlutterwaveStories::fresh);
    }
  }

  private static Stores fresh(Db db) {
    TestDatabases.assumeAvailable(db);
    JdbcBillingStore ledger = TestDatabases.freshStore(db, PREFIX);
    DataSource ds = TestDatabases.pool(db, "main", 16);
    return new Stores(
        ledger,
        JdbcCatalogueStore.create(ds, PREFIX),
        JdbcPurchaseStore.create(ds, PREFIX),
        JdbcProviderEventStore.create(ds, PREFIX));
  }
}
