package dev.billingsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.setup.Billing;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code of docs/jdbc.md and README.md's database example, run: each tagged region is a block of
 * a document. The PostgreSQL blocks run where PostgreSQL is configured (CI), like the other
 * PostgreSQL suites; the H2 block always runs.
 */
class JdbcSnippetsTest {

  private static final TenantId TENANT = TenantId.of("acme");
  private static final AccountId ACCOUNT = AccountId.of("org-42");
  private static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 2);
  private static final Actor ADMIN = Actor.of("alice", Role.ADMIN);

  /** Opens the account (or finds it) and reads it back through the store. */
  private static boolean works(Billing billing) {
    billing
        .credits()
        .openAccount(OpenAccountRequest.builder(TENANT, ACCOUNT, CREDIT).actor(ADMIN).build());
    return billing.credits().findAccount(TENANT, ACCOUNT).isPresent();
  }

  // tag::h2[]
  static JdbcBillingStore fileStore(Path directory) {
    JdbcDataSource h2 = new JdbcDataSource(); // org.h2.jdbcx; HikariCP works too
    h2.setURL("jdbc:h2:file:" + directory.resolve("billing") + ";AUTO_SERVER=FALSE");
    return JdbcBillingStore.builder(h2).applySchema(true).build();
  }

  // end::h2[]

  @Nested
  @Tag("h2")
  class OnH2 {
    @Test
    void a_file_database_keeps_the_accounts_across_stores(@TempDir Path directory) {
      assertThat(works(Billing.builder().store(fileStore(directory)).build())).isTrue();

      JdbcBillingStore reopened = fileStore(directory);
      assertThat(reopened.findAccount(TENANT, ACCOUNT)).isPresent();
    }
  }

  @Nested
  @Tag("postgresql")
  @ExtendWith(DatabaseAvailable.Postgres.class)
  class OnPostgres {

    @BeforeEach
    void cleanSlate() throws SQLException {
      TestDatabases.assumeAvailable(Db.POSTGRESQL);
      dropTheDefaultPrefixesTables();
    }

    @AfterEach
    void dropTheDefaultPrefixesTables() throws SQLException {
      DataSource ds = TestDatabases.pool(Db.POSTGRESQL, "snippets", 2);
      TestDatabases.drop(Db.POSTGRESQL, ds, "billing_");
      try (Connection c = ds.getConnection();
          Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS billing_flyway_history");
      }
    }

    @Test
    void a_pool_and_the_store_on_it() {
      String url = Db.POSTGRESQL.url().orElseThrow(); // jdbc:postgresql://db.internal:5432/app
      String user = null; // the test URL carries the user and password
      String password = null;
      // tag::postgres[]
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(url);
      config.setUsername(user);
      config.setPassword(password);
      DataSource dataSource = new HikariDataSource(config);

      // tag::store[]
      JdbcBillingStore store =
          JdbcBillingStore.builder(dataSource)
              .dialect(Dialect.POSTGRESQL) // POSTGRESQL, MARIADB or H2; detected when omitted
              .tablePrefix("billing_") // the default; a-z, 0-9 and '_', at most 20 characters
              .applySchema(true) // migrate on start; by default it only checks the version
              .build();
      Billing billing = Billing.builder().store(store).build();
      // end::store[]
      // end::postgres[]
      try {
        assertThat(works(billing)).isTrue();
      } finally {
        ((HikariDataSource) dataSource).close();
      }
    }

    @Test
    void flyway_applies_the_shipped_scripts() {
      DataSource dataSource = TestDatabases.pool(Db.POSTGRESQL, "snippets", 2);
      // tag::flyway[]
      Flyway.configure()
          .dataSource(dataSource)
          .locations("classpath:db/billing/postgresql")
          .placeholders(Map.of("prefix", "billing_"))
          .table("billing_flyway_history")
          .baselineOnMigrate(true) // the host's schema is not empty; the billing history is new
          .baselineVersion("0") // so that V1 is still applied
          .load()
          .migrate();
      // end::flyway[]
      JdbcBillingStore store = JdbcBillingStore.builder(dataSource).applySchema(false).build();
      assertThat(works(Billing.builder().store(store).build())).isTrue();
    }
  }
}
