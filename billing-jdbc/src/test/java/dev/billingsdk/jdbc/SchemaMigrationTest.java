package dev.billingsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.billingsdk.AccountId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.catalogue.CatalogueItem;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.metering.Aggregation;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.metering.UsageSummaryQuery;
import dev.billingsdk.payment.ProviderEvent;
import dev.billingsdk.purchase.Purchase;
import dev.billingsdk.purchase.PurchaseId;
import dev.billingsdk.purchase.PurchaseState;
import dev.billingsdk.purchase.PurchaseTransition;
import dev.billingsdk.purchase.PurchasedItem;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.IngestOutcome;
import dev.billingsdk.spi.RatedLine;
import dev.billingsdk.spi.RatingCursor;
import dev.billingsdk.spi.StoredUsageEvent;
import dev.billingsdk.tck.TckFixture;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The adapter's own migrations, on H2, PostgreSQL and MariaDB: a fresh database gets the whole
 * schema, a second start is a no-op, an uninstalled or newer schema is refused with a clear error,
 * racing first starts apply the schema once, table prefixes keep stores apart and clear of the
 * host's tables, and the three dialects' scripts create the same tables and columns.
 *
 * <p>Every test works under its own table prefix, dropped before and after it. PostgreSQL and
 * MariaDB run when configured (see {@link TestDatabases}); H2 always runs.
 */
class SchemaMigrationTest {
  /** The tables of the schema, without prefix. */
  static final List<String> TABLES =
      List.of(
          "schema_version",
          "accounts",
          "grants",
          "transactions",
          "postings",
          "reservations",
          "outbox",
          "meters",
          "usage_events",
          "rating_cursors",
          "rated_lines",
          "catalogue_versions",
          "purchases",
          "purchase_transitions",
          "provider_events",
          "economy_settings",
          "referrals",
          "referral_months",
          "subscriptions",
          "subscription_changes",
          "top_up_rules",
          "closed_statements",
          "project_costs",
          "project_cost_labels",
          "partner_modules",
          "payouts");

  /**
   * The tables versions 2 (metering), 4 (catalogue), 5 (purchases), 6 (economy), 7 (subscriptions),
   * 8 (top-ups), 9 (statements), 10 (project costs) and 11 (revenue) add.
   */
  static final List<String> V2_TABLES =
      List.of(
          "meters",
          "usage_events",
          "rating_cursors",
          "rated_lines",
          "catalogue_versions",
          "purchases",
          "purchase_transitions",
          "provider_events",
          "economy_settings",
          "referrals",
          "referral_months",
          "subscriptions",
          "subscription_changes",
          "top_up_rules",
          "closed_statements",
          "project_costs",
          "project_cost_labels",
          "partner_modules",
          "payouts");

  /** The versions a complete install records: one row per script, 1 to {@link Schema#VERSION}. */
  static final List<Integer> ALL_VERSIONS =
      IntStream.rangeClosed(1, Schema.VERSION).boxed().toList();

  // ------------------------------------------------------------------ fresh database

  @ParameterizedTest(name = "{0}")
  @EnumSource(Db.class)
  void aFreshDatabaseGetsTheWholeSchemaAndTheStoreWorks(Db db) {
    TestDatabases.assumeAvailable(db);
    DataSource ds = TestDatabases.pool(db, "migration", 4);
    String prefix = "mig_fresh_";
    TestDatabases.drop(db, ds, prefix);
    try {
      assertThat(tables(db, ds, prefix)).isEmpty();

      JdbcBillingStore store = builder(db, ds, prefix).applySchema(true).build();

      assertThat(store.tablePrefix()).isEqualTo(prefix);
      assertThat(store.dialect()).isEqualTo(db.dialect);
      assertThat(tables(db, ds, prefix)).containsExactlyInAnyOrderElementsOf(TABLES);
      assertThat(sequenceWorks(db, ds, prefix)).as("the sequence %ssequence", prefix).isTrue();
      assertThat(versions(ds, prefix)).isEqualTo(ALL_VERSIONS);
      assertThat(new Schema(db.dialect, prefix).currentVersion(ds)).isEqualTo(Schema.VERSION);
      new Schema(db.dialect, prefix).check(ds);
      write(store);
    } finally {
      TestDatabases.drop(db, ds, prefix);
    }
  }

  // ------------------------------------------------------------------ second start

  @ParameterizedTest(name = "{0}")
  @EnumSource(Db.class)
  void aSecondStartAppliesNothingAndKeepsTheData(Db db) {
    TestDatabases.assumeAvailable(db);
    DataSource ds = TestDatabases.pool(db, "migration", 4);
    String prefix = "mig_again_";
    TestDatabases.drop(db, ds, prefix);
    try {
      JdbcBillingStore first = builder(db, ds, prefix).applySchema(true).build();
      Written written = write(first);
      List<List<String>> versionRows = versionRows(ds, prefix);
      Map<String, Long> counts = rowCounts(ds, prefix);
      Map<String, Map<String, String>> columns = columns(db, ds, prefix);

      assertThat(new Schema(db.dialect, prefix).apply(ds)).as("scripts applied again").isZero();
      JdbcBillingStore second = builder(db, ds, prefix).applySchema(true).build();
      JdbcBillingStore checked = builder(db, ds, prefix).build();

      assertThat(versionRows(ds, prefix)).as("schema_version rows").isEqualTo(versionRows);
      assertThat(versions(ds, prefix)).isEqualTo(ALL_VERSIONS);
      assertThat(rowCounts(ds, prefix)).isEqualTo(counts);
      assertThat(columns(db, ds, prefix)).isEqualTo(columns);
      assertIntact(second, written);
      assertIntact(checked, written);
      // ... and the restarted store goes on writing where the first left off.
      TckFixture later = new TckFixture(second);
      AccountId account = later.open("after-restart");
      assertThat(later.remaining(later.grant(account, 5))).isEqualTo(5);
    } finally {
      TestDatabases.drop(db, ds, prefix);
    }
  }

