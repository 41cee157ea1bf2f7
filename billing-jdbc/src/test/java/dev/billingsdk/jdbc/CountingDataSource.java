package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} over a real pool that counts what the code above it asks of the database:
 * pool checkouts, statements, and round trips to the server, between two {@link #reset()}s. Read
 * the counts with {@link #snapshot()}.
 *
 * <p>It counts at the boundary between the SDK and the pool, from the JDBC calls the SDK makes and
 * what each driver is known to send for them. It does not watch the socket; {@link
 * AbstractCountingRulesTest} checks each rule below against a socket that does. The pool's own
 * traffic (Hikari checks a connection that was idle for more than half a second before lending it,
 * and opens new connections) is not the SDK's: it is not counted, so it cannot make the counts vary
 * from run to run.
 *
 * <h2>The counting rules</h2>
 *
 * <p>A round trip is one exchange in which the client sends and then waits for the server's answer.
 * Everything the driver sends before it next waits is the same round trip.
 *
 * <table>
 *   <caption>What each JDBC call counts</caption>
 *   <tr><th>call</th><th>statements</th><th>round trips</th></tr>
 *   <tr><td>{@code DataSource.getConnection}</td><td>0</td><td>0 (a checkout)</td></tr>
 *   <tr><td>{@code execute}, {@code executeQuery}, {@code executeUpdate},
 *       {@code executeLargeUpdate}</td><td>1</td><td>1</td></tr>
 *   <tr><td>{@code executeBatch}, {@code executeLargeBatch} of n statements (n &gt; 0)</td>
 *       <td>n</td><td>PostgreSQL: 1 + (n - 1) / 255; MariaDB, H2: 1</td></tr>
 *   <tr><td>{@code commit}, {@code rollback}</td><td>0</td>
 *       <td>1 if a statement ran since the transaction began, else 0</td></tr>
 *   <tr><td>{@code setAutoCommit(x)}, x different from the current mode</td><td>0</td>
 *       <td>MariaDB: 1; PostgreSQL, H2: 1 when it ends a transaction that ran a statement (an
 *       implicit commit), else 0</td></tr>
 *   <tr><td>{@code getTransactionIsolation}, {@code setTransactionIsolation}</td><td>0</td>
 *       <td>H2: 0; PostgreSQL, MariaDB: 1 (only H2's snapshot reads change it)</td></tr>
 *   <tr><td>{@code Connection.close} with a transaction that ran a statement still open</td>
 *       <td>0</td><td>1 (the pool rolls it back)</td></tr>
 *   <tr><td>anything else: preparing, binding, reading results, closing statements,
 *       {@code getAutoCommit}</td><td>0</td><td>0</td></tr>
 * </table>
 *
 * <p>Where the rules come from (the drivers the project tests with, pgjdbc 42.7 and MariaDB
 * Connector/J 3.5):
 *
 * <ul>
 *   <li>pgjdbc sends a query's parse, bind and execute (once the statement is prepared on the
 *       server, after five uses, its bind and execute) in one exchange; with the default fetch size
 *       (0) the whole result comes back in it. It sends {@code BEGIN} lazily, in the same exchange
 *       as the transaction's first statement, so {@code setAutoCommit(false)} sends nothing; {@code
 *       commit()} and {@code rollback()} send only when the transaction is not idle; {@code
 *       setAutoCommit(true)} commits an open transaction and otherwise sends nothing. A batch is
 *       pipelined, except that the driver stops to read the answers when it estimates they fill its
 *       buffer (64,000 bytes at 250 bytes an answer, so that neither side blocks on a full socket
 *       buffer): on the wire that is a stop whenever 255 answers are outstanding and another
 *       statement is to go, so a batch of n statements takes 1 + (n - 1) / 255 round trips (256
 *       take 2, 511 take 3, 1,000 take 4).
 *   <li>MariaDB Connector/J prepares statements on the client by default (text protocol) and reads
 *       whole results at once. {@code setAutoCommit(x)} sends {@code set autocommit=x} whenever the
 *       mode changes; {@code commit()} and {@code rollback()} send only when the server reports a
 *       transaction open (which the first statement after {@code set autocommit=0} starts). A batch
 *       is sent as one bulk command or pipelined (all statements sent, then all answers read): one
 *       round trip.
 *   <li>H2 embedded has no network. Its calls are counted with PostgreSQL's rules (lazy begin)
 *       without the batch split, so that its figures compare with the servers'.
 * </ul>
 *
 * <p>A call whose cost these rules do not know (metadata, savepoints, isolation or read-only
 * changes, network timeouts, validity checks, a positive fetch size, stored procedures) is counted
 * in {@link Counts#unruled()}, so a test can refuse a window whose round trips would otherwise be
 * undercounted.
 */
final class CountingDataSource implements DataSource {

  /** The counts of one window. */
  record Counts(
      long checkouts,
      long statements,
      long batches,
      long roundTrips,
      long commits,
      long rollbacks,
      long autoCommitChanges,
      long unruled) {

    /** The figures, in a fixed order and format for the build log. */
    String describe() {
      return String.format(
          "statements=%d roundTrips=%d checkouts=%d batches=%d commits=%d rollbacks=%d"
              + " autoCommitChanges=%d",
          statements, roundTrips, checkouts, batches, commits, rollbacks, autoCommitChanges);
    }
  }

  /**
   * The answers a pgjdbc batch leaves outstanding before it stops to read them: its estimate is 250
   * bytes an answer against a 64,000-byte buffer; {@link AbstractCountingRulesTest} found the stops
   * on the wire at 256, 511, 766, ... statements.
   */
  static final int PG_ANSWERS_PER_EXCHANGE = 255;

  /** Connection calls that may reach the server but whose cost the rules do not know. */
  private static final Set<String> UNRULED_CONNECTION_CALLS =
      Set.of(
          "getMetaData",
          "prepareCall",
          "setReadOnly",
          "setSavepoint",
          "releaseSavepoint",
          "setNetworkTimeout",
          "isValid",
          "setCatalog",
          "setSchema",
          "abort");

  private final DataSource delegate;
  private final Db db;
  private final AtomicLong checkouts = new AtomicLong();
  private final AtomicLong statements = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong roundTrips = new AtomicLong();
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong rollbacks = new AtomicLong();
  private final AtomicLong autoCommitChanges = new AtomicLong();
  private final AtomicLong unruled = new AtomicLong();

  CountingDataSource(DataSource delegate, Db db) {
    this.delegate = delegate;
    this.db = db;
  }

  /** The counts since the last {@link #reset()} (or since this data source was made). */
  Counts snapshot() {
    return new Counts(
        checkouts.get(),
        statements.get(),
        batches.get(),
        roundTrips.get(),
        commits.get(),
        rollbacks.get(),
        autoCommitChanges.get(),
        unruled.get());
  }

  /** Starts a new window: every count back to zero. */
  void reset() {
    for (AtomicLong n :
        new AtomicLong[] {
          checkouts, statements, batches, roundTrips, commits, rollbacks, autoCommitChanges, unruled
        }) {
      n.set(0);
    }
  }

  /** The round trips of a batch of {@code n} statements on this database. */
  long batchRoundTrips(long n) {
    if (n == 0) {
      return 0; // every driver returns an empty result without contacting the server
    }
    return db == Db.POSTGRESQL ? 1 + (n - 1) / PG_ANSWERS_PER_EXCHANGE : 1;
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection real = delegate.getConnection();
    checkouts.incrementAndGet();
    return connection(real);
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    Connection real = delegate.getConnection(username, password);
    checkouts.incrementAndGet();
    return connection(real);
  }

  /** One lent connection's transaction state, as the rules need it. */
  private final class Tracked implements InvocationHandler {
    private final Connection real;
    private boolean autoCommit;

    /** A statement ran since the transaction began (pgjdbc: not idle; MariaDB: in trans). */
    private boolean transactionUsed;

    Tracked(Connection real) throws SQLException {
      this.real = real;
      this.autoCommit = real.getAutoCommit(); // kept by the driver: no round trip
    }

    void ran() {
      if (!autoCommit) {
        transactionUsed = true;
      }
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      switch (name) {
        case "setAutoCommit":
          {
            boolean to = (Boolean) args[0];
            Object result = call(real, method, args);
            if (to != autoCommit) {
              autoCommitChanges.incrementAndGet();
              if (db == Db.MARIADB || (to && transactionUsed)) {
                roundTrips.incrementAndGet();
              }
              autoCommit = to;
              transactionUsed = false;
            }
            return result;
          }
        case "commit":
        case "rollback":
          {
            Object result = call(real, method, args);
            (name.equals("commit") ? commits : rollbacks).incrementAndGet();
            if (args != null && args.length > 0) {
              unruled.incrementAndGet(); // rollback(Savepoint)
            } else if (transactionUsed) {
              roundTrips.incrementAndGet();
            }
            transactionUsed = false;
            return result;
          }
        case "getTransactionIsolation":
        case "setTransactionIsolation":
          {
            // Only H2 snapshot reads change isolation (Dialect.wholeCommitReadIsolation); embedded
            // H2 has no network. pgjdbc would send a query for each.
            if (db != Db.H2) {
              roundTrips.incrementAndGet();
            }
            return call(real, method, args);
          }
        case "close":
          {
            if (transactionUsed && !real.isClosed()) {
              roundTrips.incrementAndGet(); // the pool rolls the open transaction back
            }
            transactionUsed = false;
            return call(real, method, args);
          }
        default:
          if (UNRULED_CONNECTION_CALLS.contains(name)) {
            unruled.incrementAndGet();
          }
          Object result = call(real, method, args);
          if (result instanceof CallableStatement s) {
            return statement(s, CallableStatement.class);
          }
          if (result instanceof PreparedStatement s) {
            return statement(s, PreparedStatement.class);
          }
          if (result instanceof Statement s && name.equals("createStatement")) {
            return statement(s, Statement.class);
          }
          return result;
      }
    }

    private Object statement(Statement real, Class<? extends Statement> type) {
      return Proxy.newProxyInstance(
          CountingDataSource.class.getClassLoader(),
          new Class<?>[] {type},
          new StatementHandler(this, real));
    }
  }

  /** One statement's batch, and the counts of its executions. */
  private final class StatementHandler implements InvocationHandler {
    private final Tracked connection;
    private final Statement real;
    private long pending;

    StatementHandler(Tracked connection, Statement real) {
      this.connection = connection;
      this.real = real;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      switch (name) {
        case "addBatch":
          {
            Object result = call(real, method, args);
            pending++;
            return result;
          }
        case "clearBatch":
          {
            Object result = call(real, method, args);
            pending = 0;
            return result;
          }
        case "executeBatch":
        case "executeLargeBatch":
          {
            long n = pending;
            pending = 0; // the driver empties the batch whether it succeeds or fails
            statements.addAndGet(n);
            batches.incrementAndGet();
            roundTrips.addAndGet(batchRoundTrips(n));
            if (n > 0) {
              connection.ran();
            }
            return call(real, method, args);
          }
        case "execute":
        case "executeQuery":
        case "executeUpdate":
        case "executeLargeUpdate":
          statements.incrementAndGet();
          roundTrips.incrementAndGet();
          connection.ran();
          return call(real, method, args);
        case "setFetchSize":
          if ((Integer) args[0] > 0) {
            unruled.incrementAndGet(); // results fetched in several exchanges
          }
          return call(real, method, args);
        default:
          return call(real, method, args);
      }
    }
  }

  private Connection connection(Connection real) throws SQLException {
    return (Connection)
        Proxy.newProxyInstance(
            CountingDataSource.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            new Tracked(real));
  }

  private static Object call(Object target, Method method, Object[] args) throws Throwable {
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
