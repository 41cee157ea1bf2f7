package dev.billingsdk.spi;

import dev.billingsdk.Identifiers;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.payment.ProviderEvent;
import java.time.Instant;
import java.util.Optional;

/**
 * A stored webhook delivery: the event, when it arrived, and when and how it was processed (empty
 * until then: a delivery stored but not processed, because the process died, is processed again
 * when it is delivered again). Instants are kept to the microsecond; the outcome is an identifier.
 */
public record StoredProviderEvent(
    ProviderEvent event,
    Instant receivedAt,
    Optional<Instant> processedAt,
    Optional<String> outcome) {

  public StoredProviderEvent {
    InvalidRequestException.requireNonNull(event, "event");
    receivedAt = InputContract.instant(receivedAt, "receivedAt");
    InvalidRequestException.requireNonNull(processedAt, "processedAt");
    InvalidRequestException.requireNonNull(outcome, "outcome");
    // The input contract, as for every instant and word a store keeps: to the microsecond, and an
    // outcome is an identifier (a word such as GRANTED), so every store can keep it exactly.
    processedAt = processedAt.map(at -> InputContract.instant(at, "processedAt"));
    outcome.ifPresent(o -> Identifiers.check(o, "outcome"));
    if (processedAt.isPresent() != outcome.isPresent()) {
      throw new InvalidRequestException(
          "outcome", outcome, "comes with processedAt, and only then");
    }
  }
}