  // ------------------------------------------------------------------ not installed

  @ParameterizedTest(name = "{0}")
  @EnumSource(Db.class)
  void withoutApplySchemaAnEmptyDatabaseIsRefusedAndNothingIsWritten(Db db) {
    TestDatabases.assumeAvailable(db);
    DataSource ds = TestDatabases.pool(db, "migration", 4);
    String prefix = "mig_none_";
    TestDatabases.drop(db, ds, prefix);
    try {
      SchemaVersionException e =
          catchThrowableOfType(SchemaVersionException.class, () -> builder(db, ds, prefix).build());

      assertThat(e).as("the store starts on an empty database").isNotNull();
      assertThat(e.found()).isZero();
      assertThat(e.known()).isEqualTo(Schema.VERSION);
      assertThat(e.getMessage())
          .contains("'" + prefix + "'")
          .contains("not installed")
          .contains("needs version " + Schema.VERSION)
          .contains("apply the migrations in db/billing/")
          .contains("applySchema(true)");
      assertThat(new Schema(db.dialect, prefix).currentVersion(ds)).isZero();
      assertThatThrownBy(() -> new Schema(db.dialect, prefix).check(ds))
          .isInstanceOf(SchemaVersionException.class);
      assertThat(tables(db, ds, prefix)).as("tables created by a refused start").isEmpty();
      assertThat(sequenceWorks(db, ds, prefix)).as("sequence created by a refused start").isFalse();
    } finally {
      TestDatabases.drop(db, ds, prefix);
    }
  }

  // ------------------------------------------------------------------ newer schema

  @ParameterizedTest(name = "{0}")
  @EnumSource(Db.class)
  void aNewerSchemaIsRefusedWithOrWithoutApplySchemaAndLeftAlone(Db db) throws SQLException {
    TestDatabases.assumeAvailable(db);
    DataSource ds = TestDatabases.pool(db, "migration", 4);
    String prefix = "mig_newer_";
    int newer = Schema.VERSION + 1;
    TestDatabases.drop(db, ds, prefix);
    try {
      Written written = write(builder(db, ds, prefix).applySchema(true).build());
      execute(
          ds,
          "INSERT INTO "
              + prefix
              + "schema_version (version, description) VALUES ("
              + newer
              + ", 'from a newer billing-jdbc')");
      List<List<String>> versionRows = versionRows(ds, prefix);
      Map<String, Long> counts = rowCounts(ds, prefix);
      Map<String, Map<String, String>> columns = columns(db, ds, prefix);

      for (boolean apply : new boolean[] {true, false}) {
        SchemaVersionException e =
            catchThrowableOfType(
                SchemaVersionException.class,
                () -> builder(db, ds, prefix).applySchema(apply).build());

        assertThat(e).as("applySchema(%s) starts on a newer schema", apply).isNotNull();
        assertThat(e.found()).isEqualTo(newer);
        assertThat(e.known()).isEqualTo(Schema.VERSION);
        assertThat(e.getMessage())
            .as("applySchema(%s)", apply)
            .contains("'" + prefix + "'")
            .contains("is at version " + newer)
            .contains("newer than this library knows (" + Schema.VERSION + ")")
            .contains("upgrade billing-jdbc");
      }
      assertThatThrownBy(() -> new Schema(db.dialect, prefix).apply(ds))
          .isInstanceOf(SchemaVersionException.class);
      assertThat(new Schema(db.dialect, prefix).currentVersion(ds)).isEqualTo(newer);

      assertThat(versionRows(ds, prefix)).isEqualTo(versionRows);
      assertThat(rowCounts(ds, prefix)).isEqualTo(counts);
      assertThat(columns(db, ds, prefix)).isEqualTo(columns);
      assertThat(tables(db, ds, prefix)).containsExactlyInAnyOrderElementsOf(TABLES);
      // The data is still there for the newer library (removing the row makes it readable again).
      execute(ds, "DELETE FROM " + prefix + "schema_version WHERE version = " + newer);
      assertIntact(builder(db, ds, prefix).build(), written);
    } finally {
      TestDatabases.drop(db, ds, prefix);
    }
  }

  // ------------------------------------------------------------------ upgrade from version 1

