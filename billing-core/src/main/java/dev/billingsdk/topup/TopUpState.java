package dev.billingsdk.topup;

/** Whether an auto-top-up rule buys. */
public enum TopUpState {
  /** Buys when the balance falls below the threshold, within the guardrails. */
  ENABLED,
  /**
   * The bank asked the customer to authenticate a top-up: nothing was taken, and nothing is bought
   * until the host brings the customer back and configures the rule again.
   */
  PAUSED_FOR_AUTHENTICATION,
  /** Disabled after too many failed payments in a row, or by request. */
  DISABLED
}
