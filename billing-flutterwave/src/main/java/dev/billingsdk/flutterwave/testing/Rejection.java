package dev.billingsdk.flutterwave.testing;

/**
 * Thrown while serving a request that Flutterwave would refuse: becomes an error envelope with this
 * HTTP status and message, and {@code "data": null}.
 */
final class Rejection extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final int status;

  Rejection(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  static Rejection required(String field) {
    return new Rejection(400, field + " is required");
  }

  static Rejection invalid(String message) {
    return new Rejection(400, message);
  }

  static Rejection noTransaction() {
    return new Rejection(404, "No transaction was found for this id");
  }
}
