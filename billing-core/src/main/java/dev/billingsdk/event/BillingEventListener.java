package dev.billingsdk.event;

/**
 * Receives events after the write that caused them has committed, on the thread that made the
 * write. A listener that throws is logged and reported to the {@link ListenerFailureHandler}; the
 * billing operation has already committed and returns its result as usual.
 */
@FunctionalInterface
public interface BillingEventListener {
  void on(BillingEvent event);
}
