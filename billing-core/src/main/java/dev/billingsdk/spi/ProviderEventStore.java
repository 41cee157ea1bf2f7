package dev.billingsdk.spi;

import dev.billingsdk.payment.ProviderEvent;
import java.time.Instant;
import java.util.Optional;

/**
 * Where verified webhook deliveries are kept, raw payload included, for audit. (provider, event id)
 * is unique: a delivery repeated, or made to two instances at once, is stored once. The rules are
 * {@code ProviderEventStoreTck}'s (billing-tck).
 */
public interface ProviderEventStore {

  /** Stores the event unless its (provider, event id) is stored; true when this call stored it. */
  boolean recordIfAbsent(ProviderEvent event, Instant receivedAt);

  Optional<StoredProviderEvent> find(String provider, String eventId);

  /**
   * Marks the event processed with its outcome (a word such as {@code GRANTED}); the first mark
   * stays, later ones are ignored. Returns whether this call marked it.
   *
   * @throws dev.billingsdk.InvalidRequestException if {@code at} or {@code outcome} is outside the
   *     input contract ({@link StoredProviderEvent}: an outcome is an identifier); nothing is
   *     marked
   */
  boolean markProcessed(String provider, String eventId, Instant at, String outcome);
}