  /**
   * A database the previous release set up (version 1, holding ledger data) is refused as older by
   * a store started the default way, and brought to version 2 by {@code applySchema(true)}: the
   * metering tables appear, version 2 is recorded once, the ledger data is intact, metering works,
   * and the schema is the one a fresh install gets.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Db.class)
  void aVersionOneDatabaseIsUpgradedToVersionTwoByApplySchema(Db db) throws SQLException {
    TestDatabases.assumeAvailable(db);
    DataSource ds = TestDatabases.pool(db, "migration", 4);
    String prefix = "mig_v1_";
    String reference = "mig_v2ref_";
    TestDatabases.drop(db, ds, prefix);
    TestDatabases.drop(db, ds, reference);
    try {
      Written written = installVersionOneWithData(db, ds, prefix);
      assertThat(versions(ds, prefix)).containsExactly(1);
      assertThat(tables(db, ds, prefix))
          .containsExactlyInAnyOrderElementsOf(
              TABLES.stream().filter(t -> !V2_TABLES.contains(t)).toList());
      Map<String, Long> counts = rowCounts(ds, prefix, written.v1Tables());

      SchemaVersionException refused =
          catchThrowableOfType(SchemaVersionException.class, () -> builder(db, ds, prefix).build());
      assertThat(refused).as("the default start on a version 1 schema").isNotNull();
      assertThat(refused.found()).isEqualTo(1);
      assertThat(refused.known()).isEqualTo(Schema.VERSION);
      assertThat(refused.getMessage())
          .contains("is at version 1")
          .contains("needs version " + Schema.VERSION)
          .contains("applySchema(true)");
      assertThat(versions(ds, prefix)).as("a refused start changes nothing").containsExactly(1);

      JdbcBillingStore upgraded = builder(db, ds, prefix).applySchema(true).build();

      assertThat(versions(ds, prefix)).isEqualTo(ALL_VERSIONS);
      assertThat(tables(db, ds, prefix)).containsExactlyInAnyOrderElementsOf(TABLES);
      assertThat(rowCounts(ds, prefix, written.v1Tables()))
          .as("the version 1 tables' rows")
          .isEqualTo(counts);
      assertIntact(upgraded, written);
      writeUsage(upgraded, written);
      writePurchase(ds, prefix, written);
      new Schema(db.dialect, reference).apply(ds);
      assertThat(columns(db, ds, prefix))
          .as("the upgraded schema is the fresh one")
          .isEqualTo(columns(db, ds, reference));
      assertThat(new Schema(db.dialect, prefix).apply(ds)).as("applied again").isZero();
      assertThat(versions(ds, prefix)).isEqualTo(ALL_VERSIONS);
      // A store started the default way accepts it now, and sees the usage.
      JdbcBillingStore checked = builder(db, ds, prefix).build();
      assertIntact(checked, written);
      assertThat(checked.findUsageEvent(written.tenant(), "upgrade-1")).isPresent();
    } finally {
      TestDatabases.drop(db, ds, prefix);
      TestDatabases.drop(db, ds, reference);
    }
  }

  /**
   * A version 1 database with ledger data, as the previous release left it: the whole schema is
   * applied and written to, then what version 2 added (only new tables, and its version row) is
   * taken away again, leaving exactly the tables and rows version 1 had.
   */
  static Written installVersionOneWithData(Db db, DataSource ds, String prefix)
      throws SQLException {
    Written written = write(builder(db, ds, prefix).applySchema(true).build());
    for (String table :
        List.of(
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
            "meters")) {
      execute(ds, "DROP TABLE " + prefix + table);
    }
    execute(
        ds,
        "DELETE FROM "
            + prefix
            + "schema_version WHERE version IN (2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13)");
    // And V13's: the transactions' invoice column and its index.
    undoInvoiceColumn(ds, db, prefix);
    // And what V3 added: the external key and its index.
    execute(
        ds,
        "DROP INDEX "
            + prefix
            + "accounts_external_key"
            + (db.dialect == Dialect.MARIADB ? " ON " + prefix + "accounts" : ""));
    execute(ds, "ALTER TABLE " + prefix + "accounts DROP COLUMN external_key");
    // And V9's: the holder and its index, and the effective-time index (rated_lines went above).
    dropIndex(ds, db, prefix, "accounts_holder", "accounts");
    dropIndex(ds, db, prefix, "transactions_effective", "transactions");
    dropIndex(ds, db, prefix, "transactions_recorded", "transactions");
    // And V11's: the consumption index of the revenue reports.
    dropIndex(ds, db, prefix, "transactions_consumption", "transactions");
    execute(ds, "ALTER TABLE " + prefix + "accounts DROP COLUMN holder");
    // And V12's: the accounts' last sequence, the grants' live flag with its check and the
    // indexes that name it (back to V1's, on remaining), and the sequence's block increment.
    execute(ds, "ALTER TABLE " + prefix + "accounts DROP COLUMN last_sequence");
    dropIndex(ds, db, prefix, "grants_live", "grants");
    if (db.dialect == Dialect.POSTGRESQL) {
      dropIndex(ds, db, prefix, "grants_expiring", "grants");
    }
    execute(
        ds,
        "ALTER TABLE " + prefix + "grants DROP " + "CONSTRAINT " + prefix + "grants_live_check");
    execute(ds, "ALTER TABLE " + prefix + "grants DROP COLUMN live");
    if (db.dialect == Dialect.POSTGRESQL) {
      execute(
          ds,
          "CREATE INDEX "
              + prefix
              + "grants_live ON "
              + prefix
              + "grants (tenant, account_id) WHERE remaining > 0");
      execute(
          ds,
          "CREATE INDEX "
              + prefix
              + "grants_expiring ON "
              + prefix
              + "grants (tenant, sequence)"
              + " WHERE remaining > 0 AND NOT voided AND expires_at IS NOT NULL");
    } else {
      execute(
          ds,
          "CREATE INDEX "
              + prefix
              + "grants_live ON "
              + prefix
              + "grants (tenant, account_id, remaining)");
    }
    execute(ds, "ALTER SEQUENCE " + prefix + "sequence INCREMENT BY 1");
    execute(ds, "DELETE FROM " + prefix + "schema_version WHERE version = 3");
    return written;
  }

  /** A meter, two usage events and a rating step through {@code store}; checks them. */
  static void writeUsage(JdbcBillingStore store, Written w) {
    Meter meter =
        Meter.builder(w.tenant(), "tokens", Aggregation.SUM)
            .unit("tokens")
            .dimensions("model")
            .build();
    assertThat(store.insertMeterIfAbsent(meter)).isEqualTo(meter);
    java.time.Instant at = java.time.Instant.parse("2026-01-05T10:00:00Z");
    List<IngestOutcome> outcomes =
        store.ingest(
            List.of(
                usage(w, "upgrade-1", "2.5", at, Map.of("model", "large")),
                usage(w, "upgrade-2", "1", at.plusSeconds(1), Map.of())));
    assertThat(outcomes).allMatch(o -> o instanceof IngestOutcome.Inserted);
    RatingCursor cursor = store.findRatingCursor(w.tenant(), w.account(), "tokens").orElseThrow();
    assertThat(cursor.ingestedSequence()).isEqualTo(2);
    RatingCursor next = cursor.advanced(at.plusSeconds(3600), 2, "{}");
    RatedLine line =
        new RatedLine(
            w.tenant(),
            w.account(),
            "tokens",
            next.version(),
            0,
            at,
            at.plusSeconds(3600),
            java.time.YearMonth.of(2026, 1),
            Map.of("model", "large"),
            new java.math.BigDecimal("2.5"),
            TckFixture.credits(25),
            Optional.empty());
    assertThat(store.advanceRatingCursor(next, List.of(line))).isTrue();
    assertThat(store.ratedLines(w.tenant(), w.account(), "tokens", next.version()))
        .containsExactly(line);
    assertThat(store.usageSummary(UsageSummaryQuery.of(w.tenant()))).hasSize(1);
  }

