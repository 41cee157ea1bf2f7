package dev.billingsdk.subscription;

import dev.billingsdk.AccountId;
import dev.billingsdk.Identifiers;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CurrencyUnit;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A subscription as stored. Its periods follow the plan's cadence from {@code anchor}, in {@code
 * zone}: period {@code n} starts at {@code anchor + n × cadence}, each computed from the anchor
 * (not from the period before), so a subscription anchored on January 31 renews on February 28 (29
 * in a leap year), then March 31. Changed only through the store, on the {@code version} a change
 * was decided on.
 *
 * @param plan the plan version paid for now
 * @param nextPlan a downgrade that takes effect at the next period
 * @param price what {@code plan} costs per period, in {@code currency}
 * @param anchor the start of period 0: the first payment, or the end of the trial
 * @param paidPeriods how many periods are paid: periods {@code 0} to {@code paidPeriods - 1}; the
 *     next to pay starts at {@link #periodStart periodStart(paidPeriods)}
 * @param trialEnd when the trial ends (the anchor), for a subscription started with a trial
 * @param cancelAtPeriodEnd whether it ends when the paid periods end, instead of renewing
 * @param endedAt when it was canceled or expired
 * @param customer the provider's customer whose saved method pays the renewals
 * @param paymentMethod the saved method that pays the renewals
 * @param failedAttempts the failed attempts at paying the next period (dunning)
 * @param nextAttemptAt when the next attempt is due, while past due
 */
public record Subscription(
    TenantId tenant,
    SubscriptionId id,
    AccountId account,
    PlanRef plan,
    Optional<PlanRef> nextPlan,
    Period cadence,
    Amount price,
    String provider,
    SubscriptionState state,
    ZoneId zone,
    Instant createdAt,
    Instant anchor,
    int paidPeriods,
    Optional<Instant> trialEnd,
    boolean cancelAtPeriodEnd,
    Optional<Instant> endedAt,
    Optional<String> customer,
    Optional<String> paymentMethod,
    int failedAttempts,
    Optional<Instant> nextAttemptAt,
    long version) {

  public Subscription {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(id, "id");
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(plan, "plan");
    InvalidRequestException.requireNonNull(nextPlan, "nextPlan");
    InvalidRequestException.requireNonNull(cadence, "cadence");
    InvalidRequestException.requireNonNull(price, "price");
    if (!(price.unit() instanceof CurrencyUnit) || !price.isPositive()) {
      throw new InvalidRequestException("price", price, "must be a positive amount of money");
    }
    Identifiers.check(provider, "provider");
    InvalidRequestException.requireNonNull(state, "state");
    InvalidRequestException.requireNonNull(zone, "zone");
    createdAt = InputContract.instant(createdAt, "createdAt");
    anchor = InputContract.instant(anchor, "anchor");
    if (paidPeriods < 0) {
      throw new InvalidRequestException("paidPeriods", paidPeriods, "must not be negative");
    }
    InvalidRequestException.requireNonNull(trialEnd, "trialEnd");
    trialEnd = trialEnd.map(at -> InputContract.instant(at, "trialEnd"));
    InvalidRequestException.requireNonNull(endedAt, "endedAt");
    endedAt = endedAt.map(at -> InputContract.instant(at, "endedAt"));
    InvalidRequestException.requireNonNull(customer, "customer");
    customer.ifPresent(c -> Identifiers.check(c, "customer"));
    InvalidRequestException.requireNonNull(paymentMethod, "paymentMethod");
    paymentMethod.ifPresent(m -> Identifiers.check(m, "paymentMethod"));
    if (failedAttempts < 0) {
      throw new InvalidRequestException("failedAttempts", failedAttempts, "must not be negative");
    }
    InvalidRequestException.requireNonNull(nextAttemptAt, "nextAttemptAt");
    nextAttemptAt = nextAttemptAt.map(at -> InputContract.instant(at, "nextAttemptAt"));
    if (version < 0) {
      throw new InvalidRequestException("version", version, "must not be negative");
    }
  }

  public CurrencyUnit currency() {
    return (CurrencyUnit) price.unit();
  }

  /** The first instant of period {@code n}, from the anchor in the subscription's zone. */
  public Instant periodStart(int n) {
    if (n < 0) {
      throw new InvalidRequestException("period", n, "must not be negative");
    }
    ZonedDateTime a = anchor.atZone(zone);
    long months = cadence.toTotalMonths();
    ZonedDateTime start =
        months > 0 ? a.plusMonths(months * n) : a.plusDays((long) cadence.getDays() * n);
    return start.toInstant();
  }

  /** When the paid periods end: the start of the next period to pay. */
  public Instant paidUntil() {
    return periodStart(paidPeriods);
  }

  /** How long period {@code n} is. */
  public Duration periodLength(int n) {
    return Duration.between(periodStart(n), periodStart(n + 1));
  }

  /**
   * When the renewal job next has something to do: the trial's end, the paid periods' end, the next
   * retry, or (for a subscription waiting for its checkout) its creation; empty once final.
   */
  public Optional<Instant> nextActionAt() {
    return switch (state) {
      case INCOMPLETE -> Optional.of(createdAt);
      case TRIALING -> trialEnd;
      case ACTIVE -> Optional.of(paidUntil());
      case PAST_DUE -> nextAttemptAt;
      case CANCELED, EXPIRED -> Optional.empty();
    };
  }

  /** A copy with these fields changed and the version one more. */
  public Subscription next(
      SubscriptionState state,
      PlanRef plan,
      Optional<PlanRef> nextPlan,
      Amount price,
      Instant anchor,
      int paidPeriods,
      boolean cancelAtPeriodEnd,
      Optional<Instant> endedAt,
      Optional<String> customer,
      Optional<String> paymentMethod,
      int failedAttempts,
      Optional<Instant> nextAttemptAt) {
    return new Subscription(
        tenant,
        id,
        account,
        plan,
        nextPlan,
        cadence,
        price,
        provider,
        state,
        zone,
        createdAt,
        anchor,
        paidPeriods,
        trialEnd,
        cancelAtPeriodEnd,
        endedAt,
        customer,
        paymentMethod,
        failedAttempts,
        nextAttemptAt,
        version + 1);
  }
}
