package dev.billingsdk.payment;

import dev.billingsdk.BillingException;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A call to a payment provider failed. {@link #kind()} says what the host can do about it; the
 * provider's own error code and request id are kept for support, but no secret, card number or
 * request body ever appears in the message.
 */
public final class PaymentProviderException extends BillingException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, in words every provider maps to. */
  public enum Kind {
    /** The provider refused the request as malformed or impossible; retrying will not help. */
    INVALID_REQUEST,
    /** The API key was refused or lacks the permission. */
    AUTHENTICATION,
    /** The card or payment method was declined. */
    DECLINED,
    /** The same idempotency key was sent with different parameters. */
    IDEMPOTENCY_CONFLICT,
    /** The provider asked us to slow down (HTTP 429), and the retries ran out. */
    RATE_LIMITED,
    /**
     * The provider could not be reached or answered 5xx, and the retries ran out; the outcome of
     * the call is unknown, so it must be retried with the same idempotency key, never a new one.
     */
    UNAVAILABLE,
    /** The circuit breaker is open after repeated failures; no call was made. */
    CIRCUIT_OPEN,
    /** Anything the adapter could not classify. */
    UNKNOWN
  }

  private final String provider;
  private final Kind kind;
  private final @Nullable String providerCode;
  private final @Nullable String requestId;

  public PaymentProviderException(
      String provider,
      Kind kind,
      String message,
      @Nullable String providerCode,
      @Nullable String requestId,
      @Nullable Throwable cause) {
    super(provider + " " + kind + ": " + message, cause);
    this.provider = Objects.requireNonNull(provider, "provider");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.providerCode = providerCode;
    this.requestId = requestId;
  }

  public String provider() {
    return provider;
  }

  public Kind kind() {
    return kind;
  }

  /** The provider's own error code (Stripe's {@code code}, say), when it gave one. */
  public Optional<String> providerCode() {
    return Optional.ofNullable(providerCode);
  }

  /** The provider's id of the failed request, for its support desk, when it gave one. */
  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }

  /** Whether the same call, with the same idempotency key, may succeed later. */
  public boolean retryable() {
    return kind == Kind.RATE_LIMITED || kind == Kind.UNAVAILABLE || kind == Kind.CIRCUIT_OPEN;
  }
}
