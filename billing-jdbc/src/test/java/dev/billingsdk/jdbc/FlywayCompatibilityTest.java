package dev.billingsdk.jdbc;

import static dev.billingsdk.jdbc.SchemaMigrationTest.ALL_VERSIONS;
import static dev.billingsdk.jdbc.SchemaMigrationTest.TABLES;
import static dev.billingsdk.jdbc.SchemaMigrationTest.assertIntact;
import static dev.billingsdk.jdbc.SchemaMigrationTest.builder;
import static dev.billingsdk.jdbc.SchemaMigrationTest.columns;
import static dev.billingsdk.jdbc.SchemaMigrationTest.tables;
import static dev.billingsdk.jdbc.SchemaMigrationTest.versions;
import static dev.billingsdk.jdbc.SchemaMigrationTest.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.jdbc.SchemaMigrationTest.Written;
import dev.billingsdk.jdbc.TestDatabases.Db;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The shipped scripts run, as they are, under the host's own Flyway: Flyway applies them (filling
 * the {@code prefix} placeholder), the store started without {@code applySchema} accepts the result
 * and works, the schema is the one the adapter would have created, and a second migrate and a
 * validate find nothing to do or to complain about. On H2, PostgreSQL and MariaDB.
 */
class FlywayCompatibilityTest {

  /**
   * The host's Flyway for the billing scripts. A host database already holds the host's own tables,
   * and Flyway refuses to migrate a non-empty schema that has no history table of the name it is
   * given ("Found non-empty schema(s) ... but no schema history table") unless it may baseline it;
   * the billing history table is new even in a database that Flyway already manages, so it starts
   * from a baseline at version 0 and then applies V1 onwards.
   */
  static Flyway flyway(Db db, DataSource ds, String prefix) {
    return Flyway.configure()
        .dataSource(ds)
        .locations("classpath:" + db.dialect.scriptFolder())
        .placeholders(Map.of("prefix", prefix))
        .table(prefix + "flyway_history")
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .validateMigrationNaming(true)
        .load();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Db.class)
  void flywayAppliesTheScriptsAndTheStoreAcceptsThem(Db db) throws SQLException {
    TestDatabases.assumeAvailable(db);
    DataSource ds = TestDatabases.pool(db, "flyway", 4);
    String prefix = "fly_";
    String reference = "flyref_";
    drop(db, ds, prefix);
    drop(db, ds, reference);
    try {
      Flyway flyway = flyway(db, ds, prefix);
      MigrateResult first = flyway.migrate();

      assertThat(first.success).isTrue();
      assertThat(first.migrationsExecuted).isEqualTo(Schema.VERSION);
      assertThat(first.targetSchemaVersion).isEqualTo(String.valueOf(Schema.VERSION));
      assertThat(tables(db, ds, prefix))
          .containsExactlyInAnyOrderElementsOf(
              concat(TABLES, "flyway_history")); // Flyway's own table, under the host's name
      assertThat(versions(ds, prefix)).isEqualTo(ALL_VERSIONS);
      assertThat(new Schema(db.dialect, prefix).currentVersion(ds)).isEqualTo(Schema.VERSION);

      // The store, started the default way (check only), accepts Flyway's schema and works.
      JdbcBillingStore store = builder(db, ds, prefix).build();
      Written written = write(store);

      // It is the schema the adapter creates itself, column for column.
      new Schema(db.dialect, reference).apply(ds);
      Map<String, Map<String, String>> flywayColumns = columns(db, ds, prefix);
      flywayColumns.remove("flyway_history");
      assertThat(flywayColumns).isEqualTo(columns(db, ds, reference));

      // A second migrate is a no-op, validate passes, and the history says V1.. applied once.
      MigrateResult second = flyway(db, ds, prefix).migrate();
      assertThat(second.success).isTrue();
      assertThat(second.migrationsExecuted).isZero();
      ValidateResult validation = flyway(db, ds, prefix).validateWithResult();
      assertThat(validation.validationSuccessful)
          .as("Flyway validate: %s", validation.getAllErrorMessages())
          .isTrue();
      flyway(db, ds, prefix).validate();
      List<MigrationInfo> applied =
          Arrays.stream(flyway(db, ds, prefix).info().applied())
              .filter(m -> !m.getType().isBaseline())
              .toList();
      assertThat(applied.stream().map(m -> m.getVersion().getVersion()).toList())
          .isEqualTo(ALL_VERSIONS.stream().map(String::valueOf).toList());
      assertThat(applied)
          .allSatisfy(m -> assertThat(m.getState()).isEqualTo(MigrationState.SUCCESS));
      assertThat(flyway(db, ds, prefix).info().pending()).isEmpty();

      // The adapter, asked to apply the schema on top of Flyway's, applies nothing.
      assertThat(new Schema(db.dialect, prefix).apply(ds)).isZero();
      JdbcBillingStore again = builder(db, ds, prefix).applySchema(true).build();
      assertThat(versions(ds, prefix)).isEqualTo(ALL_VERSIONS);
      assertIntact(again, written);
    } finally {
      drop(db, ds, prefix);
      drop(db, ds, reference);
    }
  }

