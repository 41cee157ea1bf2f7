package dev.billingsdk.metering;

import dev.billingsdk.AccountId;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.Amount;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The rated usage of one (tenant, account, year, month, meter, dimension values): the quantity in
 * the meter's unit and the credits posted for it. Summed over a month's rows, the credits equal the
 * usage postings of that month's usage exactly.
 *
 * @param currency the credits converted at the price the query asked for, if it asked
 */
public record UsageSummaryRow(
    TenantId tenant,
    AccountId account,
    int year,
    int month,
    String meter,
    Map<String, String> dimensions,
    BigDecimal quantity,
    Amount credits,
    Optional<Amount> currency) {

  public UsageSummaryRow {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(meter, "meter");
    InvalidRequestException.requireNonNull(dimensions, "dimensions");
    for (Map.Entry<String, String> d : dimensions.entrySet()) {
      InvalidRequestException.requireNonNull(d.getKey(), "dimensions");
      InvalidRequestException.requireNonNull(d.getValue(), "dimensions." + d.getKey());
    }
    InputContract.decimal(quantity, "quantity");
    InvalidRequestException.requireNonNull(credits, "credits");
    InvalidRequestException.requireNonNull(currency, "currency");
    dimensions = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(dimensions));
    quantity = quantity.signum() == 0 ? BigDecimal.ZERO : quantity.stripTrailingZeros();
    if (quantity.scale() < 0) {
      quantity = quantity.setScale(0);
    }
  }

  /** This row with its credits converted to a currency amount. */
  public UsageSummaryRow withCurrency(Amount amount) {
    InvalidRequestException.requireNonNull(amount, "currency");
    return new UsageSummaryRow(
        tenant, account, year, month, meter, dimensions, quantity, credits, Optional.of(amount));
  }
}