  /** A purchase moved to PENDING and a provider event recorded and marked, on the tables. */
  static void writePurchase(DataSource ds, String prefix, Written w) {
    JdbcPurchaseStore purchases = JdbcPurchaseStore.create(ds, prefix);
    java.time.Instant at = java.time.Instant.parse("2026-01-05T10:00:00.000001Z");
    dev.billingsdk.money.Amount price =
        dev.billingsdk.money.Amount.ofMinor(dev.billingsdk.money.CurrencyUnit.of("USD"), 1999);
    Purchase created =
        new Purchase(
            w.tenant(),
            PurchaseId.of("upgrade-purchase"),
            w.account(),
            new PurchasedItem(CatalogueItem.Kind.CREDIT_PACKAGE, "starter", 1, "Starter"),
            price,
            "stripe",
            PurchaseState.CREATED,
            Optional.empty(),
            Optional.empty(),
            dev.billingsdk.money.Amount.zero(price.unit()),
            false,
            at,
            at,
            0);
    assertThat(purchases.createIfAbsent(created)).isEqualTo(created);
    PurchaseTransition step =
        new PurchaseTransition(
            w.tenant(),
            created.id(),
            1,
            PurchaseState.CREATED,
            PurchaseState.PENDING,
            at.plusSeconds(1),
            "library:checkout",
            "",
            Optional.of("cs_upgrade"),
            Optional.empty(),
            dev.billingsdk.money.Amount.zero(price.unit()),
            false);
    assertThat(purchases.transition(created, step)).contains(created.after(step));
    assertThat(purchases.findByProviderRef("stripe", "cs_upgrade")).contains(created.after(step));
    assertThat(purchases.transitions(w.tenant(), created.id())).containsExactly(step);

    JdbcProviderEventStore events = JdbcProviderEventStore.create(ds, prefix);
    ProviderEvent event =
        new ProviderEvent(
            "stripe",
            "evt_upgrade",
            "checkout.session.completed",
            ProviderEvent.Kind.CHECKOUT_COMPLETED,
            at,
            Optional.of(created.id().value()),
            Optional.of("cs_upgrade"),
            Optional.empty(),
            "{\"id\":\"evt_upgrade\"}");
    assertThat(events.recordIfAbsent(event, at)).isTrue();
    assertThat(events.recordIfAbsent(event, at)).isFalse();
    assertThat(events.markProcessed("stripe", "evt_upgrade", at, "GRANTED")).isTrue();
    assertThat(events.find("stripe", "evt_upgrade").orElseThrow().outcome()).contains("GRANTED");
  }

  private static StoredUsageEvent usage(
      Written w, String id, String quantity, java.time.Instant at, Map<String, String> dims) {
    UsageEvent e =
        UsageEvent.builder(w.tenant(), w.account(), "tokens")
            .id(id)
            .quantity(new java.math.BigDecimal(quantity))
            .occurredAt(at)
            .dimensions(dims)
            .build();
    return StoredUsageEvent.unsequenced(e, "fingerprint-" + id, at.plusSeconds(5));
  }

  // ------------------------------------------------------------------ racing first starts

  @ParameterizedTest(name = "{0}")
  @EnumSource(Db.class)
  void storesStartingTogetherOnAnEmptyDatabaseApplyTheSchemaOnce(Db db) throws Exception {
    TestDatabases.assumeAvailable(db);
    String prefix = "mig_race_";
    int racers = 4;
    List<DataSource> pools = new ArrayList<>();
    for (int i = 0; i < racers; i++) {
      pools.add(TestDatabases.pool(db, "migration-race-" + i, 2));
    }
    DataSource ds = pools.get(0);
    for (int round = 0; round < 3; round++) {
      TestDatabases.drop(db, ds, prefix);
      try {
        List<JdbcBillingStore> stores =
            race(
                racers,
                i -> () -> builder(db, pools.get(i), prefix).applySchema(true).build(),
                "round " + round);

        assertThat(versions(ds, prefix)).as("round %s", round).isEqualTo(ALL_VERSIONS);
        assertThat(tables(db, ds, prefix)).containsExactlyInAnyOrderElementsOf(TABLES);
        for (JdbcBillingStore store : stores) {
          write(store);
        }
      } finally {
        TestDatabases.drop(db, ds, prefix);
      }
    }
  }

