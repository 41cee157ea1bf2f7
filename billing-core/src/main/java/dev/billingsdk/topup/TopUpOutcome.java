package dev.billingsdk.topup;

import dev.billingsdk.AccountId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.purchase.PurchaseId;
import java.util.Optional;

/**
 * What the top-up worker did for one account.
 *
 * @param purchase the top-up's purchase, when one was bought or read
 */
public record TopUpOutcome(
    AccountId account, Result result, Optional<PurchaseId> purchase, String detail) {

  public enum Result {
    /** Paid: the package's credits are granted. */
    PAID,
    /** Bought, not settled yet: the next run reads it again. */
    PROCESSING,
    /** The payment failed; the rule stays enabled. */
    FAILED,
    /** The payment failed once too often in a row: the rule disabled itself. */
    DISABLED,
    /** The bank asks the customer to authenticate: the rule is paused; bring the customer back. */
    AUTHENTICATION_REQUIRED,
    /** Below the threshold, but the last top-up was too recent. */
    COOLDOWN,
    /** Below the threshold, but the package would take the month's spend above the cap. */
    MONTHLY_CAP_REACHED
  }

  public TopUpOutcome {
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(result, "result");
    InvalidRequestException.requireNonNull(purchase, "purchase");
    InvalidRequestException.requireNonNull(detail, "detail");
  }
}
