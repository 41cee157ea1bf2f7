package dev.billingsdk.payment;

import dev.billingsdk.BillingException;
import java.util.Objects;

/**
 * A webhook delivery was refused before anything was stored: its signature, timestamp or body did
 * not pass. The message says which check failed and never carries a secret, a signature or the
 * body, so it can be logged as it is; the host answers the provider with a 4xx.
 */
public final class WebhookRejectedException extends BillingException {
  private static final long serialVersionUID = 1L;

  /** Which check refused the delivery. */
  public enum Reason {
    /** The provider's signature header is absent. */
    MISSING_SIGNATURE,
    /** The signature header is present but not in the provider's format. */
    MALFORMED_SIGNATURE,
    /** No signature matches the body under any configured secret. */
    SIGNATURE_MISMATCH,
    /** The signed timestamp is older than the tolerance allows (a replay, or a slow queue). */
    TIMESTAMP_TOO_OLD,
    /** The signed timestamp is further ahead of the clock than the tolerance allows. */
    TIMESTAMP_IN_FUTURE,
    /** The signature matched but the body is not an event the adapter can read. */
    MALFORMED_PAYLOAD
  }

  private final String provider;
  private final Reason reason;

  public WebhookRejectedException(String provider, Reason reason, String detail) {
    super(provider + " webhook rejected: " + reason + " (" + detail + ")");
    this.provider = Objects.requireNonNull(provider, "provider");
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** The adapter that refused it, e.g. {@code stripe}. */
  public String provider() {
    return provider;
  }

  public Reason reason() {
    return reason;
  }
}