  /**
   * Racing starts of separate copies of the library (as two processes would be): each copy is
   * loaded by its own class loader, so the in-process lock of one does not hold back the other, and
   * only the database's migration lock (PostgreSQL's advisory lock, MariaDB's GET_LOCK) keeps them
   * from applying the schema twice.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = Db.class,
      names = {"POSTGRESQL", "MARIADB"})
  void separateCopiesOfTheLibraryStartingTogetherApplyTheSchemaOnce(Db db) throws Exception {
    TestDatabases.assumeAvailable(db);
    String prefix = "mig_procs_";
    int racers = 4;
    List<DataSource> pools = new ArrayList<>();
    List<IsolatedCopy> copies = new ArrayList<>();
    for (int i = 0; i < racers; i++) {
      pools.add(TestDatabases.pool(db, "migration-process-" + i, 2));
      copies.add(new IsolatedCopy());
    }
    DataSource ds = pools.get(0);
    try {
      for (int round = 0; round < 3; round++) {
        TestDatabases.drop(db, ds, prefix);
        try {
          List<Integer> applied =
              race(
                  racers,
                  i -> () -> copies.get(i).apply(db.dialect, prefix, pools.get(i)),
                  "round " + round);

          assertThat(applied.stream().mapToInt(Integer::intValue).sum())
              .as("scripts applied in round %s, by racer: %s", round, applied)
              .isEqualTo(Schema.VERSION);
          assertThat(versions(ds, prefix)).isEqualTo(ALL_VERSIONS);
          write(builder(db, ds, prefix).build());
        } finally {
          TestDatabases.drop(db, ds, prefix);
        }
      }
    } finally {
      for (IsolatedCopy copy : copies) {
        copy.close();
      }
    }
  }

  // ------------------------------------------------------------------ prefixes

  @ParameterizedTest(name = "\"{0}\"")
  @NullSource
  @ValueSource(
      strings = {
        "Billing",
        "billinG_",
        "1x_",
        "_x",
        "x;drop",
        "x-y_",
        "x y_",
        "",
        "abcdefghijklmnopqrstu" // 21 characters
      })
  void aBadTablePrefixIsRefusedNamingTheFieldAndTheValue(String prefix) {
    DataSource ds = TestDatabases.pool(Db.H2, "migration", 4);

    InvalidRequestException e =
        catchThrowableOfType(
            InvalidRequestException.class, () -> JdbcBillingStore.builder(ds).tablePrefix(prefix));

    assertThat(e).as("prefix %s accepted", prefix).isNotNull();
    assertThat(e.field()).isEqualTo("tablePrefix");
    assertThat(e.value()).isEqualTo(String.valueOf(prefix));
    assertThat(e.getMessage()).contains("tablePrefix").contains("(was: " + prefix + ")");
    assertThatThrownBy(() -> new Schema(Dialect.H2, prefix))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, x -> assertThat(x.field()).isEqualTo("tablePrefix"));
  }

  @Test
  void theLongestAndShortestPrefixesAreAccepted() {
    assertThat(Schema.checkPrefix("abcdefghijklmnopqrst")).hasSize(20);
    assertThat(Schema.checkPrefix("x")).isEqualTo("x");
    assertThat(Schema.checkPrefix(Schema.DEFAULT_PREFIX)).isEqualTo("billing_");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Db.class)
  void twoPrefixesInOneDatabaseAreIndependentStores(Db db) {
    TestDatabases.assumeAvailable(db);
    DataSource ds = TestDatabases.pool(db, "migration", 4);
    String prefixA = "mig_a_";
    String prefixB = "mig_b_max_length_xx_"; // 20 characters: the longest names fit every database
    assertThat(prefixB).hasSize(20);
    TestDatabases.drop(db, ds, prefixA);
    TestDatabases.drop(db, ds, prefixB);
    try {
      JdbcBillingStore a = builder(db, ds, prefixA).applySchema(true).build();
      Written inA = write(a);
      assertThat(tables(db, ds, prefixB)).isEmpty();

      JdbcBillingStore b = builder(db, ds, prefixB).applySchema(true).build();
      assertThat(tables(db, ds, prefixB)).containsExactlyInAnyOrderElementsOf(TABLES);
      assertThat(versions(ds, prefixB)).isEqualTo(ALL_VERSIONS);
      // Nothing of A is visible in B.
      assertThat(b.findAccount(inA.tenant(), inA.account())).isEmpty();
      assertThat(b.findGrant(inA.tenant(), inA.grant().grant().id())).isEmpty();
      assertThat(b.transactions(inA.tenant(), inA.account())).isEmpty();
      assertThat(b.findTransaction(inA.tenant(), inA.grant().transaction().id())).isEmpty();
      assertThat(b.pendingEvents(TckFixture.OUTBOX_SCAN)).isEmpty();

      // The same tenant, account and idempotency key in B make a new grant, not a replay of A's.
      TckFixture inB = new TckFixture(b);
      inB.credits()
          .openAccount(
              OpenAccountRequest.builder(inA.tenant(), inA.account(), TckFixture.CREDIT)
                  .actor(TckFixture.ADMIN)
                  .build());
      GrantResult grantB =
          inB.credits()
              .grant(
                  GrantRequest.builder(inA.tenant(), inA.account(), TckFixture.credits(42))
                      .idempotencyKey(inA.grant().transaction().idempotencyKey())
                      .actor(TckFixture.ADMIN)
                      .reason("same key, other store")
                      .build());
      assertThat(grantB.replayed()).isFalse();
      assertThat(b.findGrant(inA.tenant(), grantB.grant().id()).orElseThrow().remaining().minor())
          .isEqualTo(42);
      assertThat(b.transactions(inA.tenant(), inA.account())).hasSize(1);

      // ... and A is as it was.
      assertIntact(a, inA);
      assertThat(a.findGrant(inA.tenant(), grantB.grant().id())).isEmpty();
      assertThat(rowCounts(ds, prefixB).get("accounts")).isEqualTo(1);
      TestDatabases.drop(db, ds, prefixB);
      assertIntact(builder(db, ds, prefixA).build(), inA);
    } finally {
      TestDatabases.drop(db, ds, prefixA);
      TestDatabases.drop(db, ds, prefixB);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Db.class)
  void theDefaultPrefixStaysClearOfTheHostsOwnTables(Db db) throws SQLException {
    TestDatabases.assumeAvailable(db);
    DataSource ds = TestDatabases.pool(db, "migration", 4);
    List<String> hostTables = List.of("accounts", "grants", "transactions");
    TestDatabases.drop(db, ds, Schema.DEFAULT_PREFIX);
    dropHostTables(ds, hostTables);
    try {
      for (String table : hostTables) {
        execute(
            ds,
            "CREATE TABLE "
                + table
                + " (id INTEGER NOT NULL PRIMARY KEY, owner VARCHAR(64) NOT NULL)");
        execute(ds, "INSERT INTO " + table + " (id, owner) VALUES (7, 'host " + table + "')");
      }
      Map<String, Map<String, String>> hostColumns = columns(db, ds, "");

      JdbcBillingStore store =
          JdbcBillingStore.builder(ds).dialect(db.dialect).applySchema(true).build();

      assertThat(store.tablePrefix()).isEqualTo(Schema.DEFAULT_PREFIX);
      assertThat(tables(db, ds, Schema.DEFAULT_PREFIX)).containsExactlyInAnyOrderElementsOf(TABLES);
      assertThat(versions(ds, Schema.DEFAULT_PREFIX)).isEqualTo(ALL_VERSIONS);
      Written written = write(store);
      assertIntact(JdbcBillingStore.builder(ds).dialect(db.dialect).build(), written);

      Map<String, Map<String, String>> after = columns(db, ds, "");
      for (String table : hostTables) {
        assertThat(after.get(table)).as("host table %s", table).isEqualTo(hostColumns.get(table));
        assertThat(query(ds, "SELECT id, owner FROM " + table))
            .as("host table %s", table)
            .containsExactly(List.of("7", "host " + table));
      }
    } finally {
      dropHostTables(ds, hostTables);
      TestDatabases.drop(db, ds, Schema.DEFAULT_PREFIX);
    }
  }

  // ------------------------------------------------------------------ the scripts

  @ParameterizedTest(name = "{0}")
  @EnumSource(Db.class)
  void everyDialectShipsOneScriptPerVersionUnderFlywayNames(Db db) {
    Dialect dialect = db.dialect;
    List<String> resources = new Schema(dialect, "x_").scriptResources();

    assertThat(resources).hasSize(Schema.VERSION);
    for (int i = 0; i < resources.size(); i++) {
      String resource = resources.get(i);
      assertThat(resource)
          .startsWith(dialect.scriptFolder() + "/V" + (i + 1) + "__")
          .endsWith(".sql");
      assertThat(SchemaMigrationTest.class.getClassLoader().getResource(resource))
          .as("classpath resource %s", resource)
          .isNotNull();
      List<String> statements = new Schema(dialect, "x_").statements(i + 1);
      assertThat(statements).isNotEmpty().noneMatch(s -> s.contains("${"));
      assertThat(statements.get(statements.size() - 1))
          .as("the last statement of %s records its version", resource)
          .startsWith("INSERT INTO x_schema_version")
          .contains("VALUES (" + (i + 1) + ",");
    }
  }

  /**
   * The same tables, columns, nullability and primary keys in every database, compared with what H2
   * (always available) creates: catches a column added to one dialect's script only.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = Db.class,
      names = {"POSTGRESQL", "MARIADB"})
  void everyDialectCreatesTheSameTablesAndColumnsAsH2(Db db) {
    TestDatabases.assumeAvailable(db);
    String prefix = "mig_cols_";
    DataSource h2 = TestDatabases.pool(Db.H2, "migration", 4);
    DataSource ds = TestDatabases.pool(db, "migration", 4);
    TestDatabases.drop(Db.H2, h2, prefix);
    TestDatabases.drop(db, ds, prefix);
    try {
      new Schema(Dialect.H2, prefix).apply(h2);
      new Schema(db.dialect, prefix).apply(ds);

      Map<String, Map<String, String>> reference = columns(Db.H2, h2, prefix);
      assertThat(reference.keySet()).containsExactlyInAnyOrderElementsOf(TABLES);
      assertThat(reference.values()).allSatisfy(c -> assertThat(c).isNotEmpty());
      Map<String, Map<String, String>> actual = columns(db, ds, prefix);
      assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(reference.keySet());
      for (String table : reference.keySet()) {
        assertThat(actual.get(table))
            .as("columns (name -> nullable) of %s%s on %s", prefix, table, db)
            .isEqualTo(reference.get(table));
        assertThat(primaryKey(db, ds, prefix + table))
            .as("primary key of %s%s on %s", prefix, table, db)
            .isEqualTo(primaryKey(Db.H2, h2, prefix + table));
      }
    } finally {
      TestDatabases.drop(Db.H2, h2, prefix);
      TestDatabases.drop(db, ds, prefix);
    }
  }

  @Test
  void theH2ReferenceSchemaHasItsKnownShape() {
    String prefix = "mig_cols_";
    DataSource h2 = TestDatabases.pool(Db.H2, "migration", 4);
    TestDatabases.drop(Db.H2, h2, prefix);
    try {
      new Schema(Dialect.H2, prefix).apply(h2);
      Map<String, Map<String, String>> columns = columns(Db.H2, h2, prefix);
      assertThat(columns.get("schema_version").keySet())
          .containsExactlyInAnyOrder("version", "description", "installed_at");
      assertThat(columns.get("outbox").keySet())
          .containsExactlyInAnyOrder("position", "tenant", "event_id", "event_type", "payload");
      assertThat(primaryKey(Db.H2, h2, prefix + "postings"))
          .containsExactly("tenant", "transaction_id", "position");
      assertThat(primaryKey(Db.H2, h2, prefix + "usage_events"))
          .as("the claim of an event id")
          .containsExactly("tenant", "event_id");
      assertThat(primaryKey(Db.H2, h2, prefix + "rating_cursors"))
          .containsExactly("tenant", "account", "meter");
      assertThat(primaryKey(Db.H2, h2, prefix + "rated_lines"))
          .containsExactly("tenant", "account", "meter", "cursor_version", "line_number");
      assertThat(primaryKey(Db.H2, h2, prefix + "meters")).containsExactly("tenant", "meter_key");
      assertThat(primaryKey(Db.H2, h2, prefix + "purchases"))
          .containsExactly("tenant", "purchase_id");
      assertThat(primaryKey(Db.H2, h2, prefix + "purchase_transitions"))
          .containsExactly("tenant", "purchase_id", "sequence");
      assertThat(primaryKey(Db.H2, h2, prefix + "provider_events"))
          .as("the claim of a webhook delivery")
          .containsExactly("provider", "event_id");
      assertThat(columns.get("purchases").get("checkout_ref")).isEqualTo("YES");
      assertThat(columns.get("provider_events").get("processed_at")).isEqualTo("YES");
      assertThat(columns.get("rated_lines").keySet())
          .contains("dimension_key", "dimension_digest", "unit_code", "unit_scale", "unit_currency")
          .contains("period_year", "period_month", "quantity", "credits", "posting");
      assertThat(columns.get("rated_lines").get("posting")).isEqualTo("YES");
      assertThat(columns.get("meters").get("key_dimension")).isEqualTo("YES");
      assertThat(columns.get("meters").get("heartbeat_timeout_seconds")).isEqualTo("YES");
    } finally {
      TestDatabases.drop(Db.H2, h2, prefix);
    }
  }

  // ------------------------------------------------------------------ helpers

  static JdbcBillingStore.Builder builder(Db db, DataSource ds, String prefix) {
    return JdbcBillingStore.builder(ds).dialect(db.dialect).tablePrefix(prefix);
  }

  /** What {@link #write} left in a store. */
  record Written(TckFixture fixture, AccountId account, GrantResult grant) {
    dev.billingsdk.TenantId tenant() {
      return fixture.tenant;
    }

