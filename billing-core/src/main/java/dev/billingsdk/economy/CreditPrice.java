package dev.billingsdk.economy;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;

/**
 * What credits cost: {@code credits} are sold for {@code money} ("100 credits = 1 USD" is {@code
 * CreditPrice.of(Amount.of(CREDIT, 100), Amount.of(USD, 1))}). Both positive.
 */
public record CreditPrice(Amount credits, Amount money) {

  public CreditPrice {
    InvalidRequestException.requireNonNull(credits, "creditPrice.credits");
    InvalidRequestException.requireNonNull(money, "creditPrice.money");
    if (!(credits.unit() instanceof CreditUnit) || !credits.isPositive()) {
      throw new InvalidRequestException(
          "creditPrice.credits", credits, "must be a positive amount of a credit unit");
    }
    if (!(money.unit() instanceof CurrencyUnit) || !money.isPositive()) {
      throw new InvalidRequestException(
          "creditPrice.money", money, "must be a positive amount of an ISO 4217 currency");
    }
  }

  public static CreditPrice of(Amount credits, Amount money) {
    return new CreditPrice(credits, money);
  }

  @Override
  public String toString() {
    return credits + " = " + money;
  }
}
