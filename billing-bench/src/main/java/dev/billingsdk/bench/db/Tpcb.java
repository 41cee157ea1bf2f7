package dev.billingsdk.bench.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The bank-transfer baselines: pgbench's built-in tpcb-like script, and the same transaction
 * written as plain JDBC from Java threads (three balance updates, a balance read and a history
 * insert in one transaction), which is the peer baseline where there is no pgbench.
 */
final class Tpcb {
  static final int BRANCHES = 10;
  static final int TELLERS = 10 * BRANCHES;
  static final int ACCOUNTS = 100_000;
  static final String PREFIX = "bench_tpcb_";

  private Tpcb() {}

  /** Creates and fills the plain tables (not timed). */
  static void create(Database db) throws SQLException {
    db.execute(
        "DROP TABLE IF EXISTS " + PREFIX + "history",
        "DROP TABLE IF EXISTS " + PREFIX + "accounts",
        "DROP TABLE IF EXISTS " + PREFIX + "tellers",
        "DROP TABLE IF EXISTS " + PREFIX + "branches",
        "CREATE TABLE "
            + PREFIX
            + "branches (bid INT NOT NULL PRIMARY KEY, bbalance INT NOT NULL, filler CHAR(88))",
        "CREATE TABLE "
            + PREFIX
            + "tellers (tid INT NOT NULL PRIMARY KEY, bid INT NOT NULL, tbalance INT NOT NULL,"
            + " filler CHAR(84))",
        "CREATE TABLE "
            + PREFIX
            + "accounts (aid INT NOT NULL PRIMARY KEY, bid INT NOT NULL, abalance INT NOT NULL,"
            + " filler CHAR(84))",
        "CREATE TABLE "
            + PREFIX
            + "history (tid INT, bid INT, aid INT, delta INT, mtime TIMESTAMP, filler CHAR(22))");
    fill(db, "branches (bid, bbalance)", BRANCHES, 2, i -> new int[] {i, 0});
    fill(db, "tellers (tid, bid, tbalance)", TELLERS, 3, i -> new int[] {i, (i - 1) / 10 + 1, 0});
    fill(
        db,
        "accounts (aid, bid, abalance)",
        ACCOUNTS,
        3,
        i -> new int[] {i, (i - 1) / (ACCOUNTS / BRANCHES) + 1, 0});
  }

  private static void fill(
      Database db, String table, int rows, int columns, java.util.function.IntFunction<int[]> row)
      throws SQLException {
    StringBuilder marks = new StringBuilder("?");
    for (int i = 1; i < columns; i++) {
      marks.append(", ?");
    }
    try (Connection c = db.connection();
        PreparedStatement s =
            c.prepareStatement("INSERT INTO " + PREFIX + table + " VALUES (" + marks + ")")) {
      c.setAutoCommit(false);
      for (int i = 1; i <= rows; i++) {
        int[] values = row.apply(i);
        for (int k = 0; k < columns; k++) {
          s.setInt(k + 1, values[k]);
        }
        s.addBatch();
        if (i % 5_000 == 0) {
          s.executeBatch();
        }
      }
      s.executeBatch();
      c.commit();
    }
  }

  static void drop(Database db) throws SQLException {
    db.execute(
        "DROP TABLE IF EXISTS " + PREFIX + "history",
        "DROP TABLE IF EXISTS " + PREFIX + "accounts",
        "DROP TABLE IF EXISTS " + PREFIX + "tellers",
        "DROP TABLE IF EXISTS " + PREFIX + "branches");
  }

  /** One client of the plain-JDBC tpcb-like transaction, on its own connection. */
  static Load.Step client(Database db) throws SQLException {
    return new Client(db.connection());
  }

  private static final class Client implements Load.Step, AutoCloseable {
    private final Connection c;
    private final PreparedStatement updateAccount;
    private final PreparedStatement readAccount;
    private final PreparedStatement updateTeller;
    private final PreparedStatement updateBranch;
    private final PreparedStatement insertHistory;

    Client(Connection c) throws SQLException {
      this.c = c;
      c.setAutoCommit(false);
      updateAccount =
          c.prepareStatement(
              "UPDATE " + PREFIX + "accounts SET abalance = abalance + ? WHERE aid = ?");
      readAccount = c.prepareStatement("SELECT abalance FROM " + PREFIX + "accounts WHERE aid = ?");
      updateTeller =
          c.prepareStatement(
              "UPDATE " + PREFIX + "tellers SET tbalance = tbalance + ? WHERE tid = ?");
      updateBranch =
          c.prepareStatement(
              "UPDATE " + PREFIX + "branches SET bbalance = bbalance + ? WHERE bid = ?");
      insertHistory =
          c.prepareStatement(
              "INSERT INTO "
                  + PREFIX
                  + "history (tid, bid, aid, delta, mtime) VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP)");
    }

