package dev.billingsdk.spring.internal;

import dev.billingsdk.jdbc.JdbcBillingStore;
import dev.billingsdk.jdbc.Schema;
import javax.sql.DataSource;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The billing store as health: {@code UP} when the database answers and the billing schema is at
 * the version this library knows, {@code DOWN} otherwise. A failure shows its type only: a driver's
 * message may quote the connection's settings.
 */
public final class StoreHealthIndicator implements HealthIndicator {
  private final JdbcBillingStore store;
  private final DataSource dataSource;

  public StoreHealthIndicator(JdbcBillingStore store, DataSource dataSource) {
    this.store = store;
    this.dataSource = dataSource;
  }

  @Override
  public Health health() {
    Health.Builder b =
        new Health.Builder()
            .withDetail("dialect", store.dialect().toString())
            .withDetail("tablePrefix", store.tablePrefix())
            .withDetail("expectedSchemaVersion", Schema.VERSION);
    try {
      int version = new Schema(store.dialect(), store.tablePrefix()).currentVersion(dataSource);
      b.withDetail("schemaVersion", version);
      return (version == Schema.VERSION ? b.up() : b.down()).build();
    } catch (RuntimeException e) {
      return b.down().withDetail("error", e.getClass().getName()).build();
    }
  }
}
