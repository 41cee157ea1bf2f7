package dev.billingsdk.subscription;

/**
 * Where a subscription stands. {@code INCOMPLETE -> ACTIVE | EXPIRED} (the first period's hosted
 * checkout paid, or not); {@code TRIALING -> ACTIVE | PAST_DUE | CANCELED}; {@code ACTIVE ->
 * PAST_DUE | CANCELED}; {@code PAST_DUE -> ACTIVE | CANCELED}. {@code CANCELED} and {@code EXPIRED}
 * are final.
 */
public enum SubscriptionState {
  /** Waiting for the first period's payment (a hosted checkout). */
  INCOMPLETE,
  /** In its trial: the first period is charged to the saved method when the trial ends. */
  TRIALING,
  /** Paid for the current period. */
  ACTIVE,
  /** A period's payment failed; retries are scheduled (dunning). */
  PAST_DUE,
  /** Ended: canceled by request (at once or at a period's end) or after the last failed retry. */
  CANCELED,
  /** Never started: the first period was not paid. */
  EXPIRED;

  /** Whether no further change is possible. */
  public boolean isFinal() {
    return this == CANCELED || this == EXPIRED;
  }
}