    @Override
    public long run(long iteration) throws SQLException {
      ThreadLocalRandom r = ThreadLocalRandom.current();
      int aid = r.nextInt(1, ACCOUNTS + 1);
      int bid = r.nextInt(1, BRANCHES + 1);
      int tid = r.nextInt(1, TELLERS + 1);
      int delta = r.nextInt(-5000, 5001);
      for (int attempt = 0; ; attempt++) {
        try {
          updateAccount.setInt(1, delta);
          updateAccount.setInt(2, aid);
          updateAccount.executeUpdate();
          readAccount.setInt(1, aid);
          try (ResultSet rs = readAccount.executeQuery()) {
            rs.next();
            rs.getInt(1);
          }
          updateTeller.setInt(1, delta);
          updateTeller.setInt(2, tid);
          updateTeller.executeUpdate();
          updateBranch.setInt(1, delta);
          updateBranch.setInt(2, bid);
          updateBranch.executeUpdate();
          insertHistory.setInt(1, tid);
          insertHistory.setInt(2, bid);
          insertHistory.setInt(3, aid);
          insertHistory.setInt(4, delta);
          insertHistory.executeUpdate();
          c.commit();
          return 1;
        } catch (SQLException e) {
          c.rollback();
          if (!Database.isRetryable(e) || attempt > 100) {
            throw e;
          }
        }
      }
    }

    @Override
    public void close() throws SQLException {
      c.setAutoCommit(true);
      c.close();
    }
  }

  // ---------------------------------------------------------------- pgbench

  /** The pgbench binary: on PATH, or under /usr/lib/postgresql/<version>/bin, newest first. */
  static Optional<Path> pgbench() {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        Path p = Path.of(dir, "pgbench");
        if (Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    Path root = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(root)) {
      try (Stream<Path> versions = Files.list(root)) {
        return versions
            .map(v -> v.resolve("bin/pgbench"))
            .filter(Files::isExecutable)
            .max(Comparator.comparing(Path::toString));
      } catch (IOException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** Runs {@code pgbench -i -s scale} (creates and fills the pgbench_* tables). */
  static void pgbenchInit(Path pgbench, String jdbcUrl, int scale) throws Exception {
    List<String> args = new ArrayList<>(List.of("-i", "-q", "-s", Integer.toString(scale)));
    run(pgbench, jdbcUrl, args, 600);
  }

  private static final Pattern TPS =
      Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

  /** Runs the tpcb-like script for {@code seconds}; returns pgbench's TPS. */
  static double pgbenchRun(Path pgbench, String jdbcUrl, int clients, int seconds)
      throws Exception {
    String c = Integer.toString(clients);
    String out =
        run(
            pgbench,
            jdbcUrl,
            List.of("-n", "-M", "prepared", "-c", c, "-j", c, "-T", Integer.toString(seconds)),
            seconds + 120L);
    Matcher m = TPS.matcher(out);
    if (!m.find()) {
      throw new IllegalStateException(
          "no 'tps = ... (without initial connection time)' in:\n" + out);
    }
    return Double.parseDouble(m.group(1));
  }

  static void pgbenchDrop(Database db) throws SQLException {
    db.execute(
        "DROP TABLE IF EXISTS pgbench_history",
        "DROP TABLE IF EXISTS pgbench_accounts",
        "DROP TABLE IF EXISTS pgbench_tellers",
        "DROP TABLE IF EXISTS pgbench_branches");
  }

  private static String run(Path pgbench, String jdbcUrl, List<String> args, long timeoutSeconds)
      throws Exception {
    Map<String, String> url = Database.postgresParts(jdbcUrl);
    List<String> command = new ArrayList<>();
    command.add(pgbench.toString());
    command.addAll(List.of("-h", url.get("host"), "-p", url.get("port")));
    if (url.containsKey("user")) {
      command.addAll(List.of("-U", url.get("user")));
    }
    command.addAll(args);
    command.add(url.get("database"));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    if (url.containsKey("password")) {
      pb.environment().put("PGPASSWORD", url.get("password"));
    }
    Process p = pb.start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("pgbench timed out: " + command);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException("pgbench " + args + " exited " + p.exitValue() + ":\n" + out);
    }
    return out;
  }
}
