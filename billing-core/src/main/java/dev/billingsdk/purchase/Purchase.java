package dev.billingsdk.purchase;

import dev.billingsdk.AccountId;
import dev.billingsdk.Identifiers;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CurrencyUnit;
import java.time.Instant;
import java.util.Optional;

/**
 * A purchase as stored: what was bought, for how much, through which provider, and where it stands.
 * Changed only by {@link PurchaseTransition}s; {@code version} counts them, so a store can refuse a
 * transition decided on an older state.
 *
 * @param amount the price, in an ISO 4217 currency
 * @param checkoutRef the provider's reference of the hosted checkout, once there is one
 * @param paymentRef the provider's payment id, once paid
 * @param refunded how much of the amount went back to the buyer
 * @param needsReview set when the provider's payment did not match the purchase (nothing was
 *     granted); finance decides
 */
public record Purchase(
    TenantId tenant,
    PurchaseId id,
    AccountId account,
    PurchasedItem item,
    Amount amount,
    String provider,
    PurchaseState state,
    Optional<String> checkoutRef,
    Optional<String> paymentRef,
    Amount refunded,
    boolean needsReview,
    Instant createdAt,
    Instant updatedAt,
    long version) {

  public Purchase {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(id, "purchase");
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(item, "item");
    InvalidRequestException.requireNonNull(amount, "amount");
    if (!(amount.unit() instanceof CurrencyUnit) || !amount.isPositive()) {
      throw new InvalidRequestException(
          "amount", amount, "must be a positive amount of an ISO 4217 currency");
    }
    Identifiers.check(provider, "provider");
    InvalidRequestException.requireNonNull(state, "state");
    InvalidRequestException.requireNonNull(checkoutRef, "checkoutRef");
    InvalidRequestException.requireNonNull(paymentRef, "paymentRef");
    checkoutRef.ifPresent(r -> Identifiers.check(r, "checkoutRef"));
    paymentRef.ifPresent(r -> Identifiers.check(r, "paymentRef"));
    InvalidRequestException.requireNonNull(refunded, "refunded");
    if (!refunded.unit().equals(amount.unit())
        || refunded.isNegative()
        || refunded.compareTo(amount) > 0) {
      throw new InvalidRequestException(
          "refunded", refunded, "must be between zero and the amount " + amount);
    }
    createdAt = InputContract.instant(createdAt, "createdAt");
    updatedAt = InputContract.instant(updatedAt, "updatedAt");
    if (version < 0) {
      throw new InvalidRequestException("version", version, "must not be negative");
    }
  }

  public CurrencyUnit currency() {
    return (CurrencyUnit) amount.unit();
  }

  /**
   * This purchase after {@code t}, which must be a step of this purchase (its tenant and id) that
   * starts from this state and version: its sequence is {@code version + 1}.
   */
  public Purchase after(PurchaseTransition t) {
    InvalidRequestException.requireNonNull(t, "transition");
    if (!t.tenant().equals(tenant)
        || !t.purchase().equals(id)
        || t.from() != state
        || t.sequence() != version + 1) {
      throw new InvalidRequestException(
          "transition",
          t,
          "must be step "
              + (version + 1)
              + " of purchase "
              + id
              + " in tenant "
              + tenant
              + ", starting from "
              + state);
    }
    return new Purchase(
        tenant,
        id,
        account,
        item,
        amount,
        provider,
        t.to(),
        t.checkoutRef().or(() -> checkoutRef),
        t.paymentRef().or(() -> paymentRef),
        refunded.plus(t.refunded()),
        needsReview || t.review(),
        createdAt,
        t.at(),
        version + 1);
  }
}