    /** The tables of version 1 that {@link #write} fills (all but schema_version). */
    List<String> v1Tables() {
      return TABLES.stream()
          .filter(t -> !V2_TABLES.contains(t) && !t.equals("schema_version"))
          .toList();
    }
  }

  /** Opens an account, grants 1000 and charges 300 through the services; checks the outcome. */
  static Written write(BillingStore store) {
    TckFixture f = new TckFixture(store);
    AccountId account = f.open("migration-account");
    GrantResult grant = f.grant(account, 1_000);
    f.usage(account, 300);

    assertThat(f.remaining(grant)).isEqualTo(700);
    assertThat(store.transactions(f.tenant, account)).hasSize(2);
    assertThat(f.pendingEvents()).isNotEmpty();
    f.assertConsistent(account);
    return new Written(f, account, grant);
  }

  /** The store (possibly a later one on the same tables) still holds what {@link #write} wrote. */
  static void assertIntact(BillingStore store, Written w) {
    assertThat(store.findAccount(w.tenant(), w.account())).isPresent();
    assertThat(
            store.findGrant(w.tenant(), w.grant().grant().id()).orElseThrow().remaining().minor())
        .isEqualTo(700);
    assertThat(store.transactions(w.tenant(), w.account())).hasSize(2);
    assertThat(store.findTransaction(w.tenant(), w.grant().transaction().idempotencyKey()))
        .isPresent();
    assertThat(store.findTransaction(w.tenant(), IdempotencyKey.of("never-used"))).isEmpty();
  }

