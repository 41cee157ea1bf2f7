package dev.billingsdk.internal.event;

import dev.billingsdk.event.BillingEvent;
import dev.billingsdk.event.BillingEventListener;
import dev.billingsdk.event.ListenerFailureHandler;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands committed events to the host's listeners. A listener that throws is logged and reported,
 * and the next listener still runs: the billing operation has committed and must return.
 */
public final class Events {
  private static final Logger LOG = LoggerFactory.getLogger(Events.class);

  private final List<BillingEventListener> listeners;
  private final ListenerFailureHandler failures;

  public Events(List<BillingEventListener> listeners, ListenerFailureHandler failures) {
    this.listeners = List.copyOf(listeners);
    this.failures = failures;
  }

  public void dispatch(List<BillingEvent> events) {
    for (BillingEvent event : events) {
      for (BillingEventListener listener : listeners) {
        try {
          listener.on(event);
        } catch (RuntimeException | Error failure) {
          if (failure instanceof VirtualMachineError vm) {
            throw vm;
          }
          LOG.error(
              "billing event listener {} failed on {} {}; the operation stands",
              listener,
              event.getClass().getSimpleName(),
              event.id(),
              failure);
          try {
            failures.failed(listener, event, failure);
          } catch (RuntimeException handlerFailure) {
            LOG.error("listener failure handler failed too", handlerFailure);
          }
        }
      }
    }
  }
}
