package dev.billingsdk.bench.db;

import dev.billingsdk.AccountId;
import dev.billingsdk.jdbc.Dialect;
import dev.billingsdk.metering.Aggregation;
import dev.billingsdk.metering.IngestResult;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.setup.Billing;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.postgresql.PGConnection;

/**
 * Usage ingestion with dedup, batched, against bulk loads of the same rows into an equivalent
 * table.
 *
 * <p>Ours: each client sends batches of {@value #BATCH} events to {@code metering().ingest}:
 * {@value #FRESH} new events and {@value #DUPLICATES} resent ids (same payload) of events it sent
 * before. Client {@code t} owns {@value #ACCOUNTS_PER_CLIENT} accounts of its own (an ingest
 * pipeline partitioned by account), one meter, three dimensions. The rate counts the rows stored
 * (the new events), not the resends.
 *
 * <p>Baseline: the very rows ours stored (read back from the library's table: same columns, same
 * values), loaded into {@code benchcopy_usage_events}, which the library's own migration creates
 * under another prefix (so the same columns, primary key, unique key and index), in the same chunks
 * of {@value #FRESH} rows per transaction, by the same number of clients.
 */
final class Ingest {
  static final int BATCH = 1_000;
  static final int DUPLICATES = 100;
  static final int FRESH = BATCH - DUPLICATES;
  static final int ACCOUNTS_PER_CLIENT = 100;
  static final String METER = "llm-tokens";
  static final String COPY_PREFIX = "benchcopy_";
  static final String COLUMNS =
      "tenant, event_id, account, meter, quantity, occurred_at, dimensions, fingerprint, sequence,"
          + " received_at";

  private static final java.time.format.DateTimeFormatter MARIADB_DATETIME =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  private static final String[] MODELS = {"gpt-4o", "claude", "mini"};
  private static final String[] DIRECTIONS = {"input", "output"};

  private Ingest() {}

  static void defineMeter(Billing billing) {
    billing
        .metering()
        .defineMeter(
            Meter.builder(Ledger.TENANT, METER, Aggregation.SUM)
                .unit("tokens")
                .dimensions("model", "direction", "user")
                .build(),
            Ledger.ADMIN);
  }

  /** One client of ours: batches with fresh events and resent ones. */
  static Load.Step client(Billing billing, String run, int thread) {
    List<UsageEvent> sent = new ArrayList<>();
    return iteration -> {
      ThreadLocalRandom r = ThreadLocalRandom.current();
      Instant now = Instant.now();
      List<UsageEvent> batch = new ArrayList<>(BATCH);
      for (int i = 0; i < FRESH; i++) {
        AccountId account =
            Ledger.account(thread * ACCOUNTS_PER_CLIENT + r.nextInt(ACCOUNTS_PER_CLIENT));
        batch.add(
            UsageEvent.builder(Ledger.TENANT, account, METER)
                .id(run + "-c" + thread + "-" + iteration + "-" + i)
                .quantity(BigDecimal.valueOf(r.nextInt(1, 5_000)))
                .occurredAt(now.minusMillis(r.nextLong(3_600_000)))
                .dimensions(
                    Map.of(
                        "model", MODELS[r.nextInt(MODELS.length)],
                        "direction", DIRECTIONS[r.nextInt(DIRECTIONS.length)],
                        "user", "u" + r.nextInt(10)))
                .build());
      }
      List<UsageEvent> fresh = List.copyOf(batch);
      for (int i = 0; i < DUPLICATES; i++) {
        batch.add(sent.isEmpty() ? fresh.get(r.nextInt(FRESH)) : sent.get(r.nextInt(sent.size())));
      }
      java.util.Collections.shuffle(batch, r);
      List<IngestResult> results = billing.metering().ingest(batch, Ledger.GATEWAY);
      long duplicates = results.stream().filter(IngestResult::duplicate).count();
      if (duplicates != DUPLICATES) {
        throw new AssertionError(
            "ingest reported " + duplicates + " duplicates in a batch with " + DUPLICATES);
      }
      if (sent.size() < 50_000) {
        sent.addAll(fresh);
      } else {
        for (UsageEvent e : fresh) {
          sent.set(r.nextInt(sent.size()), e);
        }
      }
      return FRESH;
    };
  }

