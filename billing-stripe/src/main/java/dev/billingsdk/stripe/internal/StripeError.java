package dev.billingsdk.stripe.internal;

import org.jspecify.annotations.Nullable;

/**
 * Stripe's error object as one response carried it (https://docs.stripe.com/api/errors): the cause
 * of every {@code PaymentProviderException} that {@link StripeHttp} throws for an HTTP error, so
 * that the adapter can read what the provider-neutral exception has no field for, such as the
 * PaymentIntent of a card error that needs the customer to authenticate.
 *
 * <p>Its message is Stripe's {@code message} with anything shaped like an API key removed.
 */
public final class StripeError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final @Nullable String type;
  private final @Nullable String code;
  private final @Nullable String declineCode;
  private final @Nullable String param;
  private final @Nullable String paymentIntentId;
  private final @Nullable String requestId;
  private final @Nullable String shouldRetry;

  StripeError(
      int status,
      @Nullable String type,
      @Nullable String code,
      @Nullable String declineCode,
      @Nullable String param,
      @Nullable String paymentIntentId,
      @Nullable String requestId,
      @Nullable String shouldRetry,
      String message) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.code = code;
    this.declineCode = declineCode;
    this.param = param;
    this.paymentIntentId = paymentIntentId;
    this.requestId = requestId;
    this.shouldRetry = shouldRetry;
  }

  /** The HTTP status of the response. */
  public int status() {
    return status;
  }

  /**
   * {@code error.type}: {@code api_error}, {@code card_error}, {@code idempotency_error} or {@code
   * invalid_request_error}, when the body had one.
   */
  public @Nullable String type() {
    return type;
  }

  /** {@code error.code}, e.g. {@code card_declined} or {@code authentication_required}. */
  public @Nullable String code() {
    return code;
  }

  /** {@code error.decline_code}: the card issuer's reason, for card errors that have one. */
  public @Nullable String declineCode() {
    return declineCode;
  }

  /** {@code error.param}: the parameter the error is about, if any. */
  public @Nullable String param() {
    return param;
  }

  /** {@code error.payment_intent.id}: the PaymentIntent of an error on a PaymentIntent request. */
  public @Nullable String paymentIntentId() {
    return paymentIntentId;
  }

  /** The {@code Request-Id} response header. */
  public @Nullable String requestId() {
    return requestId;
  }

  /** The {@code Stripe-Should-Retry} response header, when Stripe sent one. */
  public @Nullable String shouldRetry() {
    return shouldRetry;
  }
}
