package dev.billingsdk.internal.report;

import dev.billingsdk.GrantId;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.internal.credit.DebitLineage;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.money.AmountOverflowException;
import dev.billingsdk.money.Price;
import dev.billingsdk.money.Rational;
import dev.billingsdk.money.Unit;
import dev.billingsdk.report.RevenueQuery;
import dev.billingsdk.spi.RevenueStore;
import dev.billingsdk.spi.StoreRejectedException;
import java.math.BigInteger;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads a tenant's consumption month by month, a page at a time, and turns each transaction into
 * its {@link Movement}s: the credit its lineage took from (or gave back to) grants with a paid cost
 * basis, valued exactly. Grant terms are read once per page for the grants not seen yet.
 */
final class Scanner {
  static final int PAGE = 500;

  private final RevenueStore store;

  Scanner(RevenueStore store) {
    this.store = store;
  }

  void scan(TenantId tenant, List<YearMonth> months, ZoneId zone, Consumer<Movement> sink) {
    Map<GrantId, Grant> grants = new HashMap<>();
    for (YearMonth month : months) {
      Instant from = RevenueQuery.start(month, zone);
      Instant until = RevenueQuery.start(month.plusMonths(1), zone);
      Optional<RevenueStore.Position> after = Optional.empty();
      while (true) {
        List<RevenueStore.Consumption> page = store.consumption(tenant, from, until, after, PAGE);
        if (page.isEmpty()) {
          break;
        }
        Set<GrantId> missing = new HashSet<>();
        for (RevenueStore.Consumption c : page) {
          for (DebitLineage.Source s : DebitLineage.of(c.transaction())) {
            s.grant().filter(g -> !grants.containsKey(g)).ifPresent(missing::add);
          }
        }
        if (!missing.isEmpty()) {
          for (Grant g : store.grants(tenant, missing)) {
            grants.put(g.id(), g);
          }
        }
        for (RevenueStore.Consumption c : page) {
          movements(month, c, grants).forEach(sink);
        }
        after = Optional.of(RevenueStore.Position.of(page.get(page.size() - 1).transaction()));
        if (page.size() < PAGE) {
          break;
        }
      }
    }
  }

  private static final class PerCurrency {
    long credits;
    Rational value = Rational.ZERO;
  }

  /**
   * {@code sum + sign × minor}.
   *
   * @throws AmountOverflowException naming the transaction's {@code credits} if beyond a long
   */
  private static long signedCredits(LedgerTransaction t, int sign, long minor, long sum) {
    try {
      return Math.addExact(sum, Math.multiplyExact((long) sign, minor));
    } catch (ArithmeticException e) {
      AmountOverflowException typed =
          new AmountOverflowException(
              "credits of transaction "
                  + t.id().value()
                  + ": "
                  + BigInteger.valueOf(sum)
                      .add(BigInteger.valueOf(sign).multiply(BigInteger.valueOf(minor)))
                  + " minor units is more than a long holds");
      typed.initCause(e);
      throw typed;
    }
  }

  /** The movements of one transaction, one per currency of the paid grants it touched. */
  static List<Movement> movements(
      YearMonth month, RevenueStore.Consumption c, Map<GrantId, Grant> grants) {
    LedgerTransaction t = c.transaction();
    boolean reversal = t.type() == TransactionType.REVERSAL;
    int sign = reversal ? -1 : 1;
    Map<String, String> itemRefs =
        reversal
            ? c.corrects().map(RevenueStore.CorrectedDebit::references).orElse(Map.of())
            : t.references();
    String item = itemRefs.getOrDefault(DebitLineage.itemReference(), "");
    Instant attributedAt =
        reversal
            ? c.corrects().map(RevenueStore.CorrectedDebit::effectiveAt).orElse(t.effectiveAt())
            : t.effectiveAt();
    Map<Unit, PerCurrency> sums = new LinkedHashMap<>();
    Unit creditUnit = null;
    for (DebitLineage.Source s : DebitLineage.of(t)) {
      if (s.grant().isEmpty()) {
        continue; // the overdraft: credit nobody paid for (yet)
      }
      Grant g = grants.get(s.grant().get());
      if (g == null) {
        throw new StoreRejectedException(
            "transaction "
                + t.id().value()
                + " names grant "
                + s.grant().get().value()
                + ", which the revenue store does not return");
      }
      if (g.costBasis().isFree()) {
        continue;
      }
      Price basis = g.costBasis().price().get();
      creditUnit = g.amount().unit();
      Unit currency = basis.cost().unit();
      // A lineage source is at most one debit's credit, so neither step can overflow for the
      // library's own ledger; a store that returns otherwise gets a typed refusal, never a raw one.
      long signed = signedCredits(t, sign, s.minor(), 0);
      // credits (minor) × cost (minor) / per (minor): exact, in minor units of the currency.
      Rational value =
          Rational.of(
              BigInteger.valueOf(signed).multiply(BigInteger.valueOf(basis.cost().minor())),
              BigInteger.valueOf(basis.per().minor()));
      PerCurrency sum = sums.computeIfAbsent(currency, u -> new PerCurrency());
      sum.credits = signedCredits(t, 1, signed, sum.credits);
      sum.value = sum.value.plus(value);
    }
    if (creditUnit == null) {
      return List.of();
    }
    Unit cu = creditUnit;
    return sums.entrySet().stream()
        .map(
            e ->
                new Movement(
                    month,
                    t.id(),
                    t.account(),
                    item,
                    t.effectiveAt(),
                    attributedAt,
                    t.sequence(),
                    cu,
                    e.getValue().credits,
                    e.getKey(),
                    e.getValue().value))
        .toList();
  }
}
