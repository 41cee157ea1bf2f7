package dev.billingsdk.topup;

import dev.billingsdk.AccountId;
import dev.billingsdk.Identifiers;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.PackageId;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.purchase.PurchaseId;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Optional;

/**
 * An account's auto-top-up rule as stored, with what its guardrails count.
 *
 * @param threshold the available balance below which one top-up is bought
 * @param creditPackage what is bought: the package's latest version when the top-up starts
 * @param cooldown the least time between two top-up attempts (paid or failed)
 * @param monthlyCap the most spent on top-ups per calendar month (of {@code zone})
 * @param maxFailures after this many failed payments in a row the rule disables itself
 * @param failures the failed payments in a row so far
 * @param pending the top-up bought and not settled yet, if any (at most one)
 * @param requested how many top-ups the rule started: the next is purchase {@code
 *     <account>-topup-<requested + 1>}
 * @param lastTopUpAt when the last top-up attempt ended (paid or failed): the cooldown's start
 * @param spentMonth the month {@code spent} counts
 * @param spent spent (or held by the pending top-up) in {@code spentMonth}
 */
public record TopUpRule(
    TenantId tenant,
    AccountId account,
    Amount threshold,
    PackageId creditPackage,
    String provider,
    String customer,
    String paymentMethod,
    Duration cooldown,
    Amount monthlyCap,
    int maxFailures,
    ZoneId zone,
    TopUpState state,
    int failures,
    Optional<PurchaseId> pending,
    long requested,
    Optional<Instant> lastTopUpAt,
    YearMonth spentMonth,
    Amount spent,
    long version) {

  public TopUpRule {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(threshold, "threshold");
    if (threshold.isNegative() || threshold.unit() instanceof CurrencyUnit) {
      throw new InvalidRequestException("threshold", threshold, "must be zero or more credits");
    }
    InvalidRequestException.requireNonNull(creditPackage, "creditPackage");
    Identifiers.check(provider, "provider");
    Identifiers.check(customer, "customer");
    Identifiers.check(paymentMethod, "paymentMethod");
    InputContract.duration(cooldown, "cooldown", false);
    InvalidRequestException.requireNonNull(monthlyCap, "monthlyCap");
    if (!(monthlyCap.unit() instanceof CurrencyUnit) || !monthlyCap.isPositive()) {
      throw new InvalidRequestException(
          "monthlyCap", monthlyCap, "must be a positive amount of money");
    }
    if (maxFailures < 1 || maxFailures > 100) {
      throw new InvalidRequestException("maxFailures", maxFailures, "must be 1 to 100");
    }
    InvalidRequestException.requireNonNull(zone, "zone");
    InvalidRequestException.requireNonNull(state, "state");
    if (failures < 0) {
      throw new InvalidRequestException("failures", failures, "must not be negative");
    }
    InvalidRequestException.requireNonNull(pending, "pending");
    if (requested < 0) {
      throw new InvalidRequestException("requested", requested, "must not be negative");
    }
    if (version < 1) {
      throw new InvalidRequestException("version", version, "must be at least 1");
    }
    InvalidRequestException.requireNonNull(lastTopUpAt, "lastTopUpAt");
    InvalidRequestException.requireNonNull(spentMonth, "spentMonth");
    InvalidRequestException.requireNonNull(spent, "spent");
    monthlyCap.requireSameUnit(spent);
  }

  /** What is spent in {@code month}: {@code spent} if it counts that month, else nothing. */
  public Amount spentIn(YearMonth month) {
    return month.equals(spentMonth) ? spent : Amount.zero(spent.unit());
  }

  /** A copy with the guardrail counters changed and the version one more. */
  public TopUpRule next(
      TopUpState state,
      int failures,
      Optional<PurchaseId> pending,
      long requested,
      Optional<Instant> lastTopUpAt,
      YearMonth spentMonth,
      Amount spent) {
    return new TopUpRule(
        tenant,
        account,
        threshold,
        creditPackage,
        provider,
        customer,
        paymentMethod,
        cooldown,
        monthlyCap,
        maxFailures,
        zone,
        state,
        failures,
        pending,
        requested,
        lastTopUpAt,
        spentMonth,
        spent,
        version + 1);
  }
}
