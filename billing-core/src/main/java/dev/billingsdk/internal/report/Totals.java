package dev.billingsdk.internal.report;

import dev.billingsdk.AccountId;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.AmountOverflowException;
import dev.billingsdk.money.Rational;
import dev.billingsdk.money.Unit;
import dev.billingsdk.report.Provenance;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * The running sum of a report row: exact until {@link #round}, which is the only rounding. The
 * credits are summed unbounded: only the row's total must fit a long, not every partial sum (a
 * reversal later in the month can bring a sum past a long back within one).
 */
final class Totals {
  final Unit creditUnit;
  final Unit currency;
  private final String row;
  private BigInteger credits = BigInteger.ZERO;
  private Rational exact = Rational.ZERO;
  private final Set<Object> transactions = new HashSet<>();
  private final Set<AccountId> accounts = new HashSet<>();
  private Instant firstAt = Instant.MAX;
  private Instant lastAt = Instant.MIN;
  private long firstSequence = Long.MAX_VALUE;
  private long lastSequence = Long.MIN_VALUE;

  /**
   * @param row how the row is named in an overflow's message (the report and the row's key)
   */
  Totals(Unit creditUnit, Unit currency, String row) {
    this.creditUnit = creditUnit;
    this.currency = currency;
    this.row = row;
  }

  void add(Movement m) {
    credits = credits.add(BigInteger.valueOf(m.credits()));
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

  /**
   * @throws AmountOverflowException naming {@code credits} if the row's total is beyond a long
   */
  Amount credits() {
    return Amount.ofMinor(creditUnit, fitting("credits", credits, creditUnit));
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

  /**
   * {@code value} (minor units of the currency) rounded once with {@code mode}.
   *
   * @param field the row's field the value is, named by an overflow
   * @throws AmountOverflowException naming {@code field} if the rounded value is beyond a long
   */
  Amount round(Rational value, RoundingMode mode, String field) {
    return Amount.ofMinor(currency, fitting(field, value.round(mode), currency));
  }

  private long fitting(String field, BigInteger value, Unit unit) {
    return fitting(field, value, unit, row);
  }

  /**
   * {@code value} as a long.
   *
   * @throws AmountOverflowException naming {@code field}, its value and {@code where} if it is
   *     beyond a long; never wrapped around
   */
  static long fitting(String field, BigInteger value, Unit unit, String where) {
    if (value.bitLength() >= Long.SIZE) {
      throw new AmountOverflowException(
          field
              + " of "
              + where
              + ": "
              + value
              + " minor units of "
              + unit.code()
              + " is more than a long holds");
    }
    return value.longValue();
  }

  /** {@code exact × share}, exactly. */
  static Rational times(Rational exact, BigDecimal fraction) {
    return exact.times(fraction);
  }
}
