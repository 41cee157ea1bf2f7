package dev.billingsdk.metering;

import dev.billingsdk.AccountId;
import dev.billingsdk.BillingException;
import dev.billingsdk.TenantId;
import java.util.Map;

/**
 * The price book has no price for this usage (no price for the meter, or no rule matching the
 * dimensions). Rating never guesses a price: the usage stays unrated until the book prices it.
 */
public class UnpricedUsageException extends BillingException {
  private static final long serialVersionUID = 1L;

  private final transient TenantId tenant;
  private final transient AccountId account;
  private final String meter;
  private final transient Map<String, String> dimensions;

  public UnpricedUsageException(
      TenantId tenant, AccountId account, String meter, Map<String, String> dimensions) {
    super(
        "no price for meter "
            + meter
            + " with dimensions "
            + dimensions
            + " for account "
            + account
            + " in tenant "
            + tenant);
    this.tenant = tenant;
    this.account = account;
    this.meter = meter;
    this.dimensions = Map.copyOf(dimensions);
  }

  public TenantId tenant() {
    return tenant;
  }

  public AccountId account() {
    return account;
  }

  public String meter() {
    return meter;
  }

  public Map<String, String> dimensions() {
    return dimensions;
  }
}
