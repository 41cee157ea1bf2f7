package dev.billingsdk;

import org.jspecify.annotations.Nullable;

/**
 * The root of every exception this library throws on purpose. Subclasses carry the fields a caller
 * needs to react (the account, the amounts, the conflicting key), not just a message.
 */
public class BillingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BillingException(String message) {
    super(message);
  }

  public BillingException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
