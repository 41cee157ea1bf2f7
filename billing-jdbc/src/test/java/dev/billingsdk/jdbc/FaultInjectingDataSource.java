package dev.billingsdk.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} over a real pool whose connections run a one-shot fault at an exact point of
 * the store's work: just before a statement batch whose SQL matches, or just before or after a
 * commit. That is how the fault tests make a real database fault (a terminated backend, a key taken
 * by another connection) land in the middle of {@code commitBatch}, every time, without sleeping.
 *
 * <p>Nothing is simulated here: the fault itself is whatever the {@link Fault} does to the
 * database, and the store sees the errors the driver raises.
 */
final class FaultInjectingDataSource implements DataSource {

  /** Where in a connection's work a fault may land. */
  enum Point {
    /** Before {@code executeBatch} of a prepared statement; the SQL is the statement's. */
    BEFORE_EXECUTE_BATCH,
    /**
     * Before {@code execute}, {@code executeQuery} or {@code executeUpdate} of a prepared statement
     * (a statement sent on its own, such as the one-statement write); the SQL is the statement's.
     */
    BEFORE_EXECUTE,
    /** Before {@code Connection.commit}; the SQL is {@code "COMMIT"}. */
    BEFORE_COMMIT,
    /** After {@code Connection.commit} returned; the SQL is {@code "COMMIT"}. */
    AFTER_COMMIT
  }

  /** What happens to the database when the point is reached, on the store's own connection. */
  @FunctionalInterface
  interface Fault {
    void strike(Connection victim) throws SQLException;
  }

  private record Armed(Point point, Predicate<String> sql, Fault fault) {}

  private final DataSource delegate;
  private final AtomicReference<Armed> armed = new AtomicReference<>();
  private final AtomicInteger struck = new AtomicInteger();

  FaultInjectingDataSource(DataSource delegate) {
    this.delegate = delegate;
  }

  /**
   * Runs {@code fault} once, the next time a connection reaches {@code point} with matching SQL.
   */
  void arm(Point point, Predicate<String> sql, Fault fault) {
    if (!armed.compareAndSet(null, new Armed(point, sql, fault))) {
      throw new IllegalStateException("a fault is already armed");
    }
  }

  /** Forgets a fault that has not struck. */
  void disarm() {
    armed.set(null);
  }

  /** Whether an armed fault is still waiting for its point. */
  boolean isArmed() {
    return armed.get() != null;
  }

  /** How many faults have struck since this data source was made. */
  int struck() {
    return struck.get();
  }

  private void reached(Point point, String sql, Connection connection) throws SQLException {
    Armed a = armed.get();
    if (a == null || a.point() != point || !a.sql().test(sql) || !armed.compareAndSet(a, null)) {
      return;
    }
    struck.incrementAndGet();
    a.fault().strike(connection);
  }

  @Override
  public Connection getConnection() throws SQLException {
    return wrap(delegate.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return wrap(delegate.getConnection(username, password));
  }

  private Connection wrap(Connection real) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          String name = method.getName();
          if (name.equals("commit")) {
            reached(Point.BEFORE_COMMIT, "COMMIT", real);
            invoke(real, method, args);
            reached(Point.AFTER_COMMIT, "COMMIT", real);
            return null;
          }
          Object result = invoke(real, method, args);
          if (name.equals("prepareStatement") && result instanceof PreparedStatement statement) {
            return statement(statement, (String) args[0], real);
          }
          return result;
        };
    return (Connection)
        Proxy.newProxyInstance(
            FaultInjectingDataSource.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            handler);
  }

  private PreparedStatement statement(PreparedStatement real, String sql, Connection connection) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "executeBatch" -> reached(Point.BEFORE_EXECUTE_BATCH, sql, connection);
            case "execute", "executeQuery", "executeUpdate" -> {
              if (args == null || args.length == 0) {
                reached(Point.BEFORE_EXECUTE, sql, connection);
              }
            }
            default -> {}
          }
          return invoke(real, method, args);
        };
    return (PreparedStatement)
        Proxy.newProxyInstance(
            FaultInjectingDataSource.class.getClassLoader(),
            new Class<?>[] {PreparedStatement.class},
            handler);
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    return delegate.unwrap(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    return delegate.isWrapperFor(type);
  }
}