  /** The rows ours stored in run {@code run}, per client, in chunks of {@value #FRESH}. */
  static List<List<Object[]>> storedChunks(Database db, String prefix, String run, int clients)
      throws SQLException {
    Map<Integer, List<Object[]>> byClient = new TreeMap<>();
    try (Connection c = db.connection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT "
                    + COLUMNS
                    + " FROM "
                    + prefix
                    + "usage_events WHERE tenant = ? AND event_id LIKE ? ORDER BY event_id")) {
      s.setString(1, Ledger.TENANT.value());
      s.setString(2, run + "-c%");
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String id = rs.getString(2);
          int client =
              Integer.parseInt(id.substring(run.length() + 2, id.indexOf('-', run.length() + 2)));
          Object[] row = new Object[10];
          for (int i = 0; i < 10; i++) {
            row[i] =
                switch (i) {
                  case 4 -> rs.getBigDecimal(5);
                  case 8 -> rs.getLong(9);
                  case 5, 9 ->
                      db.dialect == Dialect.MARIADB
                          ? rs.getObject(i + 1, java.time.LocalDateTime.class)
                          : rs.getObject(i + 1, java.time.OffsetDateTime.class);
                  default -> rs.getString(i + 1);
                };
          }
          byClient.computeIfAbsent(client, k -> new ArrayList<>()).add(row);
        }
      }
    }
    List<List<Object[]>> perClient = new ArrayList<>();
    for (int t = 0; t < clients; t++) {
      perClient.add(byClient.getOrDefault(t, List.of()));
    }
    return perClient;
  }

  static long rows(List<List<Object[]>> perClient) {
    return perClient.stream().mapToLong(List::size).sum();
  }

  static void truncateCopy(Database db) throws SQLException {
    db.execute("DELETE FROM " + COPY_PREFIX + "usage_events");
  }

  /** COPY ... FROM STDIN (csv), one COPY per chunk, autocommit: seconds taken. */
  static double copy(Database db, List<List<Object[]>> perClient) throws Exception {
    List<List<String>> csv = new ArrayList<>();
    for (List<Object[]> rows : perClient) {
      List<String> chunks = new ArrayList<>();
      for (int from = 0; from < rows.size(); from += FRESH) {
        StringBuilder sb = new StringBuilder();
        for (Object[] row : rows.subList(from, Math.min(rows.size(), from + FRESH))) {
          for (int i = 0; i < row.length; i++) {
            if (i > 0) {
              sb.append(',');
            }
            sb.append('"').append(String.valueOf(row[i]).replace("\"", "\"\"")).append('"');
          }
          sb.append('\n');
        }
        chunks.add(sb.toString());
      }
      csv.add(chunks);
    }
    String sql = "COPY " + COPY_PREFIX + "usage_events (" + COLUMNS + ") FROM STDIN (FORMAT csv)";
    return parallel(
        csv.size(),
        t -> {
          try (Connection c = db.connection()) {
            c.setAutoCommit(true);
            PGConnection pg = c.unwrap(PGConnection.class);
            for (String chunk : csv.get(t)) {
              pg.getCopyAPI().copyIn(sql, new StringReader(chunk));
            }
          }
        });
  }

  /** A multi-row INSERT per chunk (one statement, one transaction): seconds taken. */
  static double multiRowInsert(Database db, List<List<Object[]>> perClient) throws Exception {
    return parallel(
        perClient.size(),
        t -> {
          List<Object[]> rows = perClient.get(t);
          Map<Integer, PreparedStatement> bySize = new HashMap<>();
          try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
              for (int from = 0; from < rows.size(); from += FRESH) {
                List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + FRESH));
                PreparedStatement s = bySize.get(chunk.size());
                if (s == null) {
                  StringBuilder sql =
                      new StringBuilder(
                          "INSERT INTO " + COPY_PREFIX + "usage_events (" + COLUMNS + ") VALUES ");
                  String json = db.dialect == Dialect.POSTGRESQL ? "CAST(? AS jsonb)" : "?";
                  for (int i = 0; i < chunk.size(); i++) {
                    sql.append(i == 0 ? "" : ", ")
                        .append("(?, ?, ?, ?, ?, ?, ")
                        .append(json)
                        .append(", ?, ?, ?)");
                  }
                  s = c.prepareStatement(sql.toString());
                  bySize.put(chunk.size(), s);
                }
                int p = 1;
                for (Object[] row : chunk) {
                  for (Object v : row) {
                    s.setObject(p++, v);
                  }
                }
                s.executeUpdate();
                c.commit();
              }
            } finally {
              for (PreparedStatement s : bySize.values()) {
                s.close();
              }
              c.setAutoCommit(true);
            }
          }
        });
  }

  /**
   * MariaDB's {@code LOAD DATA LOCAL INFILE}, one file per chunk (written before timing), on a
   * connection with {@code allowLocalInfile=true}: seconds taken.
   */
  static double loadData(Database db, List<List<Object[]>> perClient, Path dir) throws Exception {
    Files.createDirectories(dir);
    List<List<Path>> files = new ArrayList<>();
    int n = 0;
    for (List<Object[]> rows : perClient) {
      List<Path> mine = new ArrayList<>();
      for (int from = 0; from < rows.size(); from += FRESH) {
        StringBuilder sb = new StringBuilder();
        for (Object[] row : rows.subList(from, Math.min(rows.size(), from + FRESH))) {
          for (int i = 0; i < row.length; i++) {
            if (i > 0) {
              sb.append('\t');
            }
            String v =
                row[i] instanceof java.time.LocalDateTime at
                    ? at.format(MARIADB_DATETIME)
                    : String.valueOf(row[i]);
            sb.append(v.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n"));
          }
          sb.append('\n');
        }
        Path file = dir.resolve("chunk-" + n++ + ".tsv");
        Files.writeString(file, sb, StandardCharsets.UTF_8);
        mine.add(file);
      }
      files.add(mine);
    }
    String url = db.url + (db.url.contains("?") ? "&" : "?") + "allowLocalInfile=true";
    try {
      return parallel(
          files.size(),
          t -> {
            try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
              c.setAutoCommit(true);
              for (Path file : files.get(t)) {
                s.execute(
                    "LOAD DATA LOCAL INFILE '"
                        + file.toAbsolutePath().toString().replace("'", "''")
                        + "' INTO TABLE "
                        + COPY_PREFIX
                        + "usage_events CHARACTER SET utf8mb4 ("
                        + COLUMNS
                        + ")");
              }
            }
          });
    } finally {
      for (List<Path> mine : files) {
        for (Path p : mine) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  static long copiedRows(Database db) throws SQLException {
    try (Connection c = db.connection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + COPY_PREFIX + "usage_events")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @FunctionalInterface
  interface Work {
    void run(int thread) throws Exception;
  }

  /** Runs {@code work} on {@code threads} threads at once; the wall time until all are done. */
  static double parallel(int threads, Work work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int index = t;
        done.add(
            pool.submit(
                () -> {
                  go.await();
                  work.run(index);
                  return null;
                }));
      }
      long start = System.nanoTime();
      go.countDown();
      for (Future<?> f : done) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          if (e.getCause() instanceof Exception x) {
            throw x;
          }
          throw e;
        }
      }
      return (System.nanoTime() - start) / 1e9;
    } finally {
      pool.shutdownNow();
    }
  }
}
