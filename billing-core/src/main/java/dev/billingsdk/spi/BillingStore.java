package dev.billingsdk.spi;

import dev.billingsdk.AccountId;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.Reservation;
import dev.billingsdk.credit.ReservationId;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.TransactionFilter;
import dev.billingsdk.ledger.TransactionId;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The storage SPI. Every method is tenant-scoped; implementations must be safe for concurrent use
 * by many threads (and, for shared databases, many processes). See the package description for the
 * write protocol; {@code billing-tck} pins the rules.
 */
public interface BillingStore extends AccountReads {

  /**
   * A number unique within the store, larger than any it returned before in this process: the
   * creation sequence of grants and transactions.
   */
  long nextSequence();

  /**
   * Stores the account unless one with its tenant and id exists, atomically. An account's {@link
   * Account#externalKey() external key} is unique per tenant: if another account of the tenant
   * holds it, nothing is stored.
   *
   * @return the stored account: {@code account} itself, or the one that was there first
   * @throws dev.billingsdk.InvalidRequestException naming {@code externalKey} if another account of
   *     the tenant holds the key
   */
  Account insertAccountIfAbsent(Account account);

  Optional<Account> findAccount(TenantId tenant, AccountId account);

  /**
   * Offers the store the grant order the library decides charges in ({@code Billing} calls this
   * once, when it is built). A store that accepts answers true and from then on lists every
   * snapshot's live grants as a {@link LiveGrants} in exactly this order (compared by identity), so
   * that a charge walks them in order and stops once it is covered. A store may accept one order
   * only and refuse any other; the library orders the grants itself when a snapshot's list is not
   * in its order. Default: refused.
   */
  default boolean orderGrantsBy(java.util.Comparator<dev.billingsdk.credit.Grant> order) {
    return false;
  }

  /**
   * A consistent snapshot of the account, or empty if it does not exist. Two loads with no write
   * between them return equal snapshots: the live grants and active reservations come in a stable
   * order (the SQL store lists them by creation sequence), never in whatever order a query plan
   * happens to produce.
   */
  Optional<AccountSnapshot> loadAccount(TenantId tenant, AccountId account);

  /**
   * The read a write is decided on, in one go: the transaction the tenant already has under {@code
   * key} if there is one (then the account need not be read), otherwise the account's snapshot as
   * {@link #loadAccount} returns it. A database store answers with one round trip; this default
   * makes two calls, for stores that have nothing better.
   */
  default WriteBasis readForWrite(TenantId tenant, AccountId account, IdempotencyKey key) {
    Optional<LedgerTransaction> known = findTransaction(tenant, key);
    if (known.isPresent()) {
      return WriteBasis.known(known.get());
    }
    return WriteBasis.fresh(loadAccount(tenant, account));
  }

  /**
   * {@link #readForWrite} for many writes at once, answered in the order of {@code targets} (a list
   * of charges decides on these). A database store answers with one round trip; this default looks
   * each key up and reads each account once. Each answer is one committed state of its account, the
   * same for every target of that account; answers for different accounts may be from different
   * moments.
   */
  default List<WriteBasis> readForWrites(List<WriteTarget> targets) {
    java.util.Map<List<Object>, Optional<AccountSnapshot>> accounts = new java.util.HashMap<>();
    List<WriteBasis> bases = new java.util.ArrayList<>(targets.size());
    for (WriteTarget t : targets) {
      Optional<LedgerTransaction> known = findTransaction(t.tenant(), t.key());
      if (known.isPresent()) {
        bases.add(WriteBasis.known(known.get()));
      } else {
        bases.add(
            WriteBasis.fresh(
                accounts.computeIfAbsent(
                    List.of(t.tenant(), t.account()), k -> loadAccount(t.tenant(), t.account()))));
      }
    }
    return bases;
  }

  /** Every grant of the account with its balance, including spent and voided ones. */
  List<GrantBalance> grants(TenantId tenant, AccountId account);

  Optional<GrantBalance> findGrant(TenantId tenant, GrantId grant);

  /** The transaction with this idempotency key in the tenant, if any. */
  Optional<LedgerTransaction> findTransaction(TenantId tenant, IdempotencyKey key);

