package dev.billingsdk.spi;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.event.BillingEvent;

/**
 * An event in the store's outbox, not yet acknowledged by the relay that delivers it.
 *
 * @param position increases in the order the events were committed; the acknowledgement names it
 */
public record OutboxEntry(long position, BillingEvent event) {

  public OutboxEntry {
    InvalidRequestException.requireNonNull(event, "event");
  }
}
