package dev.billingsdk.spi;

import dev.billingsdk.AccountId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantId;
import dev.billingsdk.ledger.LedgerTransaction;
import java.util.List;
import java.util.Optional;

/**
 * The storage SPI. Every method is tenant-scoped; implementations must be safe for concurrent use
 * by many threads (and, for shared databases, many processes). See the package description for the
 * write protocol; {@code billing-tck} pins the rules.
 */
public interface BillingStore {

  /**
   * A number unique within the store, larger than any it returned before in this process: the
   * creation sequence of grants and transactions.
   */
  long nextSequence();

  /**
   * Stores the account unless one with its tenant and id exists, atomically.
   *
   * @return the stored account: {@code account} itself, or the one that was there first
   */
  Account insertAccountIfAbsent(Account account);

  Optional<Account> findAccount(TenantId tenant, AccountId account);

  /** A consistent snapshot of the account, or empty if it does not exist. */
  Optional<AccountSnapshot> loadAccount(TenantId tenant, AccountId account);

  /** Every grant of the account with its balance, including spent and voided ones. */
  List<GrantBalance> grants(TenantId tenant, AccountId account);

  Optional<GrantBalance> findGrant(TenantId tenant, GrantId grant);

  /** The transaction with this idempotency key in the tenant, if any. */
  Optional<LedgerTransaction> findTransaction(TenantId tenant, IdempotencyKey key);

  /** Every transaction of the account, oldest first (by sequence). */
  List<LedgerTransaction> transactions(TenantId tenant, AccountId account);

  /** Applies one write atomically, or reports why not. */
  CommitResult commit(LedgerWrite write);

  /**
   * Applies many writes with one commit where the store can. Each write succeeds or fails on its
   * own preconditions, as {@link #commit} would in list order; the results are in the same order.
   * Writes that are applied become visible together.
   */
  List<CommitResult> commitBatch(List<LedgerWrite> writes);
}
