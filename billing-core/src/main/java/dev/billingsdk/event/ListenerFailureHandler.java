package dev.billingsdk.event;

/**
 * Told when a listener throws. Runs after the failure has been logged; whatever it throws in turn
 * is logged and dropped, so it can never break the billing operation either.
 */
@FunctionalInterface
public interface ListenerFailureHandler {
  void failed(BillingEventListener listener, BillingEvent event, Throwable failure);

  /** Does nothing beyond the log line the library always writes. */
  static ListenerFailureHandler ignore() {
    return (listener, event, failure) -> {};
  }
}
