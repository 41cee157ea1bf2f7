package dev.billingsdk.report;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.Rational;
import java.time.YearMonth;

/**
 * True revenue of one month and one module (a charge's item code; the meter key for usage) in one
 * currency: the credits of paid grants consumed, net of reversals recorded in the month, valued at
 * each grant's cost basis.
 *
 * @param credits the net credits taken from grants with a paid cost basis (in the credit unit)
 * @param exactMinor the exact value, in minor units of {@code revenue}'s currency, unrounded
 * @param revenue {@code exactMinor} rounded once, with the query's rounding mode
 * @param provenance the transactions this row is the exact sum over
 */
public record RevenueRow(
    YearMonth month,
    String item,
    Amount credits,
    Rational exactMinor,
    Amount revenue,
    Provenance provenance) {

  public RevenueRow {
    InvalidRequestException.requireNonNull(month, "month");
    InvalidRequestException.requireNonNull(item, "item");
    InvalidRequestException.requireNonNull(credits, "credits");
    InvalidRequestException.requireNonNull(exactMinor, "exactMinor");
    InvalidRequestException.requireNonNull(revenue, "revenue");
    InvalidRequestException.requireNonNull(provenance, "provenance");
  }
}
