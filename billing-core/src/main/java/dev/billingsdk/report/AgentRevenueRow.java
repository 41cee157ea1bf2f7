package dev.billingsdk.report;

import dev.billingsdk.AccountId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.Percentage;
import dev.billingsdk.money.Rational;
import java.time.YearMonth;

/**
 * The true revenue of the accounts one agent referred, in one month and currency (consumption from
 * the referral on), and the agent's commission under the settings in force for the month.
 *
 * @param accounts how many referred accounts contributed
 * @param commission {@code exactMinor × share} rounded once
 */
public record AgentRevenueRow(
    YearMonth month,
    AccountId agent,
    int accounts,
    Amount credits,
    Rational exactMinor,
    Amount revenue,
    Percentage share,
    int settingsVersion,
    Amount commission,
    Provenance provenance) {

  public AgentRevenueRow {
    InvalidRequestException.requireNonNull(month, "month");
    InvalidRequestException.requireNonNull(agent, "agent");
    InvalidRequestException.requireNonNull(credits, "credits");
    InvalidRequestException.requireNonNull(exactMinor, "exactMinor");
    InvalidRequestException.requireNonNull(revenue, "revenue");
    InvalidRequestException.requireNonNull(share, "share");
    InvalidRequestException.requireNonNull(commission, "commission");
    InvalidRequestException.requireNonNull(provenance, "provenance");
  }
}