  /**
   * A host whose Flyway applied version 1 (the previous release's scripts) and then gets this
   * release: the store, started the default way, refuses the older schema; Flyway's next migrate
   * applies the later scripts alone, and the store accepts the result and meters usage on it.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Db.class)
  void flywayUpgradesAVersionOneSchemaToVersionTwo(Db db) throws SQLException {
    TestDatabases.assumeAvailable(db);
    DataSource ds = TestDatabases.pool(db, "flyway", 4);
    String prefix = "flyup_";
    String reference = "flyupref_";
    drop(db, ds, prefix);
    drop(db, ds, reference);
    try {
      MigrateResult v1 =
          Flyway.configure()
              .configuration(flyway(db, ds, prefix).getConfiguration())
              .target("1")
              .load()
              .migrate();
      assertThat(v1.migrationsExecuted).isEqualTo(1);
      assertThat(versions(ds, prefix)).containsExactly(1);
      assertThatThrownBy(() -> builder(db, ds, prefix).build())
          .isInstanceOfSatisfying(
              SchemaVersionException.class, e -> assertThat(e.found()).isEqualTo(1));

      MigrateResult v2 = flyway(db, ds, prefix).migrate();

      assertThat(v2.success).isTrue();
      assertThat(v2.migrationsExecuted).as("only V2 on are new").isEqualTo(Schema.VERSION - 1);
      assertThat(v2.targetSchemaVersion).isEqualTo(String.valueOf(Schema.VERSION));
      assertThat(versions(ds, prefix)).isEqualTo(ALL_VERSIONS);
      JdbcBillingStore store = builder(db, ds, prefix).build();
      Written written = write(store);
      SchemaMigrationTest.writeUsage(store, written);
      new Schema(db.dialect, reference).apply(ds);
      Map<String, Map<String, String>> flywayColumns = columns(db, ds, prefix);
      flywayColumns.remove("flyway_history");
      assertThat(flywayColumns).isEqualTo(columns(db, ds, reference));
      flyway(db, ds, prefix).validate();
    } finally {
      drop(db, ds, prefix);
      drop(db, ds, reference);
    }
  }

  /**
   * A host that let the adapter apply the schema and later hands it to Flyway baselines at {@link
   * Schema#VERSION}: Flyway then runs nothing, and the store goes on.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Db.class)
  void flywayTakesOverASchemaTheAdapterAppliedByBaselining(Db db) throws SQLException {
    TestDatabases.assumeAvailable(db);
    DataSource ds = TestDatabases.pool(db, "flyway", 4);
    String prefix = "flybase_";
    drop(db, ds, prefix);
    try {
      Written written = write(builder(db, ds, prefix).applySchema(true).build());

      Flyway flyway =
          Flyway.configure()
              .configuration(flyway(db, ds, prefix).getConfiguration())
              .baselineVersion(String.valueOf(Schema.VERSION))
              .load();
      MigrateResult result = flyway.migrate();

      assertThat(result.success).isTrue();
      assertThat(result.migrationsExecuted).isZero();
      assertThat(flyway.info().pending()).isEmpty();
      assertThat(flyway.info().current().getVersion().getVersion())
          .isEqualTo(String.valueOf(Schema.VERSION));
      assertThat(flyway.info().current().getType().isBaseline()).isTrue();
      flyway.validate();
      assertThat(flyway.migrate().migrationsExecuted).isZero();
      assertThat(versions(ds, prefix)).isEqualTo(ALL_VERSIONS);
      assertIntact(builder(db, ds, prefix).build(), written);
    } finally {
      drop(db, ds, prefix);
    }
  }

  private static List<String> concat(List<String> list, String more) {
    List<String> all = new java.util.ArrayList<>(list);
    all.add(more);
    return all;
  }

  /**
   * The adapter's tables and Flyway's history under {@code prefix}, dropped. Flyway quotes the
   * history table's name, which H2 then keeps in lower case, out of reach of an unquoted drop.
   */
  private static void drop(Db db, DataSource ds, String prefix) throws SQLException {
    TestDatabases.drop(db, ds, prefix);
    if (db == Db.H2) {
      try (Connection c = ds.getConnection();
          Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS \"" + prefix + "flyway_history\"");
      }
    }
  }
}
