package dev.billingsdk.jdbc;

import static dev.billingsdk.jdbc.StoreRows.bindAlert;
import static dev.billingsdk.jdbc.StoreRows.chunks;
import static dev.billingsdk.jdbc.StoreRows.placeholders;
import static dev.billingsdk.jdbc.StoreRows.query;
import static dev.billingsdk.jdbc.StoreRows.requireLimit;

import dev.billingsdk.AccountId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.AccountNotFoundException;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.jdbc.internal.JsonCodec;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.spi.AlertState;
import dev.billingsdk.spi.OutboxEntry;
import java.sql.PreparedStatement;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * The writes of {@link JdbcBillingStore} outside the ledger commit: sequence numbers, opening an
 * account, an account's low-balance alert, and the outbox's reads and acknowledgements.
 */
final class AccountWrites {
  private final JdbcRunner runner;
  private final StoreRows db;
  private final Dialect dialect;
  private final LedgerReads reads;
  private final SequenceBlocks sequences;

  AccountWrites(
      JdbcRunner runner,
      StoreRows db,
      Dialect dialect,
      LedgerReads reads,
      SequenceBlocks sequences) {
    this.runner = runner;
    this.db = db;
    this.dialect = dialect;
    this.reads = reads;
    this.sequences = sequences;
  }

  long nextSequence() {
    return sequences.next();
  }

  Account insertAccountIfAbsent(Account account) {
    InvalidRequestException.requireNonNull(account, "account");
    Optional<Account> existing = reads.findAccount(account.tenant(), account.id());
    if (existing.isPresent()) {
      return existing.get();
    }
    runner.insertUnlessRaced(
        "opening an account",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO "
                      + db.t("accounts")
                      + " (tenant, account_id, unit_code, unit_scale, unit_currency,"
                      + " overdraft_policy, overdraft_limit, metadata, opened_by,"
                      + " opened_by_roles, opened_at, version, overdraft, external_key, holder)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, "
                      + dialect.jsonParameter()
                      + ", ?, ?, ?, 0, 0, ?, ?)")) {
            s.setString(1, account.tenant().value());
            s.setString(2, account.id().value());
            s.setString(3, account.unit().code());
            s.setInt(4, account.unit().scale());
            s.setBoolean(5, account.unit() instanceof CurrencyUnit);
            OverdraftPolicy policy = account.overdraftPolicy();
            if (policy instanceof OverdraftPolicy.Limit limit) {
              s.setString(6, "LIMIT");
              s.setLong(7, limit.limit().minor());
            } else {
              s.setString(6, policy instanceof OverdraftPolicy.Partial ? "PARTIAL" : "REJECT");
              s.setNull(7, java.sql.Types.BIGINT);
            }
            s.setString(8, JsonCodec.metadata(account.metadata()));
            s.setString(9, account.openedBy().id());
            s.setString(10, StoredActors.roles(account.openedBy()));
            db.setInstant(s, 11, account.openedAt());
            s.setString(12, account.externalKey().orElse(null));
            s.setString(13, account.holder().orElse(null));
            return s.executeUpdate();
          }
        });
    // A unique-key race lost on the id shows the winner; one lost on the external key, nothing.
    return reads
        .findAccount(account.tenant(), account.id())
        .orElseThrow(
            () ->
                account.externalKey().isPresent()
                    ? new InvalidRequestException(
                        "externalKey",
                        account.externalKey().get(),
                        "is held by another account of the tenant")
                    : new IllegalStateException("account vanished after insert"));
  }

  boolean updateAlert(
      TenantId tenant, AccountId account, Optional<AlertState> alert, long expectedVersion) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(alert, "alert");
    int updated =
        runner.read(
            "updating an alert",
            c -> {
              try (PreparedStatement s =
                  c.prepareStatement(
                      "UPDATE "
                          + db.t("accounts")
                          + " SET alert_threshold = ?, alert_rearm_at = ?, alert_below = ?,"
                          + " version = version + 1"
                          + " WHERE tenant = ? AND account_id = ? AND version = ?")) {
                bindAlert(s, 1, alert);
                s.setString(4, tenant.value());
                s.setString(5, account.value());
                s.setLong(6, expectedVersion);
                return s.executeUpdate();
              }
            });
    if (updated == 1) {
      return true;
    }
    if (reads.findAccount(tenant, account).isEmpty()) {
      throw new AccountNotFoundException(tenant, account);
    }
    return false;
  }

  List<OutboxEntry> pendingEvents(int limit) {
    requireLimit(limit);
    return runner.read(
        "reading the outbox",
        c ->
            query(
                c,
                "SELECT position, payload FROM " + db.t("outbox") + " ORDER BY position LIMIT ?",
                s -> s.setInt(1, limit),
                rs -> new OutboxEntry(rs.getLong("position"), JsonCodec.event(rs.getString(2)))));
  }

  void acknowledgeEvents(Collection<Long> positions) {
    InvalidRequestException.requireNonNull(positions, "positions");
    List<Long> all = List.copyOf(new HashSet<>(positions));
    if (all.isEmpty()) {
      return;
    }
    runner.read(
        "acknowledging events",
        c -> {
          int deleted = 0;
          for (List<Long> chunk : chunks(all)) {
            try (PreparedStatement s =
                c.prepareStatement(
                    "DELETE FROM "
                        + db.t("outbox")
                        + " WHERE position IN ("
                        + placeholders(chunk.size())
                        + ")")) {
              for (int i = 0; i < chunk.size(); i++) {
                s.setLong(i + 1, chunk.get(i));
              }
              deleted += s.executeUpdate();
            }
          }
          return deleted;
        });
  }
}
