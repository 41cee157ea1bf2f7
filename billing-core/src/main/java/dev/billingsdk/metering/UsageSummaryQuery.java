package dev.billingsdk.metering;

import dev.billingsdk.AccountId;
import dev.billingsdk.Identifiers;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import java.util.Optional;

/**
 * Which monthly usage summaries to read: always one tenant (the organisation), optionally one
 * account, one year, one month of that year and one meter.
 *
 * @param month 1 to 12; only together with a year
 */
public record UsageSummaryQuery(
    TenantId tenant,
    Optional<AccountId> account,
    Optional<Integer> year,
    Optional<Integer> month,
    Optional<String> meter) {

  public UsageSummaryQuery {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(year, "year");
    InvalidRequestException.requireNonNull(month, "month");
    InvalidRequestException.requireNonNull(meter, "meter");
    if (year.isPresent() && (year.get() < 1 || year.get() > 9999)) {
      throw new InvalidRequestException("year", year.get(), "must be 1 to 9999");
    }
    if (month.isPresent()) {
      if (year.isEmpty()) {
        throw new InvalidRequestException("month", month.get(), "needs a year");
      }
      if (month.get() < 1 || month.get() > 12) {
        throw new InvalidRequestException("month", month.get(), "must be 1 to 12");
      }
    }
    meter.ifPresent(m -> Identifiers.check(m, "meter"));
  }

  /** Every summary of the tenant. */
  public static UsageSummaryQuery of(TenantId tenant) {
    return new UsageSummaryQuery(
        tenant, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  public UsageSummaryQuery account(AccountId account) {
    InvalidRequestException.requireNonNull(account, "account");
    return new UsageSummaryQuery(tenant, Optional.of(account), year, month, meter);
  }

  public UsageSummaryQuery year(int year) {
    return new UsageSummaryQuery(tenant, account, Optional.of(year), month, meter);
  }

  public UsageSummaryQuery month(int year, int month) {
    return new UsageSummaryQuery(tenant, account, Optional.of(year), Optional.of(month), meter);
  }

  public UsageSummaryQuery meter(String meter) {
    InvalidRequestException.requireNonNull(meter, "meter");
    return new UsageSummaryQuery(tenant, account, year, month, Optional.of(meter));
  }
}
