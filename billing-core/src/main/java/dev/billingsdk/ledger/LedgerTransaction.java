package dev.billingsdk.ledger;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.Unit;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable, double-entry ledger transaction: its postings sum to zero per unit (rule 1). No API
 * updates or deletes one; corrections are new transactions that reference what they correct.
 *
 * @param fingerprint a digest of the request that caused it, so that a repeated idempotency key can
 *     be told apart from a reused one
 * @param references what it relates to (grant, charge kind and item, requested amount...), as text
 * @param effectiveAt the instant the movement belongs to: {@code recordedAt} for everything but an
 *     expiry, which a sweep may record after the grant's expiry instant but which takes effect at
 *     that instant (statements place it there)
 * @param sequence unique within the store and increasing in commit order within one account (it is
 *     drawn before the commit, so across accounts it need not follow commit order)
 */
public record LedgerTransaction(
    TransactionId id,
    TenantId tenant,
    AccountId account,
    TransactionType type,
    IdempotencyKey idempotencyKey,
    String fingerprint,
    Actor actor,
    String reason,
    Instant recordedAt,
    Instant effectiveAt,
    List<Posting> postings,
    Map<String, String> references,
    long sequence) {

  /**
   * The reference a correction (a reversal) carries: the id of the transaction it corrects. Stores
   * index it ({@code BillingStore.corrections}).
   */
  public static final String REF_CORRECTS = "billing.corrects";

  /**
   * The reference an application of credits to an invoice carries: the invoice's id. Stores index
   * it per account ({@code BillingStore.invoiceApplications}), so that an invoice is credited at
   * most once while its application stands.
   */
  public static final String REF_INVOICE = "billing.invoice";

  /** A transaction that takes effect when it is recorded. */
  public LedgerTransaction(
      TransactionId id,
      TenantId tenant,
      AccountId account,
      TransactionType type,
      IdempotencyKey idempotencyKey,
      String fingerprint,
      Actor actor,
      String reason,
      Instant recordedAt,
      List<Posting> postings,
      Map<String, String> references,
      long sequence) {
    this(
        id,
        tenant,
        account,
        type,
        idempotencyKey,
        fingerprint,
        actor,
        reason,
        recordedAt,
        recordedAt,
        postings,
        references,
        sequence);
  }

  public LedgerTransaction {
    InvalidRequestException.requireNonNull(id, "transaction");
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(type, "type");
    InvalidRequestException.requireNonNull(idempotencyKey, "idempotencyKey");
    InvalidRequestException.requireText(fingerprint, "fingerprint");
    InvalidRequestException.requireNonNull(actor, "actor");
    // No length limit here: requests limit reasons, and a transaction is read back as it was
    // written, including one recorded before the limit existed.
    InputContract.nonBlankText(reason, "reason", Integer.MAX_VALUE);
    recordedAt = InputContract.instant(recordedAt, "recordedAt");
    effectiveAt = InputContract.instant(effectiveAt, "effectiveAt");
    if (effectiveAt.isAfter(recordedAt)) {
      throw new InvalidRequestException(
          "effectiveAt", effectiveAt, "must not be after recordedAt " + recordedAt);
    }
    InvalidRequestException.requireNonNull(postings, "postings");
    InvalidRequestException.requireNonNull(references, "references");
    requireBalanced(postings);
    references.forEach(
        (k, v) -> {
          InvalidRequestException.requireNonNull(k, "references");
          if (v == null) {
            // Named only when it fails: building the name costs a charge per reference.
            throw new InvalidRequestException("references." + k, null, "is required");
          }
        });
    postings = List.copyOf(postings);
    references = Map.copyOf(references);
  }

  /** Throws unless the postings sum to zero in every unit they use. */
  public static void requireBalanced(List<Posting> postings) {
    InvalidRequestException.requireNonNull(postings, "postings");
    if (balancedInOneUnit(postings)) {
      return;
    }
    Map<Unit, Amount> sums = new HashMap<>();
    for (int i = 0; i < postings.size(); i++) {
      Posting p = postings.get(i);
      if (p == null) {
        throw new InvalidRequestException("postings[" + i + "]", null, "is required");
      }
      sums.merge(p.amount().unit(), p.amount(), Amount::plus);
    }
    for (Amount sum : sums.values()) {
      if (!sum.isZero()) {
        throw new InvalidRequestException("postings", sum, "must sum to zero per unit (rule 1)");
      }
    }
  }

  /**
   * Whether the postings are all there, all in one unit and sum to zero without overflow: the
   * common case, decided without a map. Anything else (a missing posting, several units, an
   * overflow, a non-zero sum) is left to {@link #requireBalanced}'s general check, which names it.
   */
  private static boolean balancedInOneUnit(List<Posting> postings) {
    int n = postings.size();
    if (n == 0 || !(postings instanceof java.util.RandomAccess)) {
      return n == 0;
    }
    Posting first = postings.get(0);
    if (first == null) {
      return false;
    }
    Unit unit = first.amount().unit();
    long sum = 0;
    for (int i = 0; i < n; i++) {
      Posting p = postings.get(i);
      if (p == null || !p.amount().unit().equals(unit)) {
        return false;
      }
      long next = sum + p.amount().minor();
      if (((sum ^ next) & (p.amount().minor() ^ next)) < 0) {
        return false; // overflow
      }
      sum = next;
    }
    return sum == 0;
  }

  /** The id of the transaction this one corrects, if it is a correction. */
  public Optional<TransactionId> corrects() {
    return Optional.ofNullable(references.get(REF_CORRECTS)).map(TransactionId::of);
  }

  /** The sum of this transaction's postings on {@code account} (zero when it has none). */
  public long minorOn(LedgerAccount account) {
    long sum = 0;
    for (int i = 0, n = postings.size(); i < n; i++) {
      Posting p = postings.get(i);
      if (p.account().equals(account)) {
        sum = Math.addExact(sum, p.amount().minor());
      }
    }
    return sum;
  }
}
