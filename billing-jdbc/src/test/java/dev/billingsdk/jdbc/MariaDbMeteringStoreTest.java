package dev.billingsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.spi.MeteringStore;
import dev.billingsdk.spi.RatingCursor;
import dev.billingsdk.spi.StoredUsageEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The JDBC metering store's own rules on MariaDB. */
@Tag("mariadb")
@ExtendWith(DatabaseAvailable.MariaDb.class)
class MariaDbMeteringStoreTest extends AbstractMeteringStoreTest {
  @Override
  protected Db db() {
    return Db.MARIADB;
  }

  /**
   * With {@code useBulkStmts=true} MariaDB Connector/J answers a batched UPDATE without row counts,
   * so a page of cursor steps cannot tell which moved: it is refused, and writes nothing.
   */
  @Test
  void aDriverThatAnswersBatchesWithoutRowCountsHasItsPagesRefusedWritingNothing() {
    String url = Db.MARIADB.url().orElseThrow();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url + (url.contains("?") ? "&" : "?") + "useBulkStmts=true");
    config.setMaximumPoolSize(2);
    config.setPoolName("billing-test-mariadb-bulk");
    try (HikariDataSource bulk = new HikariDataSource(config)) {
      TestDatabases.drop(Db.MARIADB, bulk, "mbk_");
      JdbcBillingStore store =
          JdbcBillingStore.builder(bulk)
              .dialect(Db.MARIADB.dialect)
              .tablePrefix("mbk_")
              .applySchema(true)
              .build();
      TenantId tenant = TenantId.of("mbk");
      AccountId a = AccountId.of("a");
      List<StoredUsageEvent> events = new ArrayList<>();
      for (String meter : List.of("m1", "m2")) {
        UsageEvent e =
            UsageEvent.builder(tenant, a, meter)
                .id(meter + "-e1")
                .quantity(BigDecimal.ONE)
                .occurredAt(Instant.parse("2026-01-10T12:00:00Z"))
                .build();
        events.add(StoredUsageEvent.unsequenced(e, "fp-" + meter, e.occurredAt()));
      }
      store.ingest(events);
      RatingCursor m1 = store.findRatingCursor(tenant, a, "m1").orElseThrow();
      RatingCursor m2 = store.findRatingCursor(tenant, a, "m2").orElseThrow();
      Instant hour = Instant.parse("2026-01-10T13:00:00Z");
      List<MeteringStore.CursorStep> page =
          List.of(
              new MeteringStore.CursorStep(m1.advanced(hour, 1, "one"), List.of()),
              new MeteringStore.CursorStep(m2.advanced(hour, 1, "two"), List.of()));

      assertThatThrownBy(() -> store.advanceRatingCursors(page))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("row count");
      assertThat(store.findRatingCursor(tenant, a, "m1")).contains(m1);
      assertThat(store.findRatingCursor(tenant, a, "m2")).contains(m2);
    }
  }
}
