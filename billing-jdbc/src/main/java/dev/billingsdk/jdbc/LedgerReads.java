package dev.billingsdk.jdbc;

import static dev.billingsdk.jdbc.StoreRows.placeholders;
import static dev.billingsdk.jdbc.StoreRows.query;
import static dev.billingsdk.jdbc.StoreRows.requireLimit;
import static dev.billingsdk.jdbc.StoreRows.tenantAnd;

import dev.billingsdk.AccountId;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.Reservation;
import dev.billingsdk.credit.ReservationId;
import dev.billingsdk.jdbc.StoreRows.AccountRow;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.TransactionFilter;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.money.Amount;
import dev.billingsdk.spi.AccountSnapshot;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ledger reads of {@link JdbcBillingStore}: accounts (and their consistent snapshots), grants,
 * transactions, reservations and the expiry sweeps. The batch writer reads through the same
 * queries, with the account row locked.
 */
final class LedgerReads {
  private final JdbcRunner runner;
  private final StoreRows db;
  private final TransactionReader transactionReader;

  LedgerReads(JdbcRunner runner, StoreRows db, TransactionReader transactionReader) {
    this.runner = runner;
    this.db = db;
    this.transactionReader = transactionReader;
  }

  Optional<Account> findAccountByKey(TenantId tenant, String externalKey) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(externalKey, "externalKey");
    // Served by the unique index (tenant, external_key).
    String sql =
        "SELECT "
            + db.accountColumns
            + " FROM "
            + db.t("accounts")
            + " a WHERE a.tenant = ?"
            + " AND a.external_key = ?";
    return runner
        .read(
            "reading an account by external key",
            c -> query(c, sql, tenantAnd(tenant, externalKey), db::accountRow).stream().findFirst())
        .map(AccountRow::account);
  }

  List<GrantCategory> grantCategories(TenantId tenant, AccountId account) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    // Walks the account's grant index and returns one row per category, not the grants.
    String sql =
        "SELECT category, MIN(sequence) AS first_sequence FROM "
            + db.t("grants")
            + " WHERE tenant = ? AND account_id = ? GROUP BY category ORDER BY first_sequence";
    return runner.read(
        "reading grant categories",
        c ->
            List.copyOf(
                query(
                    c,
                    sql,
                    tenantAnd(tenant, account.value()),
                    rs -> GrantCategory.of(rs.getString(1)))));
  }

  Optional<Account> findAccount(TenantId tenant, AccountId account) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    return runner
        .read("reading an account", c -> accountRow(c, tenant, account, false))
        .map(AccountRow::account);
  }

  Optional<AccountRow> accountRow(
      Connection c, TenantId tenant, AccountId account, boolean forUpdate) throws SQLException {
    return query(
            c,
            "SELECT "
                + db.accountColumns
                + " FROM "
                + db.t("accounts")
                + " a WHERE a.tenant = ? AND a.account_id = ?"
                + (forUpdate ? " FOR UPDATE" : ""),
            tenantAnd(tenant, account.value()),
            db::accountRow)
        .stream()
        .findFirst();
  }

  Optional<AccountSnapshot> loadAccount(TenantId tenant, AccountId account) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    // The account's version moves with every commit that changes its grants or reservations, so
    // reads that start and end at the same version saw one committed state.
    // On H2 the reads run in one transaction that sees each commit whole (see
    // Dialect.wholeCommitReadIsolation): there a version that did not move does not prove it.
    return runner.wholeCommitRead(
        "reading an account snapshot",
        c -> {
          while (true) {
            Optional<AccountRow> row = accountRow(c, tenant, account, false);
            if (row.isEmpty()) {
              return Optional.<AccountSnapshot>empty();
            }
            List<GrantBalance> live =
                query(
                    c,
                    db.grantSelect
                        + "WHERE g.tenant = ? AND g.account_id = ? AND g.live"
                        + " ORDER BY g.sequence",
                    tenantAnd(tenant, account.value()),
                    db::grantRow);
            List<Reservation> active =
                query(
                    c,
                    db.reservationSelect
                        + "WHERE r.tenant = ? AND r.account_id = ? AND r.state = 'ACTIVE'"
                        + " ORDER BY r.sequence",
                    tenantAnd(tenant, account.value()),
                    db::reservationRow);
            AccountRow a = row.get();
            if (version(c, tenant, account) == a.version()) {
              return Optional.of(
                  new AccountSnapshot(
                      a.account(),
                      live,
                      Amount.ofMinor(a.account().unit(), a.overdraft()),
                      active,
                      a.alert(),
                      a.version()));
            }
          }
        });
  }

  private long version(Connection c, TenantId tenant, AccountId account) throws SQLException {
    return query(
            c,
            "SELECT version FROM " + db.t("accounts") + " WHERE tenant = ? AND account_id = ?",
            tenantAnd(tenant, account.value()),
            rs -> rs.getLong(1))
        .stream()
        .findFirst()
        .orElse(-1L);
  }

  List<GrantBalance> grants(TenantId tenant, AccountId account) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    return runner.read(
        "reading grants",
        c ->
            List.copyOf(
                query(
                    c,
                    db.grantSelect + "WHERE g.tenant = ? AND g.account_id = ? ORDER BY g.sequence",
                    tenantAnd(tenant, account.value()),
                    db::grantRow)));
  }

  Optional<GrantBalance> findGrant(TenantId tenant, GrantId grant) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(grant, "grant");
    return runner.read(
        "reading a grant",
        c ->
            query(
                    c,
                    db.grantSelect + "WHERE g.tenant = ? AND g.grant_id = ?",
                    tenantAnd(tenant, grant.value()),
                    db::grantRow)
                .stream()
                .findFirst());
  }

  Optional<LedgerTransaction> findTransaction(TenantId tenant, IdempotencyKey key) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(key, "idempotencyKey");
    return runner.read("reading a transaction", c -> byKey(c, tenant, key));
  }

  Optional<LedgerTransaction> byKey(Connection c, TenantId tenant, IdempotencyKey key)
      throws SQLException {
    return transactionReader
        .read(
            c,
            transactionReader.select() + "WHERE x.tenant = ? AND x.idempotency_key = ?",
            tenantAnd(tenant, key.value()))
        .stream()
        .findFirst();
  }

  Optional<LedgerTransaction> findTransaction(TenantId tenant, TransactionId id) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(id, "transaction");
    return runner.read(
        "reading a transaction",
        c ->
            transactionReader
                .read(
                    c,
                    transactionReader.select() + "WHERE x.tenant = ? AND x.transaction_id = ?",
                    tenantAnd(tenant, id.value()))
                .stream()
                .findFirst());
  }

  List<LedgerTransaction> transactions(TenantId tenant, AccountId account) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    return runner.read(
        "reading transactions",
        c ->
            transactionReader.read(
                c,
                transactionReader.select()
                    + "WHERE x.tenant = ? AND x.account_id = ? ORDER BY x.sequence",
                tenantAnd(tenant, account.value())));
  }

  List<LedgerTransaction> history(
      TenantId tenant,
      AccountId account,
      TransactionFilter filter,
      long beforeSequence,
      int limit) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(filter, "filter");
    requireLimit(limit);
    List<TransactionType> types = new ArrayList<>(filter.types());
    StringBuilder sql =
        new StringBuilder(
            transactionReader.select()
                + "WHERE x.tenant = ? AND x.account_id = ? AND x.sequence < ?");
    if (!types.isEmpty()) {
      sql.append(" AND x.type IN (").append(placeholders(types.size())).append(')');
    }
    filter.from().ifPresent(f -> sql.append(" AND x.recorded_at >= ?"));
    filter.until().ifPresent(u -> sql.append(" AND x.recorded_at < ?"));
    sql.append(" ORDER BY x.sequence DESC LIMIT ?");
    return runner.read(
        "reading history",
        c ->
            transactionReader.read(
                c,
                sql.toString(),
                s -> {
                  int i = 1;
                  s.setString(i++, tenant.value());
                  s.setString(i++, account.value());
                  s.setLong(i++, beforeSequence);
                  for (TransactionType type : types) {
                    s.setString(i++, type.name());
                  }
                  if (filter.from().isPresent()) {
                    db.setInstant(s, i++, filter.from().get());
                  }
                  if (filter.until().isPresent()) {
                    db.setInstant(s, i++, filter.until().get());
                  }
                  s.setInt(i, limit);
                }));
  }

  List<LedgerTransaction> corrections(TenantId tenant, TransactionId original) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(original, "original");
    return runner.read(
        "reading corrections",
        c ->
            transactionReader.read(
                c,
                transactionReader.select()
                    + "WHERE x.tenant = ? AND x.corrects = ? ORDER BY x.sequence",
                tenantAnd(tenant, original.value())));
  }

  List<LedgerTransaction> invoiceApplications(TenantId tenant, AccountId account, String invoice) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(invoice, "invoice");
    List<LedgerTransaction> found =
        runner.read(
            "reading an invoice's applications",
            c ->
                transactionReader.read(
                    c,
                    transactionReader.select()
                        + "WHERE x.tenant = ? AND x.account_id = ? AND x.invoice = ?"
                        + " ORDER BY x.sequence",
                    s -> {
                      s.setString(1, tenant.value());
                      s.setString(2, account.value());
                      s.setString(3, invoice);
                    }));
    // The column compares as the database's collation does; the guard counts this very invoice.
    return found.stream()
        .filter(t -> invoice.equals(t.references().get(LedgerTransaction.REF_INVOICE)))
        .toList();
  }

  Optional<Reservation> findReservation(TenantId tenant, ReservationId id) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(id, "reservation");
    return runner.read("reading a reservation", c -> reservation(c, tenant, id));
  }

  Optional<Reservation> reservation(Connection c, TenantId tenant, ReservationId id)
      throws SQLException {
    return query(
            c,
            db.reservationSelect + "WHERE r.tenant = ? AND r.reservation_id = ?",
            tenantAnd(tenant, id.value()),
            db::reservationRow)
        .stream()
        .findFirst();
  }

  List<GrantBalance> expiredGrants(TenantId tenant, Instant at, long afterSequence, int limit) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(at, "at");
    requireLimit(limit);
    return runner.read(
        "reading expired grants",
        c ->
            List.copyOf(
                query(
                    c,
                    db.grantSelect
                        + "WHERE g.tenant = ? AND g.live AND NOT g.voided"
                        + " AND g.expires_at IS NOT NULL AND g.expires_at <= ? AND g.sequence > ?"
                        + " ORDER BY g.sequence LIMIT ?",
                    db.sweep(tenant, at, afterSequence, limit),
                    db::grantRow)));
  }

  List<Reservation> expiredReservations(
      TenantId tenant, Instant at, long afterSequence, int limit) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(at, "at");
    requireLimit(limit);
    return runner.read(
        "reading expired reservations",
        c ->
            List.copyOf(
                query(
                    c,
                    db.reservationSelect
                        + "WHERE r.tenant = ? AND r.state = 'ACTIVE' AND r.expires_at <= ?"
                        + " AND r.sequence > ? ORDER BY r.sequence LIMIT ?",
                    db.sweep(tenant, at, afterSequence, limit),
                    db::reservationRow)));
  }
}
