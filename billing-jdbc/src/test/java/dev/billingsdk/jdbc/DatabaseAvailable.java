package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import java.util.Optional;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * The jqwik counterpart of {@link TestDatabases#assumeAvailable}: a property class whose database
 * is not configured is skipped, unless the databases are required (CI), where it fails.
 */
abstract class DatabaseAvailable implements SkipExecutionHook {
  private final Db db;

  DatabaseAvailable(Db db) {
    this.db = db;
  }

  @Override
  public SkipResult shouldBeSkipped(LifecycleContext context) {
    Optional<String> why = TestDatabases.unavailable(db);
    if (why.isEmpty()) {
      return SkipResult.doNotSkip();
    }
    if (TestDatabases.required()) {
      throw new AssertionError(
          why.get() + " (BILLING_TEST_DATABASES_REQUIRED is set, so this fails, not skips)");
    }
    return SkipResult.skip(
        why.get() + " (skipped: set BILLING_TEST_DATABASES_REQUIRED=true to make this fail)");
  }

  static final class Postgres extends DatabaseAvailable {
    Postgres() {
      super(Db.POSTGRESQL);
    }
  }

  static final class MariaDb extends DatabaseAvailable {
    MariaDb() {
      super(Db.MARIADB);
    }
  }
}
