package dev.billingsdk.internal.ledger;

import dev.billingsdk.AccountId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.AccountNotFoundException;
import dev.billingsdk.ledger.Ledger;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.TransactionFilter;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.ledger.TransactionPage;
import dev.billingsdk.spi.BillingStore;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The reads of the immutable ledger ({@link Ledger}): an account's transactions, one transaction by
 * id or by idempotency key, and the account's history in pages, newest first, behind an opaque
 * cursor. Nothing here writes.
 */
public final class LedgerReads implements Ledger {
  private static final String CURSOR_PREFIX = "h1.";
  private static final int MAX_PAGE = 1000;

  private final BillingStore store;

  public LedgerReads(BillingStore store) {
    this.store = store;
  }

  @Override
  public List<LedgerTransaction> transactions(TenantId tenant, AccountId account) {
    requireAccount(tenant, account);
    return store.transactions(tenant, account);
  }

  @Override
  public Optional<LedgerTransaction> find(TenantId tenant, TransactionId id) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    return store.findTransaction(tenant, id);
  }

  @Override
  public Optional<LedgerTransaction> find(TenantId tenant, IdempotencyKey key) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    return store.findTransaction(tenant, key);
  }

  @Override
  public TransactionPage history(
      TenantId tenant,
      AccountId account,
      TransactionFilter filter,
      Optional<String> cursor,
      int limit) {
    InvalidRequestException.requireNonNull(filter, "filter");
    InvalidRequestException.requireNonNull(cursor, "cursor");
    if (limit < 1 || limit > MAX_PAGE) {
      throw new InvalidRequestException("limit", limit, "must be between 1 and " + MAX_PAGE);
    }
    long before = cursor.map(LedgerReads::decodeCursor).orElse(Long.MAX_VALUE);
    requireAccount(tenant, account);
    List<LedgerTransaction> found = store.history(tenant, account, filter, before, limit + 1);
    if (found.size() <= limit) {
      return new TransactionPage(found, Optional.empty());
    }
    List<LedgerTransaction> page = found.subList(0, limit);
    return new TransactionPage(page, Optional.of(encodeCursor(page.get(limit - 1).sequence())));
  }

  private static String encodeCursor(long sequence) {
    return CURSOR_PREFIX
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(Long.toString(sequence).getBytes(StandardCharsets.US_ASCII));
  }

  private static long decodeCursor(String cursor) {
    try {
      if (!cursor.startsWith(CURSOR_PREFIX)) {
        throw new IllegalArgumentException("prefix");
      }
      String digits =
          new String(
              Base64.getUrlDecoder().decode(cursor.substring(CURSOR_PREFIX.length())),
              StandardCharsets.US_ASCII);
      long sequence = Long.parseLong(digits);
      if (sequence < 0) {
        throw new IllegalArgumentException("negative");
      }
      return sequence;
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("cursor", cursor, "is not a cursor this library returned");
    }
  }

  /** Checks the account exists, as the credit services' writer does, without reading its grants. */
  private void requireAccount(TenantId tenant, AccountId account) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    if (store.findAccount(tenant, account).isEmpty()) {
      throw new AccountNotFoundException(tenant, account);
    }
  }
}
