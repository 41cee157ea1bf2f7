package dev.billingsdk.spi;

import dev.billingsdk.BillingException;

/**
 * The store could not complete an operation: the database was unreachable, the connection was lost,
 * or it kept refusing after the store's bounded retries. Whether a write that failed this way took
 * effect is unknown to the caller; repeating it with the same idempotency key is always safe and
 * completes it exactly once.
 */
public class StoreFailureException extends BillingException {
  private static final long serialVersionUID = 1L;

  public StoreFailureException(String message, Throwable cause) {
    super(message, cause);
  }
}
