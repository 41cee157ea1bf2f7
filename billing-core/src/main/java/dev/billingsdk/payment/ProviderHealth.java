package dev.billingsdk.payment;

import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import java.time.Instant;
import java.util.Optional;

/**
 * The "connection status" of a provider (seed 000): whether calls go through, and the last error
 * with its time. The error text never holds a secret.
 */
public record ProviderHealth(
    State state, Optional<String> lastError, Optional<Instant> lastErrorAt) {

  /** How the provider answers. */
  public enum State {
    /** Calls succeed. */
    CONNECTED,
    /** Calls succeed only in part (recent failures, a half-open circuit breaker). */
    DEGRADED,
    /** Calls fail, or are not attempted because the circuit breaker is open. */
    DOWN
  }

  public ProviderHealth {
    InvalidRequestException.requireNonNull(state, "state");
    InvalidRequestException.requireNonNull(lastError, "lastError");
    InvalidRequestException.requireNonNull(lastErrorAt, "lastErrorAt");
    lastError.ifPresent(e -> InputContract.text(e, "lastError", 2000));
    lastErrorAt = lastErrorAt.map(t -> InputContract.instant(t, "lastErrorAt"));
  }
}
