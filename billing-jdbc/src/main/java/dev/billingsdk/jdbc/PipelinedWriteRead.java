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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
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

  PipelinedWriteRead(JdbcRunner runner, StoreRows db, TransactionReader transactions) {
    this.runner = runner;
    this.db = db;
    this.transactions = transactions;
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
