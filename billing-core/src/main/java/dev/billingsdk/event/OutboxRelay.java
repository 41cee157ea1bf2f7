package dev.billingsdk.event;

import java.util.function.Consumer;

/**
 * Delivers the events in the store's outbox, at least once: each was written in the same atomic
 * write as the change that caused it, so none is lost to a crash between the change and the
 * delivery. The host runs {@link #deliver} on a schedule (or after writes) with its sink: a message
 * broker, a webhook sender. An event is acknowledged only after the sink returned for it; a sink
 * that throws stops the batch, and that event and the ones after it are offered again next time.
 * Consumers drop repeats by {@link BillingEvent#id()}.
 */
public interface OutboxRelay {

  /**
   * Offers up to {@code max} pending events to {@code sink} in commit order.
   *
   * @return how many were delivered and acknowledged
   * @throws dev.billingsdk.InvalidRequestException if {@code sink} is null or {@code max} is below
   *     1
   */
  int deliver(Consumer<BillingEvent> sink, int max);
}
