package dev.billingsdk.event;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.OutboxEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Delivers the events in the store's outbox, at least once: each was written in the same atomic
 * write as the change that caused it, so none is lost to a crash between the change and the
 * delivery. The host runs {@link #deliver} on a schedule (or after writes) with its sink: a message
 * broker, a webhook sender. An event is acknowledged only after the sink returned for it; a sink
 * that throws stops the batch, and that event and the ones after it are offered again next time.
 * Consumers drop repeats by {@link BillingEvent#id()}.
 */
public final class OutboxRelay {
  private final BillingStore store;

  public OutboxRelay(BillingStore store) {
    InvalidRequestException.requireNonNull(store, "store");
    this.store = store;
  }

  /**
   * Offers up to {@code max} pending events to {@code sink} in commit order.
   *
   * @return how many were delivered and acknowledged
   */
  public int deliver(Consumer<BillingEvent> sink, int max) {
    InvalidRequestException.requireNonNull(sink, "sink");
    if (max < 1) {
      throw new InvalidRequestException("max", max, "must be at least 1");
    }
    List<OutboxEntry> pending = store.pendingEvents(max);
    List<Long> delivered = new ArrayList<>();
    try {
      for (OutboxEntry e : pending) {
        sink.accept(e.event());
        delivered.add(e.position());
      }
    } finally {
      if (!delivered.isEmpty()) {
        store.acknowledgeEvents(delivered);
      }
    }
    return delivered.size();
  }
}
