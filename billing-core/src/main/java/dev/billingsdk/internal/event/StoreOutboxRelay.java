package dev.billingsdk.internal.event;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.event.BillingEvent;
import dev.billingsdk.event.OutboxRelay;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.OutboxEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The {@link OutboxRelay} over a store's outbox: the implementation of the event package's relay,
 * kept here so that the event package (what hosts consume) does not depend on the storage SPI.
 */
public final class StoreOutboxRelay implements OutboxRelay {
  private final BillingStore store;

  public StoreOutboxRelay(BillingStore store) {
    InvalidRequestException.requireNonNull(store, "store");
    this.store = store;
  }

  @Override
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
