package dev.billingsdk.subscription;

import dev.billingsdk.GrantId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Amount;
import java.util.Optional;

/**
 * What a plan change did.
 *
 * @param charged the prorated price difference charged for an upgrade (empty when nothing was)
 * @param proratedCredits the allowance difference granted for the rest of the period
 * @param grant the grant of {@code proratedCredits}, when positive
 */
public record PlanChangeOutcome(
    Subscription subscription,
    Result result,
    Optional<Amount> charged,
    Optional<Amount> proratedCredits,
    Optional<GrantId> grant,
    String detail) {

  public enum Result {
    /** The new plan applies now; the rest of the period's difference was charged and granted. */
    UPGRADED,
    /** The new plan applies from the next period. */
    DOWNGRADE_SCHEDULED,
    /** The subscription is on that plan already (or has it scheduled): nothing changed. */
    UNCHANGED,
    /** The upgrade's prorated charge was not paid: nothing changed. */
    PAYMENT_NOT_TAKEN
  }

  public PlanChangeOutcome {
    InvalidRequestException.requireNonNull(subscription, "subscription");
    InvalidRequestException.requireNonNull(result, "result");
    InvalidRequestException.requireNonNull(charged, "charged");
    InvalidRequestException.requireNonNull(proratedCredits, "proratedCredits");
    InvalidRequestException.requireNonNull(grant, "grant");
    InvalidRequestException.requireNonNull(detail, "detail");
  }
}
