package dev.billingsdk.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;

/**
 * The databases the adapter's tests run on. H2 (in memory) always runs. PostgreSQL and MariaDB run
 * when their JDBC URL is configured:
 *
 * <ul>
 *   <li>{@code BILLING_TEST_POSTGRES_URL} or {@code -Dbilling.test.postgres.url=...}
 *   <li>{@code BILLING_TEST_MARIADB_URL} or {@code -Dbilling.test.mariadb.url=...}
 * </ul>
 *
 * <p>With {@code BILLING_TEST_DATABASES_REQUIRED=true} (or {@code
 * -Dbilling.test.databases.required=true}), as CI sets it, a missing URL or an unreachable database
 * fails the suite instead of skipping it.
 */
public final class TestDatabases {
  private TestDatabases() {}

  /** A database the tests can run on. */
  public enum Db {
    H2(Dialect.H2, null, "H2"),
    POSTGRESQL(Dialect.POSTGRESQL, "postgres", "PostgreSQL"),
    MARIADB(Dialect.MARIADB, "mariadb", "MariaDB");

    public final Dialect dialect;
    private final String key;
    private final String label;

    Db(Dialect dialect, String key, String label) {
      this.dialect = dialect;
      this.key = key;
      this.label = label;
    }

    /** The configured JDBC URL (H2's is always there). */
    public Optional<String> url() {
      if (key == null) {
        return Optional.of("jdbc:h2:mem:billing-tests;DB_CLOSE_DELAY=-1");
      }
      return setting("billing.test." + key + ".url");
    }
  }

  private static final Map<String, HikariDataSource> POOLS = new ConcurrentHashMap<>();

  /** {@link #unavailable} per database, probed once per test JVM. */
  private static final Map<Db, Optional<String>> UNAVAILABLE = new ConcurrentHashMap<>();

  /** The databases whose skipped suites have been announced on the console. */
  private static final Set<Db> ANNOUNCED = ConcurrentHashMap.newKeySet();

  static Optional<String> setting(String property) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      value = System.getenv(property.toUpperCase(Locale.ROOT).replace('.', '_'));
    }
    return Optional.ofNullable(value).filter(v -> !v.isBlank());
  }

  /** Whether CI demands the server databases (a missing one fails instead of skipping). */
  public static boolean required() {
    return setting("billing.test.databases.required").map(Boolean::parseBoolean).orElse(false);
  }

  /**
   * Why {@code db} cannot be used, or empty if it can: its URL is not configured, or it does not
   * answer.
   */
  public static Optional<String> unavailable(Db db) {
    return UNAVAILABLE.computeIfAbsent(db, TestDatabases::probe);
  }

  private static Optional<String> probe(Db db) {
    Optional<String> url = db.url();
    if (url.isEmpty()) {
      return Optional.of(
          "BILLING_TEST_"
              + db.key.toUpperCase(Locale.ROOT)
              + "_URL is not set (nor -Dbilling.test."
              + db.key
              + ".url)");
    }
    try (Connection c = pool(db, "probe", 1).getConnection()) {
      c.isValid(5);
      return Optional.empty();
    } catch (SQLException | RuntimeException e) {
      return Optional.of(
          db.label + " at " + redacted(url.get()) + " is unreachable: " + e.getMessage());
    }
  }

  /**
   * Why the suites on {@code db} are skipped, or empty if they run: {@code db} is {@link
   * #unavailable} and the databases are not {@link #required()}. The first time for each database,
   * the reason is printed on the console, since Surefire's console shows skipped counts but not
   * their reasons.
   */
  public static Optional<String> skipped(Db db) {
    Optional<String> why = unavailable(db);
    if (why.isEmpty() || required()) {
      return Optional.empty();
    }
    String reason =
        db.label
            + " suites skipped: "
            + why.get()
            + "; set BILLING_TEST_DATABASES_REQUIRED=true to make this a failure";
    if (ANNOUNCED.add(db)) {
      System.out.println(reason);
    }
    return Optional.of(reason);
  }

  /**
   * Fails with why {@code db} cannot be used, when it cannot and the databases are {@link
   * #required()}.
   */
  public static void requireIfRequired(Db db) {
    Optional<String> why = unavailable(db);
    if (why.isPresent() && required()) {
      throw new AssertionError(
          db.label
              + " suites cannot run: "
              + why.get()
              + " (BILLING_TEST_DATABASES_REQUIRED is set, so this fails, not skips)");
    }
  }

  /**
   * Skips the calling test (JUnit assumption) when {@code db} is not available, or fails it when
   * the databases are {@link #required()}.
   */
  public static void assumeAvailable(Db db) {
    requireIfRequired(db);
    // Skipped only where the databases are not required: a newcomer's machine with only a JDK.
    // CI sets BILLING_TEST_DATABASES_REQUIRED, so there this fails instead (see above).
    skipped(db).ifPresent(Assumptions::abort);
  }

  private static String redacted(String url) {
    return url.replaceAll("password=[^&;]*", "password=***");
  }

  /** A pooled data source on {@code db}, one per (database, name). */
  public static DataSource pool(Db db, String name, int size) {
    String url =
        db.url().orElseThrow(() -> new IllegalStateException(db + " has no URL configured"));
    return POOLS.computeIfAbsent(
        db + "/" + name,
        k -> {
          HikariConfig config = new HikariConfig();
          config.setJdbcUrl(url);
          config.setMaximumPoolSize(size);
          config.setMinimumIdle(0);
          config.setPoolName("billing-test-" + db.name().toLowerCase(Locale.ROOT) + "-" + name);
          config.setConnectionTimeout(10_000);
          config.setInitializationFailTimeout(-1);
          return new HikariDataSource(config);
        });
  }

  /** The adapter's tables and sequence under {@code prefix}, dropped (a clean slate for a test). */
  public static void drop(Db db, DataSource dataSource, String prefix) {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      for (String table :
          new String[] {
            "payouts",
            "partner_modules",
            "closed_statements",
            "project_cost_labels",
            "project_costs",
            "top_up_rules",
            "subscription_changes",
            "subscriptions",
            "referral_months",
            "referrals",
            "economy_settings",
            "provider_events",
            "purchase_transitions",
            "purchases",
            "catalogue_versions",
            "rated_lines",
            "rating_cursors",
            "usage_events",
            "meters",
            "postings",
            "outbox",
            "reservations",
            "transactions",
            "grants",
            "accounts",
            "schema_version",
            "flyway_history"
          }) {
        s.execute("DROP TABLE IF EXISTS " + prefix + table);
      }
      s.execute("DROP SEQUENCE IF EXISTS " + prefix + "sequence");
    } catch (SQLException e) {
      throw new IllegalStateException("could not drop the " + prefix + " tables on " + db, e);
    }
  }

  /** A store on fresh tables under {@code prefix} (dropped first, then migrated). */
  public static JdbcBillingStore freshStore(Db db, String prefix) {
    DataSource ds = pool(db, "main", 16);
    drop(db, ds, prefix);
    return JdbcBillingStore.builder(ds)
        .dialect(db.dialect)
        .tablePrefix(prefix)
        .applySchema(true)
        .build();
  }
}
