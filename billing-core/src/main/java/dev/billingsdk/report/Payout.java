package dev.billingsdk.report;

import dev.billingsdk.Actor;
import dev.billingsdk.Identifiers;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.Percentage;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a partner is owed for one month: a record finance pays out of band (it posts nothing to the
 * ledger). There is at most one per (tenant, partner, month), ever.
 *
 * @param zone the time zone the month was cut in
 * @param amounts the partner share payable, one amount per currency, each rounded once from the
 *     exact share of the month's exact revenue
 * @param transactions how many consumption transactions the amounts are the sum over
 */
public record Payout(
    TenantId tenant,
    String partner,
    YearMonth month,
    ZoneId zone,
    Percentage share,
    int settingsVersion,
    List<Amount> amounts,
    long transactions,
    Actor createdBy,
    Instant createdAt) {

  public Payout {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    Identifiers.check(partner, "partner");
    InvalidRequestException.requireNonNull(month, "month");
    InvalidRequestException.requireNonNull(zone, "zone");
    InvalidRequestException.requireNonNull(share, "share");
    if (settingsVersion < 0) {
      throw new InvalidRequestException("settingsVersion", settingsVersion, "must not be negative");
    }
    InvalidRequestException.requireNonNull(amounts, "amounts");
    Set<String> units = new HashSet<>();
    for (Amount a : amounts) {
      InvalidRequestException.requireNonNull(a, "amounts");
      if (!units.add(a.unit().code())) {
        throw new InvalidRequestException("amounts", amounts, "must hold one amount per unit");
      }
    }
    amounts = List.copyOf(amounts);
    if (transactions < 0) {
      throw new InvalidRequestException("transactions", transactions, "must not be negative");
    }
    InvalidRequestException.requireNonNull(createdBy, "actor");
    createdAt = InputContract.instant(createdAt, "createdAt");
  }
}