  /**
   * Runs {@code racers} tasks released together by a barrier; returns their results in racer order,
   * or fails with every racer's error.
   */
  static <T> List<T> race(int racers, java.util.function.IntFunction<Callable<T>> task, String what)
      throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    try {
      CyclicBarrier start = new CyclicBarrier(racers);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < racers; i++) {
        Callable<T> work = task.apply(i);
        futures.add(
            pool.submit(
                () -> {
                  start.await(30, TimeUnit.SECONDS);
                  return work.call();
                }));
      }
      List<T> results = new ArrayList<>();
      AssertionError failed = null;
      for (int i = 0; i < racers; i++) {
        try {
          results.add(futures.get(i).get(150, TimeUnit.SECONDS));
        } catch (java.util.concurrent.ExecutionException
            | java.util.concurrent.TimeoutException e) {
          if (failed == null) {
            failed = new AssertionError(what + ": a racing start failed");
          }
          failed.addSuppressed(e.getCause() == null ? e : e.getCause());
        }
      }
      if (failed != null) {
        throw failed;
      }
      return results;
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  /**
   * A second copy of the adapter's classes ({@code dev.billingsdk.jdbc.*}) in its own class loader,
   * sharing everything else (the core, the drivers, the pools) with the test: what another process
   * running the library looks like to the database, as far as migration locking goes.
   */
  static final class IsolatedCopy implements AutoCloseable {
    private static final String PACKAGE = Schema.class.getPackageName() + ".";
    private final URLClassLoader loader;

