package dev.billingsdk.stripe.testing;

import org.jspecify.annotations.Nullable;

/** A 400 {@code invalid_request_error} about one parameter, thrown while serving a request. */
final class BadRequest extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final @Nullable String code;
  final String param;

  BadRequest(String param, String message) {
    this(null, param, message);
  }

  BadRequest(@Nullable String code, String param, String message) {
    super(message, null, false, false);
    this.code = code;
    this.param = param;
  }
}
