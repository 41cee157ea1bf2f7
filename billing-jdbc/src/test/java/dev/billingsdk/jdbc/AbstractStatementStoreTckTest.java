package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.StatementStore;
import dev.billingsdk.tck.StatementStoreTck;

/**
 * The statement kit on one database: the billing store it reads, the statement store under test
 * and, for the race rule, a second statement store on a pool of its own, as a second process would
 * have.
 */
abstract class AbstractStatementStoreTckTest extends StatementStoreTck {
  static final String PREFIX = "stm_";

  record Stores(JdbcBillingStore ledger, StatementStore main, StatementStore second) {}

  static Stores fresh(Db db) {
    TestDatabases.assumeAvailable(db);
    JdbcBillingStore ledger = TestDatabases.freshStore(db, PREFIX);
    return new Stores(
        ledger,
        JdbcStatementStore.create(TestDatabases.pool(db, "main", 16), PREFIX),
        JdbcStatementStore.create(TestDatabases.pool(db, "second-instance", 8), PREFIX));
  }
}
