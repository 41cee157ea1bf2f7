package dev.billingsdk.statement;

import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Amount;
import java.time.YearMonth;
import java.util.Optional;

/**
 * One line of a statement: the sum of what a set of the month's ledger transactions moved, all of
 * one {@link Section} and key. Every line is the exact sum of its transactions' postings on one
 * ledger account kind (see {@link Section}), so it can be traced to the ledger.
 *
 * @param key the category of a credit, expiry, void, refund or deduction; the meter of usage; the
 *     item code of a fixed fee, licence or add-on; the item reversed
 * @param lateFor the earlier month the transactions belong to by their effective time, when they
 *     were posted after that month was closed (late usage, corrections); empty for the month's own
 * @param amount positive: credits received for {@link Section#CREDIT}, spent for the charge
 *     sections, given back for {@link Section#REVERSAL}, taken for expiries, voids, refunds and
 *     deductions
 * @param transactions how many ledger transactions the line sums
 */
public record StatementLine(
    Section section, String key, Optional<YearMonth> lateFor, Amount amount, long transactions) {

  /** Where a line sits on the statement, and which ledger account kind it sums. */
  public enum Section {
    /** Credits received (the ISSUED counter), by grant category. */
    CREDIT(1),
    /** Usage charges (CONSUMED), by meter. */
    USAGE(-1),
    /** Fixed fees (CONSUMED), by item. */
    FIXED_FEE(-1),
    /** Licence fees (CONSUMED), by item. */
    LICENCE(-1),
    /** Add-ons (CONSUMED), by item. */
    ADD_ON(-1),
    /** Charges reversed, credit given back (CONSUMED, negative), by item. */
    REVERSAL(1),
    /** Credit that expired (EXPIRED), by grant category. */
    EXPIRY(-1),
    /** Credit voided (VOIDED), by grant category. */
    VOID(-1),
    /** Credit taken back because its purchase was refunded (VOIDED by a REFUND), by category. */
    REFUND(-1),
    /**
     * Credit an administrator deducted (VOIDED by a MANUAL_ADJUSTMENT), by the category deducted
     * from.
     */
    DEDUCTION(-1);

    private final int sign;

    Section(int sign) {
      this.sign = sign;
    }

    /** +1 when the line adds to the balance, -1 when it takes from it. */
    public int sign() {
      return sign;
    }

    /** Whether the line is a charge (usage, fixed fee, licence, add-on). */
    public boolean isCharge() {
      return this == USAGE || this == FIXED_FEE || this == LICENCE || this == ADD_ON;
    }
  }

  public StatementLine {
    InvalidRequestException.requireNonNull(section, "section");
    InputContract.nonBlankText(key, "key", InputContract.MAX_NAME);
    InvalidRequestException.requireNonNull(lateFor, "lateFor");
    InvalidRequestException.requireNonNull(amount, "amount");
    if (transactions < 1) {
      throw new InvalidRequestException("transactions", transactions, "must be at least 1");
    }
  }

  /** What the line does to the balance: {@code amount} with the section's sign. */
  public Amount effect() {
    return section.sign() > 0 ? amount : amount.negate();
  }
}