  /** The transaction with this id in the tenant, if any. */
  Optional<LedgerTransaction> findTransaction(TenantId tenant, TransactionId id);

  /** Every transaction of the account, oldest first (by sequence). */
  List<LedgerTransaction> transactions(TenantId tenant, AccountId account);

  /**
   * At most {@code limit} of the account's transactions that pass {@code filter} and whose sequence
   * is below {@code beforeSequence}, newest (highest sequence) first. A database store answers from
   * an index on (tenant, account, sequence); it never reads the whole account to filter it.
   */
  List<LedgerTransaction> history(
      TenantId tenant, AccountId account, TransactionFilter filter, long beforeSequence, int limit);

  /**
   * The transactions that correct {@code original} (their {@link LedgerTransaction#REF_CORRECTS}
   * reference names it), oldest first.
   */
  List<LedgerTransaction> corrections(TenantId tenant, TransactionId original);

  /**
   * The account's transactions whose {@link LedgerTransaction#REF_INVOICE} reference is exactly
   * {@code invoice} (compared as Java compares strings: case, accents and trailing spaces count),
   * oldest first: the applications of credits to that invoice. A database store answers from an
   * index on (tenant, account, invoice); this default reads the account's whole history, for stores
   * that have nothing better.
   */
  default List<LedgerTransaction> invoiceApplications(
      TenantId tenant, AccountId account, String invoice) {
    List<LedgerTransaction> found = new java.util.ArrayList<>();
    for (LedgerTransaction t : transactions(tenant, account)) {
      if (invoice.equals(t.references().get(LedgerTransaction.REF_INVOICE))) {
        found.add(t);
      }
    }
    return found;
  }

  Optional<Reservation> findReservation(TenantId tenant, ReservationId id);

  /**
   * At most {@code limit} grants of the tenant, in sequence order after {@code afterSequence}, that
   * are not voided, still hold credit and expire at or before {@code at}: the expiry sweep's work.
   */
  List<GrantBalance> expiredGrants(TenantId tenant, Instant at, long afterSequence, int limit);

  /**
   * At most {@code limit} ACTIVE reservations of the tenant, in sequence order after {@code
   * afterSequence}, whose time-to-live ends at or before {@code at}.
   */
  List<Reservation> expiredReservations(TenantId tenant, Instant at, long afterSequence, int limit);

  /**
   * Sets the account's low-balance alert (empty removes it) if the account is still at {@code
   * expectedVersion}, moving it to the next version.
   *
   * @return false, writing nothing, if the account moved on (read again and retry)
   * @throws dev.billingsdk.credit.AccountNotFoundException if there is no such account
   */
  boolean updateAlert(
      TenantId tenant, AccountId account, Optional<AlertState> alert, long expectedVersion);

  /**
   * At most {@code limit} outbox events not yet acknowledged, in commit order (across tenants: the
   * outbox is the store's delivery queue, read by one relay).
   */
  List<OutboxEntry> pendingEvents(int limit);

  /** Marks outbox events delivered; unknown or already acknowledged positions are ignored. */
  void acknowledgeEvents(Collection<Long> positions);

  /** Applies one write atomically, or reports why not. */
  CommitResult commit(LedgerWrite write);

  /**
   * Applies many writes with one commit where the store can. Each write succeeds or fails on its
   * own preconditions, as {@link #commit} would in list order; the results are in the same order.
   * Writes that are applied become visible together.
   *
   * <p>One more precondition chains the writes of one account: a write whose expected version is
   * greater than that of an earlier write of the same account in this batch that was not applied
   * (neither committed now nor a duplicate of that very transaction, see {@link
   * WriteRules.BatchChain}) counted on that write, and is a {@link CommitResult.VersionConflict}
   * without being checked further, unless its own key is already stored: that is answered {@link
   * CommitResult.Duplicate} as always, so a re-sent batch replays. Otherwise another writer's
   * commit could bring the account to the version such a write names, and a decision made on
   * balances that never existed would be applied.
   */
  List<CommitResult> commitBatch(List<LedgerWrite> writes);
}
