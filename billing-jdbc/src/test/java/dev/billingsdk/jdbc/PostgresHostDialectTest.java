package dev.billingsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccountId;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.spi.StoreFailureException;
import dev.billingsdk.tck.TckFixture;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A dialect a host writes for an engine that speaks PostgreSQL (a subclass of {@link
 * PostgresDialect}) runs the store on the real PostgreSQL: the schema is migrated under its
 * migration lock, a grant and a charge commit through it, and the store asks it, not the built-in
 * dialect, whether a failure may be run again.
 */
@Tag("postgresql")
@ExtendWith(DatabaseAvailable.Postgres.class)
class PostgresHostDialectTest {
  private static final Db DB = Db.POSTGRESQL;
  private static final String PREFIX = "hostdialect_";

  /**
   * A state the host's engine reports for a transient conflict; PostgreSQL's dialect fails on it.
   */
  private static final String ENGINE_STATE = "40003";

  /** What a host writes: PostgreSQL, plus one more SQLState that means "run it again". */
  static final class EngineDialect extends PostgresDialect {
    final AtomicInteger migrationLocks = new AtomicInteger();

    @Override
    public boolean isRetryable(SQLException e) {
      return super.isRetryable(e) || stateIs(e, ENGINE_STATE);
    }

    @Override
    public void lockForMigration(Connection c) throws SQLException {
      migrationLocks.incrementAndGet();
      super.lockForMigration(c);
    }
  }

  private final AtomicInteger refusals = new AtomicInteger();
  private DataSource ds;

  @BeforeEach
  void freshTables() {
    TestDatabases.assumeAvailable(DB);
    ds = TestDatabases.pool(DB, "main", 16);
    TestDatabases.drop(DB, ds, PREFIX);
  }

  @AfterEach
  void dropTables() {
    if (ds != null) {
      TestDatabases.drop(DB, ds, PREFIX);
    }
  }

  /** The pool, refusing its next {@link #refusals} connections with {@link #ENGINE_STATE}. */
  private DataSource flaky() {
    return (DataSource)
        Proxy.newProxyInstance(
            DataSource.class.getClassLoader(),
            new Class<?>[] {DataSource.class},
            (p, m, args) -> {
              if (m.getName().equals("getConnection")
                  && refusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new SQLException("transient conflict (injected)", ENGINE_STATE);
              }
              try {
                return m.invoke(ds, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private JdbcBillingStore store(Dialect dialect) {
    return JdbcBillingStore.builder(flaky())
        .dialect(dialect)
        .tablePrefix(PREFIX)
        .applySchema(true)
        .build();
  }

  @Test
  void aHostDialectMigratesTheSchemaAndRunsAChargeFlow() {
    EngineDialect dialect = new EngineDialect();

    JdbcBillingStore store = store(dialect);

    assertThat(store.dialect()).isSameAs(dialect);
    assertThat(dialect.migrationLocks).hasPositiveValue();
    assertThat(new Schema(dialect, PREFIX).currentVersion(ds)).isEqualTo(Schema.VERSION);
    TckFixture f = new TckFixture(store);
    AccountId account = f.open("host-dialect");
    GrantResult grant = f.grant(account, 1_000);
    f.charge(account, ChargeKind.USAGE, "item", 300);
    assertThat(f.remaining(grant)).isEqualTo(700);
    assertThat(store.transactions(f.tenant, account))
        .extracting(t -> t.type())
        .containsExactly(TransactionType.GRANT, TransactionType.USAGE_DEBIT);
  }

  @Test
  void theStoreAsksTheHostDialectWhetherAFailureMayBeRunAgain() {
    JdbcBillingStore hosted = store(new EngineDialect());
    TckFixture f = new TckFixture(hosted);
    AccountId account = f.open("retried");

    refusals.set(2);
    assertThat(hosted.findAccount(f.tenant, account)).isPresent();
    assertThat(refusals).hasValue(0);

    JdbcBillingStore builtIn =
        JdbcBillingStore.builder(flaky()).dialect(Dialect.POSTGRESQL).tablePrefix(PREFIX).build();
    refusals.set(1);
    assertThatThrownBy(() -> builtIn.findAccount(f.tenant, account))
        .isInstanceOf(StoreFailureException.class)
        .hasMessageContaining(ENGINE_STATE);
    assertThat(refusals).hasValue(0);
  }
}
