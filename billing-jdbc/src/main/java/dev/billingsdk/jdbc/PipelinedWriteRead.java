package dev.billingsdk.jdbc;

import dev.billingsdk.AccountId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.Reservation;
import dev.billingsdk.jdbc.StoreRows.AccountRow;
import dev.billingsdk.jdbc.TransactionReader.TransactionHead;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.money.Amount;
import dev.billingsdk.spi.AccountSnapshot;
import dev.billingsdk.spi.WriteBasis;
import dev.billingsdk.spi.WriteTarget;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The read a write is decided on ({@link dev.billingsdk.spi.BillingStore#readForWrite}) as one
 * round trip on PostgreSQL: six SELECTs sent together in one prepared statement, which the driver
 * sends with one synchronisation and the server answers in one go. They are the key probe (the
 * transaction and its postings), the account row, its live grants, its active reservations, and the
 * account's version once more: each SELECT sees what was committed when it started, so the read is
 * one committed state exactly when the version did not move between the first account read and the
 * last (every write moves it); otherwise it is sent again.
 */
final class PipelinedWriteRead {
  private final JdbcRunner runner;
  private final StoreRows db;
  private final TransactionReader transactions;
  private final String sql;
  private final String bulkSql;

  PipelinedWriteRead(JdbcRunner runner, StoreRows db, TransactionReader transactions) {
    this.runner = runner;
    this.db = db;
    this.transactions = transactions;
    String keys = " IN (SELECT * FROM unnest(CAST(? AS varchar[]), CAST(? AS varchar[])))";
    this.bulkSql =
        transactions.select()
            + "WHERE (x.tenant, x.idempotency_key)"
            + keys
            + "; "
            + transactions.postingsByKeys()
            + keys
            + "); SELECT "
            + db.accountColumns
            + " FROM "
            + db.t("accounts")
            + " a WHERE (a.tenant, a.account_id)"
            + keys
            + "; "
            + db.grantSelect
            + "WHERE (g.tenant, g.account_id)"
            + keys
            + " AND g.live ORDER BY g.sequence; "
            + db.reservationSelect
            + "WHERE (r.tenant, r.account_id)"
            + keys
            + " AND r.state = 'ACTIVE' ORDER BY r.sequence; "
            + "SELECT tenant, account_id, version FROM "
            + db.t("accounts")
            + " WHERE (tenant, account_id)"
            + keys;
    this.sql =
        transactions.select()
            + "WHERE x.tenant = ? AND x.idempotency_key = ?; "
            + transactions.postingsByKey()
            + "; SELECT "
            + db.accountColumns
            + " FROM "
            + db.t("accounts")
            + " a WHERE a.tenant = ? AND a.account_id = ?; "
            + db.grantSelect
            + "WHERE g.tenant = ? AND g.account_id = ? AND g.live ORDER BY g.sequence; "
            + db.reservationSelect
            + "WHERE r.tenant = ? AND r.account_id = ? AND r.state = 'ACTIVE' ORDER BY r.sequence; "
            + "SELECT version FROM "
            + db.t("accounts")
            + " WHERE tenant = ? AND account_id = ?";
  }

  /**
   * {@link #read} for many targets, in one round trip: the same six SELECTs, each joined on arrays
   * of keys or accounts. An account whose version moved between its first and last read is read
   * again on its own.
   */
  List<WriteBasis> readAll(List<WriteTarget> targets) {
    List<List<Object>> keyList = new ArrayList<>();
    Map<List<Object>, AccountId> accountList = new LinkedHashMap<>();
    for (WriteTarget t : targets) {
      keyList.add(List.of(t.tenant().value(), t.key().value()));
      accountList.put(List.of(t.tenant().value(), t.account().value()), t.account());
    }
    Map<List<Object>, LedgerTransaction> known = new HashMap<>();
    Map<List<Object>, Optional<AccountSnapshot>> snapshots = new HashMap<>();
    List<List<Object>> torn = new ArrayList<>();
    runner.read(
        "reading accounts for a list of writes",
        c -> {
          try (PreparedStatement s = c.prepareStatement(bulkSql)) {
            int i = 0;
            for (int part = 0; part < 6; part++) {
              List<List<Object>> pairs = part < 2 ? keyList : new ArrayList<>(accountList.keySet());
              Object[] first = new Object[pairs.size()];
              Object[] second = new Object[pairs.size()];
              for (int k = 0; k < pairs.size(); k++) {
                first[k] = pairs.get(k).get(0);
                second[k] = pairs.get(k).get(1);
              }
              s.setArray(++i, c.createArrayOf("varchar", first));
              s.setArray(++i, c.createArrayOf("varchar", second));
            }
            s.execute();
            List<TransactionHead> heads;
            try (ResultSet rs = s.getResultSet()) {
              heads = transactions.heads(rs);
            }
            s.getMoreResults();
            try (ResultSet rs = s.getResultSet()) {
              for (LedgerTransaction t : transactions.withPostings(heads, rs)) {
                known.put(List.of(t.tenant().value(), t.idempotencyKey().value()), t);
              }
            }
            s.getMoreResults();
            Map<List<Object>, AccountRow> rows = new HashMap<>();
            try (ResultSet rs = s.getResultSet()) {
              while (rs.next()) {
                AccountRow row = db.accountRow(rs);
                rows.put(List.of(row.account().tenant().value(), row.account().id().value()), row);
              }
            }
            s.getMoreResults();
            Map<List<Object>, List<GrantBalance>> live = new HashMap<>();
            try (ResultSet rs = s.getResultSet()) {
              while (rs.next()) {
                GrantBalance g = db.grantRow(rs);
                live.computeIfAbsent(
                        List.of(g.grant().tenant().value(), g.grant().account().value()),
                        k -> new ArrayList<>())
                    .add(g);
              }
            }
            s.getMoreResults();
            Map<List<Object>, List<Reservation>> active = new HashMap<>();
            try (ResultSet rs = s.getResultSet()) {
              while (rs.next()) {
                Reservation r = db.reservationRow(rs);
                active
                    .computeIfAbsent(
                        List.of(r.tenant().value(), r.account().value()), k -> new ArrayList<>())
                    .add(r);
              }
            }
            s.getMoreResults();
            Map<List<Object>, Long> versions = new HashMap<>();
            try (ResultSet rs = s.getResultSet()) {
              while (rs.next()) {
                versions.put(
                    List.of(rs.getString("tenant"), rs.getString("account_id")),
                    rs.getLong("version"));
              }
            }
            for (List<Object> key : accountList.keySet()) {
              AccountRow a = rows.get(key);
              if (a == null) {
                snapshots.put(key, Optional.empty());
              } else if (versions.getOrDefault(key, -1L) != a.version()) {
                torn.add(key);
              } else {
                snapshots.put(
                    key,
                    Optional.of(
                        new AccountSnapshot(
                            a.account(),
                            live.getOrDefault(key, List.of()),
                            Amount.ofMinor(a.account().unit(), a.overdraft()),
                            active.getOrDefault(key, List.of()),
                            a.alert(),
                            a.version())));
              }
            }
            return Boolean.TRUE;
          }
        });
    List<WriteBasis> bases = new ArrayList<>(targets.size());
    for (WriteTarget t : targets) {
      LedgerTransaction k = known.get(List.of(t.tenant().value(), t.key().value()));
      if (k != null) {
        bases.add(WriteBasis.known(k));
        continue;
      }
      List<Object> account = List.of(t.tenant().value(), t.account().value());
      if (torn.contains(account) && !snapshots.containsKey(account)) {
        // Moved while it was read: read it again on its own (a consistent read of one account).
        WriteBasis again = read(t.tenant(), t.account(), t.key());
        if (again.known().isPresent()) {
          bases.add(again);
          continue;
        }
        snapshots.put(account, again.snapshot());
      }
      bases.add(WriteBasis.fresh(snapshots.getOrDefault(account, Optional.empty())));
    }
    return bases;
  }

  WriteBasis read(TenantId tenant, AccountId account, IdempotencyKey key) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(key, "idempotencyKey");
    return runner.read(
        "reading an account for a write",
        c -> {
          while (true) {
            try (PreparedStatement s = c.prepareStatement(sql)) {
              int i = 0;
              s.setString(++i, tenant.value());
              s.setString(++i, key.value());
              s.setString(++i, tenant.value());
              s.setString(++i, tenant.value());
              s.setString(++i, key.value());
              for (int part = 0; part < 4; part++) {
                s.setString(++i, tenant.value());
                s.setString(++i, account.value());
              }
              s.execute();
              List<TransactionHead> heads;
              try (ResultSet rs = s.getResultSet()) {
                heads = transactions.heads(rs);
              }
              s.getMoreResults();
              List<LedgerTransaction> known;
              try (ResultSet rs = s.getResultSet()) {
                known = heads.isEmpty() ? List.of() : transactions.withPostings(heads, rs);
              }
              if (!known.isEmpty()) {
                return WriteBasis.known(known.get(0));
              }
              s.getMoreResults();
              Optional<AccountRow> row;
              try (ResultSet rs = s.getResultSet()) {
                row = rs.next() ? Optional.of(db.accountRow(rs)) : Optional.empty();
              }
              if (row.isEmpty()) {
                return WriteBasis.fresh(Optional.empty());
              }
              s.getMoreResults();
              List<GrantBalance> live = new ArrayList<>();
              try (ResultSet rs = s.getResultSet()) {
                while (rs.next()) {
                  live.add(db.grantRow(rs));
                }
              }
              s.getMoreResults();
              List<Reservation> active = new ArrayList<>();
              try (ResultSet rs = s.getResultSet()) {
                while (rs.next()) {
                  active.add(db.reservationRow(rs));
                }
              }
              s.getMoreResults();
              long version;
              try (ResultSet rs = s.getResultSet()) {
                version = rs.next() ? rs.getLong(1) : -1L;
              }
              AccountRow a = row.get();
              if (version == a.version()) {
                return WriteBasis.fresh(
                    Optional.of(
                        new AccountSnapshot(
                            a.account(),
                            live,
                            Amount.ofMinor(a.account().unit(), a.overdraft()),
                            active,
                            a.alert(),
                            a.version())));
              }
            }
          }
        });
  }
}
