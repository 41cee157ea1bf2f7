package dev.billingsdk.report;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.Percentage;
import dev.billingsdk.money.Rational;
import java.time.YearMonth;

/**
 * The true revenue one partner's module generated in one month and currency, and the partner's
 * share of it under the economy settings in force for the month.
 *
 * @param revenue {@code exactMinor} rounded once
 * @param share the partner revenue share of settings version {@code settingsVersion} (0 when no
 *     settings were in force: the share is then zero)
 * @param partnerShare {@code exactMinor × share} rounded once (not the rounded revenue times the
 *     share)
 */
public record PartnerRevenueRow(
    YearMonth month,
    String partner,
    String module,
    Amount credits,
    Rational exactMinor,
    Amount revenue,
    Percentage share,
    int settingsVersion,
    Amount partnerShare,
    Provenance provenance) {

  public PartnerRevenueRow {
    InvalidRequestException.requireNonNull(month, "month");
    InvalidRequestException.requireNonNull(partner, "partner");
    InvalidRequestException.requireNonNull(module, "module");
    InvalidRequestException.requireNonNull(credits, "credits");
    InvalidRequestException.requireNonNull(exactMinor, "exactMinor");
    InvalidRequestException.requireNonNull(revenue, "revenue");
    InvalidRequestException.requireNonNull(share, "share");
    InvalidRequestException.requireNonNull(partnerShare, "partnerShare");
    InvalidRequestException.requireNonNull(provenance, "provenance");
  }
}
