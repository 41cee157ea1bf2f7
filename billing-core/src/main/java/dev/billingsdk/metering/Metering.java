package dev.billingsdk.metering;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.Price;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Meters, usage ingestion and monthly usage summaries. Obtain from {@code Billing}. */
public interface Metering {

  /**
   * Defines a meter, or returns the same meter defined before.
   *
   * @throws MeterConflictException if the key is defined with a different definition
   */
  Meter defineMeter(Meter meter, Actor actor);

  Optional<Meter> findMeter(TenantId tenant, String key);

  /** The tenant's meters, by key. */
  List<Meter> meters(TenantId tenant);

  /** Ingests one usage event; see {@link #ingest(List, Actor)}. */
  IngestResult ingest(UsageEvent event, Actor actor);

  /**
   * Ingests usage events: each id is counted once, however often it is sent (a repeat with the same
   * payload is acknowledged as a duplicate). The whole list is checked before anything is stored;
   * any refusal stores nothing:
   *
   * <ul>
   *   <li>{@link UnknownMeterException}, {@link dev.billingsdk.credit.AccountNotFoundException};
   *   <li>{@link dev.billingsdk.InvalidRequestException} naming {@code dimensions} for a dimension
   *       the meter does not declare, or a missing key dimension;
   *   <li>{@link UsageTimeOutOfRangeException} for a time further ahead than the clock skew or
   *       older than the late-arrival window;
   *   <li>{@link UsageEventConflictException} for ids already used with a different payload.
   * </ul>
   *
   * @return one result per event, in order
   */
  List<IngestResult> ingest(List<UsageEvent> events, Actor actor);

  /**
   * Monthly usage summaries from the rated usage, sorted by account, year, month, meter and
   * dimension values.
   */
  List<UsageSummaryRow> monthlySummaries(UsageSummaryQuery query);

  /**
   * {@link #monthlySummaries} with each row's credits also converted at {@code creditPrice} (for
   * example 100 credits = 1 USD), rounded with {@code rounding}.
   */
  List<UsageSummaryRow> monthlySummaries(
      UsageSummaryQuery query, Price creditPrice, RoundingMode rounding);

  /**
   * What {@code quantity} of the meter costs the account on its own, from an empty period (no tiers
   * reached, no allowance), rounded up: the estimate to reserve before a per-request operation such
   * as an LLM call. Settle the reservation with {@link #price} of the metered quantity.
   *
   * @throws RatingOverflowException if the cost is more minor units than an amount holds
   */
  Amount estimate(
      TenantId tenant,
      AccountId account,
      String meter,
      BigDecimal quantity,
      Map<String, String> dimensions);

  /**
   * What {@code quantity} of the meter costs the account on its own, from an empty period, rounded
   * with the price book's mode: the amount to settle a per-request reservation with.
   *
   * @throws RatingOverflowException if the cost is more minor units than an amount holds
   */
  Amount price(
      TenantId tenant,
      AccountId account,
      String meter,
      BigDecimal quantity,
      Map<String, String> dimensions);
}
