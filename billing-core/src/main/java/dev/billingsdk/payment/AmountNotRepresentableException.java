package dev.billingsdk.payment;

import dev.billingsdk.BillingException;
import dev.billingsdk.money.Amount;
import java.util.Objects;

/**
 * An amount cannot be sent to (or read from) a provider exactly: the provider's smallest unit for
 * the currency differs from ISO 4217's and the amount does not convert without rounding, or the
 * provider does not take the currency at all. Nothing is rounded silently; nothing was sent.
 */
public final class AmountNotRepresentableException extends BillingException {
  private static final long serialVersionUID = 1L;

  private final String provider;
  private final Amount amount;

  public AmountNotRepresentableException(String provider, Amount amount, String why) {
    super(provider + " cannot take " + amount + " exactly: " + why);
    this.provider = Objects.requireNonNull(provider, "provider");
    this.amount = Objects.requireNonNull(amount, "amount");
  }

  public String provider() {
    return provider;
  }

  public Amount amount() {
    return amount;
  }
}
