package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import java.util.Optional;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips a whole test class whose database is not configured or not reachable, unless the databases
 * are required (CI), where it fails. The reason is printed on the console once per database.
 *
 * <p>For jqwik property classes it is a lifecycle hook ({@code @AddLifecycleHook}); for JUnit
 * classes an execution condition ({@code @ExtendWith}). The JUnit classes still call {@link
 * TestDatabases#assumeAvailable} in their {@code @BeforeAll}, but an assumption that aborts there
 * leaves nothing in Surefire's counts ("Tests run: 0"); a class disabled by this condition is
 * reported as skipped. Where the databases are required the condition lets the class run, so that
 * its {@code @BeforeAll} fails it.
 */
abstract class DatabaseAvailable implements SkipExecutionHook, ExecutionCondition {
  private final Db db;

  DatabaseAvailable(Db db) {
    this.db = db;
  }

  @Override
  public SkipResult shouldBeSkipped(LifecycleContext context) {
    TestDatabases.requireIfRequired(db);
    Optional<String> why = TestDatabases.skipped(db);
    return why.isEmpty() ? SkipResult.doNotSkip() : SkipResult.skip(why.get());
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<String> why = TestDatabases.skipped(db);
    return why.isEmpty()
        ? ConditionEvaluationResult.enabled(db + " is available, or required")
        : ConditionEvaluationResult.disabled(why.get());
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
