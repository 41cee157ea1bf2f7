package dev.billingsdk.spring;

/**
 * A {@code billing.*} property with a value the library cannot start with. The message names the
 * property and says why; a secret's value is never in it.
 */
public final class BillingPropertyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String property;
  private final String reason;

  /**
   * @param property the property as written in a properties file, e.g. {@code
   *     billing.jobs.deduction.interval}
   * @param shownValue the value as it may be shown: {@code (redacted)} for a secret
   * @param reason what is wrong, e.g. {@code must be positive}
   */
  public BillingPropertyException(String property, String shownValue, String reason) {
    super("Property " + property + " = " + shownValue + ": " + reason);
    this.property = property;
    this.reason = reason;
  }

  /** The property, e.g. {@code billing.store.table-prefix}. */
  public String property() {
    return property;
  }

  /** What is wrong with its value. */
  public String reason() {
    return reason;
  }
}
