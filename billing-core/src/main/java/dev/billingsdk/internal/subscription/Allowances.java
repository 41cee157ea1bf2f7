package dev.billingsdk.internal.subscription;

import dev.billingsdk.Actor;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.catalogue.Catalogue;
import dev.billingsdk.catalogue.CatalogueItem;
import dev.billingsdk.catalogue.CatalogueItemNotFoundException;
import dev.billingsdk.catalogue.SubscriptionPlan;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.internal.credit.CreditService;
import dev.billingsdk.ledger.IdempotencyConflictException;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.AmountOverflowException;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.subscription.PlanRef;
import dev.billingsdk.subscription.Subscription;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A subscription's credit allowances: each period's as one {@code SUBSCRIPTION_ALLOWANCE} grant
 * under the key {@code billing:sub:<subscription>:p<period>} (exactly once per subscription and
 * period), effective from the period's start and expiring at its end; an upgrade's prorated
 * difference under {@code billing:sub:<subscription>:p<period>:up<version>}.
 */
final class Allowances {
  private final Catalogue catalogue;
  private final CreditService credits;
  private final BillingStore ledger;

  Allowances(Catalogue catalogue, CreditService credits, BillingStore ledger) {
    this.catalogue = catalogue;
    this.credits = credits;
    this.ledger = ledger;
  }

  SubscriptionPlan plan(Subscription s, PlanRef ref) {
    return catalogue
        .plan(s.tenant(), ref.plan(), ref.version())
        .orElseThrow(
            () ->
                new CatalogueItemNotFoundException(
                    s.tenant(), CatalogueItem.Kind.SUBSCRIPTION_PLAN, ref.plan().value()));
  }

  static IdempotencyKey periodKey(Subscription s, int period) {
    return IdempotencyKey.of("billing:sub:" + s.id().value() + ":p" + period);
  }

  /**
   * Grants period {@code period}'s allowance of {@code ref} (once); empty when the plan grants none
   * or the period is over by {@code now} (its credits could no longer be spent).
   */
  Optional<GrantId> grantPeriod(Subscription s, PlanRef ref, int period, Actor actor, Instant now) {
    SubscriptionPlan plan = plan(s, ref);
    Instant start = s.periodStart(period);
    Instant end = s.periodStart(period + 1);
    if (plan.allowance().isZero() || !end.isAfter(now)) {
      return Optional.empty();
    }
    return grant(
        s,
        plan,
        plan.allowance(),
        start,
        end,
        periodKey(s, period),
        plan.name() + " allowance, period " + period,
        Map.of("subscription.period", Integer.toString(period)),
        actor);
  }

  /** Grants an upgrade's prorated allowance difference for the rest of the period (once). */
  Optional<GrantId> grantUpgrade(
      Subscription s, SubscriptionPlan to, Amount credits, Instant now, Actor actor) {
    if (!credits.isPositive()) {
      return Optional.empty();
    }
    int period = s.paidPeriods() - 1;
    return grant(
        s,
        to,
        credits,
        now,
        s.paidUntil(),
        IdempotencyKey.of("billing:sub:" + s.id().value() + ":p" + period + ":up" + s.version()),
        to.name() + " upgrade, rest of period " + period,
        Map.of("subscription.period", Integer.toString(period), "subscription.upgrade", "true"),
        actor);
  }

  private Optional<GrantId> grant(
      Subscription s,
      SubscriptionPlan plan,
      Amount amount,
      Instant from,
      Instant until,
      IdempotencyKey key,
      String name,
      Map<String, String> extra,
      Actor actor) {
    Map<String, String> metadata = new java.util.TreeMap<>(extra);
    metadata.put("subscription", s.id().value());
    metadata.put("subscription.plan", plan.id().value());
    metadata.put("subscription.planVersion", Integer.toString(plan.revision().version()));
    GrantRequest request =
        GrantRequest.builder(s.tenant(), s.account(), amount)
            .category(GrantCategory.SUBSCRIPTION_ALLOWANCE)
            .priority(plan.allowanceTemplate().priority())
            .scope(plan.allowanceTemplate().scope())
            .name(name.length() > 200 ? name.substring(0, 200) : name)
            .effectiveFrom(from)
            .expiresAt(until)
            .metadata(metadata)
            .idempotencyKey(key)
            .actor(actor)
            .reason("subscription allowance")
            .build();
    try {
      return Optional.of(credits.grantAuthorised(request).grant().id());
    } catch (IdempotencyConflictException e) {
      // Granted first by another instance, under another actor.
      return ledger.findTransaction(s.tenant(), key).map(t -> CreditService.grantsMadeBy(t).get(0));
    }
  }

  /**
   * {@code amount × remaining / length}, exactly, then rounded once with {@code rounding} to the
   * amount's minor unit.
   *
   * @param field the name of the prorated amount, which an overflow names
   * @throws AmountOverflowException naming {@code field} and the exact result if it is beyond a
   *     long (only when {@code remaining} is longer than {@code length}: a clock that reads before
   *     the period's start)
   */
  static Amount prorate(
      Amount amount, Duration remaining, Duration length, RoundingMode rounding, String field) {
    BigInteger numerator = BigInteger.valueOf(amount.minor()).multiply(nanos(remaining));
    BigDecimal exact = new BigDecimal(numerator).divide(new BigDecimal(nanos(length)), 0, rounding);
    if (exact.toBigInteger().bitLength() >= Long.SIZE) {
      throw new AmountOverflowException(
          field
              + ": "
              + amount
              + " x "
              + remaining
              + " / "
              + length
              + " is "
              + exact.toPlainString()
              + " minor units of "
              + amount.unit().code()
              + ", more than a long holds");
    }
    return Amount.ofMinor(amount.unit(), exact.longValue());
  }

  /** The nanoseconds of {@code d}, exactly: {@code Duration.toNanos} overflows past 292 years. */
  private static BigInteger nanos(Duration d) {
    return BigInteger.valueOf(d.getSeconds())
        .multiply(BigInteger.valueOf(1_000_000_000L))
        .add(BigInteger.valueOf(d.getNano()));
  }
}
