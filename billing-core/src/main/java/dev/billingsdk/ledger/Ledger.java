package dev.billingsdk.ledger;

import dev.billingsdk.AccountId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.TenantId;
import java.util.List;
import java.util.Optional;

/** Reads of the immutable ledger. Obtain from {@code Billing}. */
public interface Ledger {

  /** Every transaction of the account, oldest first. */
  List<LedgerTransaction> transactions(TenantId tenant, AccountId account);

  Optional<LedgerTransaction> find(TenantId tenant, IdempotencyKey key);

  /** The transaction with this id, if the tenant has one. */
  Optional<LedgerTransaction> find(TenantId tenant, TransactionId id);

  /**
   * One page of the account's history, newest first: at most {@code limit} (1..1000) transactions
   * that pass {@code filter}, starting after {@code cursor} (empty for the first page). The store
   * reads only the page, never the whole account.
   *
   * @param cursor the {@link TransactionPage#next()} of the previous page
   */
  TransactionPage history(
      TenantId tenant,
      AccountId account,
      TransactionFilter filter,
      Optional<String> cursor,
      int limit);
}