    IsolatedCopy() {
      URL classes = Schema.class.getProtectionDomain().getCodeSource().getLocation();
      ClassLoader parent = SchemaMigrationTest.class.getClassLoader();
      this.loader =
          new URLClassLoader(new URL[] {classes}, parent) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve)
                throws ClassNotFoundException {
              if (!name.startsWith(PACKAGE)) {
                return super.loadClass(name, resolve);
              }
              synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                  c = findClass(name);
                }
                if (resolve) {
                  resolveClass(c);
                }
                return c;
              }
            }
          };
    }

    /** {@code new Schema(dialect, prefix).apply(dataSource)} in this copy. */
    int apply(Dialect dialect, String prefix, DataSource dataSource) throws Exception {
      Class<?> dialectClass = loader.loadClass(Dialect.class.getName());
      Class<?> schemaClass = loader.loadClass(Schema.class.getName());
      if (schemaClass == Schema.class) {
        throw new IllegalStateException("the copy shares the test's Schema class");
      }
      // The copy's constant of the same name (a built-in's toString is its constant's name).
      Object copyDialect = dialectClass.getField(dialect.toString()).get(null);
      try {
        Object schema =
            schemaClass.getConstructor(dialectClass, String.class).newInstance(copyDialect, prefix);
        return (Integer)
            schemaClass.getMethod("apply", DataSource.class).invoke(schema, dataSource);
      } catch (InvocationTargetException e) {
        if (e.getCause() instanceof Exception cause) {
          throw cause;
        }
        throw e;
      }
    }

    @Override
    public void close() throws java.io.IOException {
      loader.close();
    }
  }

  /** Where the adapter's tables live on this connection: MariaDB's catalog, or the schema. */
  private static String catalog(Db db, Connection c) throws SQLException {
    return db == Db.MARIADB ? c.getCatalog() : null;
  }

  private static String schema(Db db, Connection c) throws SQLException {
    return db == Db.MARIADB ? null : c.getSchema();
  }

  private static boolean isTable(String type) {
    return "TABLE".equalsIgnoreCase(type) || "BASE TABLE".equalsIgnoreCase(type);
  }

  /** The tables under {@code prefix}, lower case and without it. */
  static Set<String> tables(Db db, DataSource ds, String prefix) {
    return columns(db, ds, prefix).keySet();
  }

  /**
   * Table (lower case, without the prefix) to column (lower case) to nullability ("YES"/"NO"), for
   * every table whose name starts with {@code prefix} ("" for all of them).
   */
  static Map<String, Map<String, String>> columns(Db db, DataSource ds, String prefix) {
    Map<String, Map<String, String>> columns = new TreeMap<>();
    try (Connection c = ds.getConnection()) {
      DatabaseMetaData meta = c.getMetaData();
      try (ResultSet rs = meta.getTables(catalog(db, c), schema(db, c), "%", null)) {
        while (rs.next()) {
          String table = rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
          if (isTable(rs.getString("TABLE_TYPE")) && table.startsWith(prefix)) {
            columns.put(table.substring(prefix.length()), new TreeMap<>());
          }
        }
      }
      try (ResultSet rs = meta.getColumns(catalog(db, c), schema(db, c), "%", "%")) {
        while (rs.next()) {
          String table = rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
          if (table.startsWith(prefix)) {
            Map<String, String> of = columns.get(table.substring(prefix.length()));
            if (of != null) {
              of.put(
                  rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT),
                  rs.getString("IS_NULLABLE"));
            }
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the tables of " + db, e);
    }
    return columns;
  }

  /** The primary key's columns, lower case, in key order. */
  static List<String> primaryKey(Db db, DataSource ds, String table) {
    String name =
        switch (db) {
          case H2 -> table.toUpperCase(Locale.ROOT);
          case POSTGRESQL, MARIADB -> table;
        };
    try (Connection c = ds.getConnection();
        ResultSet rs = c.getMetaData().getPrimaryKeys(catalog(db, c), schema(db, c), name)) {
      Map<Integer, String> key = new TreeMap<>();
      while (rs.next()) {
        key.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
      }
      return List.copyOf(key.values());
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the primary key of " + table, e);
    }
  }

  /** Whether {@code <prefix>sequence} exists (draws a number from it). */
  static boolean sequenceWorks(Db db, DataSource ds, String prefix) {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(db.dialect.nextSequenceSql(prefix + "sequence"))) {
      return rs.next() && rs.getLong(1) > 0;
    } catch (SQLException e) {
      return false;
    }
  }

  /** The versions recorded in {@code <prefix>schema_version}, ascending (duplicates kept). */
  static List<Integer> versions(DataSource ds, String prefix) {
    return query(ds, "SELECT version FROM " + prefix + "schema_version ORDER BY version").stream()
        .map(row -> Integer.valueOf(row.get(0)))
        .toList();
  }

  /** The rows of {@code <prefix>schema_version}, every column as text. */
  static List<List<String>> versionRows(DataSource ds, String prefix) {
    return query(
        ds,
        "SELECT version, description, installed_at FROM "
            + prefix
            + "schema_version ORDER BY version");
  }

  /** Rows per table of the schema. */
  static Map<String, Long> rowCounts(DataSource ds, String prefix) {
    return rowCounts(ds, prefix, TABLES);
  }

  /** Rows per table of {@code tables}. */
  static Map<String, Long> rowCounts(DataSource ds, String prefix, List<String> tables) {
    Map<String, Long> counts = new TreeMap<>();
    for (String table : tables) {
      counts.put(
          table, Long.valueOf(query(ds, "SELECT COUNT(*) FROM " + prefix + table).get(0).get(0)));
    }
    return counts;
  }

  static List<List<String>> query(DataSource ds, String sql) {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      List<List<String>> rows = new ArrayList<>();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(rs.getString(i));
        }
        rows.add(Collections.unmodifiableList(row));
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("could not run " + sql, e);
    }
  }

  static void dropIndex(DataSource ds, Db db, String prefix, String index, String table)
      throws SQLException {
    execute(
        ds,
        "DROP INDEX "
            + prefix
            + index
            + (db.dialect == Dialect.MARIADB ? " ON " + prefix + table : ""));
  }

  /** Takes away what version 13 added: the transactions' invoice column and its index. */
  static void undoInvoiceColumn(DataSource ds, Db db, String prefix) throws SQLException {
    dropIndex(ds, db, prefix, "transactions_invoice", "transactions");
    execute(ds, "ALTER TABLE " + prefix + "transactions DROP COLUMN invoice");
  }

  static void execute(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static void dropHostTables(DataSource ds, List<String> tables) throws SQLException {
    for (String table : tables) {
      execute(ds, "DROP TABLE IF EXISTS " + table);
    }
  }
}
