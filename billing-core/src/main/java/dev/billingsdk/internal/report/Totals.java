package dev.billingsdk.internal.report;

import dev.billingsdk.AccountId;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.Rational;
import dev.billingsdk.money.Unit;
import dev.billingsdk.report.Provenance;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/** The running sum of a report row: exact until {@link #round}, which is the only rounding. */
final class Totals {
  final Unit creditUnit;
  final Unit currency;
  private long credits;
  private Rational exact = Rational.ZERO;
  private final Set<Object> transactions = new HashSet<>();
  private final Set<AccountId> accounts = new HashSet<>();
  private Instant firstAt = Instant.MAX;
  private Instant lastAt = Instant.MIN;
  private long firstSequence = Long.MAX_VALUE;
  private long lastSequence = Long.MIN_VALUE;

  Totals(Unit creditUnit, Unit currency) {
    this.creditUnit = creditUnit;
    this.currency = currency;
  }

  void add(Movement m) {
    credits = Math.addExact(credits, m.credits());
    exact = exact.plus(m.exactMinor());
    transactions.add(m.transaction());
    accounts.add(m.account());
    if (m.effectiveAt().isBefore(firstAt)) {
      firstAt = m.effectiveAt();
    }
    if (m.effectiveAt().isAfter(lastAt)) {
      lastAt = m.effectiveAt();
    }
    firstSequence = Math.min(firstSequence, m.sequence());
    lastSequence = Math.max(lastSequence, m.sequence());
  }

  Amount credits() {
    return Amount.ofMinor(creditUnit, credits);
  }

  Rational exact() {
    return exact;
  }

  int accounts() {
    return accounts.size();
  }

  long transactionCount() {
    return transactions.size();
  }

  Provenance provenance() {
    return new Provenance(transactions.size(), firstAt, lastAt, firstSequence, lastSequence);
  }

  /** {@code value} (minor units of the currency) rounded once with {@code mode}. */
  Amount round(Rational value, RoundingMode mode) {
    return Amount.ofMinor(currency, value.round(mode).longValueExact());
  }

  /** {@code exact × share}, exactly. */
  static Rational times(Rational exact, BigDecimal fraction) {
    return exact.times(fraction);
  }
}
