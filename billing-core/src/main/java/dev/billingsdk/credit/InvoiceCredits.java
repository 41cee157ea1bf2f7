package dev.billingsdk.credit;

/**
 * Credits applied to an invoice: to the whole invoice (a grant scoped to everything), to named line
 * items ({@link Scope#items}) or to all lines of a kind ({@link Scope#allUsageMeters()}, {@link
 * Scope#allFixedFees()}...). Obtain from {@code Billing.invoiceCredits()}.
 *
 * <p>The account's grants pay in the grant order (rule 2: priority ascending, then soonest expiry,
 * then lower cost basis, then oldest effective time, then creation); each grant pays the lines its
 * scope covers, in line order, until it is spent or those lines are paid. Only grants available now
 * pay: effective, not expired, not voided (rule 3). Credits never make the account owe: what the
 * grants cannot pay stays due on the invoice, whatever the account's overdraft policy.
 *
 * <p>An invoice is credited at most once per account while its application stands, whatever
 * idempotency key a request carries: a second application under another key is an {@link
 * InvoiceAlreadyCreditedException} naming the standing one, until that one is reversed in full.
 */
public interface InvoiceCredits {

  /**
   * Applies the credits and records them as one CHARGE ledger transaction (reversible with {@link
   * Credits#reverse}); when no grant can pay anything, writes nothing and returns a result with an
   * empty transaction, everything due. A repeated key with the same request returns the original
   * result ({@code replayed}); with a different request it is an {@link
   * dev.billingsdk.ledger.IdempotencyConflictException}.
   *
   * @throws dev.billingsdk.money.UnitMismatchException if the lines are not in the account's unit
   * @throws InvoiceAlreadyCreditedException if an application to the same invoice under another key
   *     still stands (not reversed in full)
   */
  InvoiceCreditResult apply(InvoiceCreditRequest request);

  /**
   * What {@link #apply} would answer now, without writing anything: the replayed result if the key
   * was already used for this request (a conflict if for another), otherwise the credits that would
   * be applied now, or the {@link InvoiceAlreadyCreditedException} apply would throw. Like other
   * reads, a preview is not subject to the access policy.
   */
  InvoiceCreditResult preview(InvoiceCreditRequest request);
}
