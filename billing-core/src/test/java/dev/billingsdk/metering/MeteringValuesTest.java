package dev.billingsdk.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.metering.PriceModel.Tier;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Rational;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The limits of metering's value types, each at its edge: the last value accepted and the first
 * refused, with the refusal naming the field and the value.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MeteringValuesTest {
  static final TenantId ACME = TenantId.of("acme");
  static final AccountId LAB = AccountId.of("lab");
  static final CreditUnit CREDITS = CreditUnit.of("CREDIT", 2);
  static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");
  static final PriceBook BOOK =
      PriceBook.builder(RoundingMode.HALF_EVEN)
          .meter("tokens", MeterPrice.of(CREDITS, PriceModel.perUnit("0.01")))
          .build();

  static InvalidRequestException refused(ThrowingCallable call, String field, String value) {
    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class, call);
    assertThat(e).as("an InvalidRequestException naming %s", field).isNotNull();
    assertThat(e.field()).isEqualTo(field);
    assertThat(e.value()).isEqualTo(value);
    return e;
  }

  // ------------------------------------------------------------------ usage quantities

  @Test
  void a_quantity_of_zero_is_accepted_in_one_canonical_form() {
    assertThat(UsageEvent.checkQuantity(new BigDecimal("0.000"))).isSameAs(BigDecimal.ZERO);
    refused(() -> UsageEvent.checkQuantity(new BigDecimal("-0.001")), "quantity", "-0.001");
  }

  @Test
  void a_quantity_keeps_its_decimals_without_trailing_zeros_and_whole_ones_have_scale_zero() {
    BigDecimal half = UsageEvent.checkQuantity(new BigDecimal("1.50"));
    assertThat(half).isEqualTo(new BigDecimal("1.5"));
    assertThat(half.scale()).isEqualTo(1);

    BigDecimal thousand = UsageEvent.checkQuantity(new BigDecimal("1E+3"));
    assertThat(thousand).isEqualTo(new BigDecimal("1000"));
    assertThat(thousand.scale()).isZero();
  }

  @Test
  void a_quantity_must_be_below_ten_to_the_eighteenth() {
    BigDecimal largest = new BigDecimal("999999999999999999.999999999999");
    assertThat(UsageEvent.checkQuantity(largest)).isEqualTo(largest);
    InvalidRequestException e =
        refused(
            () -> UsageEvent.checkQuantity(new BigDecimal("1000000000000000000")),
            "quantity",
            "1000000000000000000");
    assertThat(e.getMessage()).contains("overflows: must be below 10^18");
  }

  @Test
  void a_quantity_has_at_most_twelve_decimal_places() {
    BigDecimal smallest = new BigDecimal("0.000000000001");
    assertThat(UsageEvent.checkQuantity(smallest)).isEqualTo(smallest);
    InvalidRequestException e =
        refused(
            () -> UsageEvent.checkQuantity(new BigDecimal("0.0000000000015")),
            "quantity",
            "0.0000000000015");
    assertThat(e.getMessage()).contains("has more than 12 decimal places");
  }

  @Test
  void a_double_quantity_is_read_as_its_decimal_text_and_nan_or_infinity_is_refused() {
    assertThat(UsageEvent.quantityOf(0.1)).isEqualTo(new BigDecimal("0.1"));
    assertThat(UsageEvent.quantityOf(2.0)).isEqualTo(new BigDecimal("2"));
    refused(() -> UsageEvent.quantityOf(Double.NaN), "quantity", "NaN");
    refused(() -> UsageEvent.quantityOf(Double.POSITIVE_INFINITY), "quantity", "Infinity");
    refused(() -> UsageEvent.quantityOf(Double.NEGATIVE_INFINITY), "quantity", "-Infinity");
    refused(() -> UsageEvent.quantityOf(-1.5), "quantity", "-1.5");
  }

  // ------------------------------------------------------------------ meters

  @Test
  void a_meter_declares_at_most_sixteen_dimensions() {
    String[] sixteen = IntStream.rangeClosed(1, 16).mapToObj(i -> "d" + i).toArray(String[]::new);
    Meter.Builder full = Meter.builder(ACME, "tokens", Aggregation.SUM).unit("tokens");
    assertThat(full.dimensions(sixteen).build().dimensions()).hasSize(16);

    String[] seventeen = IntStream.rangeClosed(1, 17).mapToObj(i -> "d" + i).toArray(String[]::new);
    InvalidRequestException e =
        catchThrowableOfType(
            InvalidRequestException.class,
            () -> Meter.builder(ACME, "tokens", Aggregation.SUM).dimensions(seventeen));
    assertThat(e.field()).isEqualTo("dimensions");
    assertThat(e.getMessage()).contains("at most 16 dimensions");
    // One at a time, the seventeenth is refused as it is added.
    e = catchThrowableOfType(InvalidRequestException.class, () -> full.dimension("d17"));
    assertThat(e.field()).isEqualTo("dimensions");
    assertThat(e.getMessage()).contains("at most 16 dimensions");
  }

  @Test
  void a_unique_count_meter_counts_its_key_dimension_one_of_its_dimensions() {
    Meter users =
        Meter.builder(ACME, "active-users", Aggregation.UNIQUE_COUNT)
            .unit("users")
            .dimensions("user", "plan")
            .keyDimension("user")
            .build();

    assertThat(users.aggregation()).isEqualTo(Aggregation.UNIQUE_COUNT);
    assertThat(users.keyDimension()).contains("user");
    assertThat(users.dimensions()).containsExactly("plan", "user");
    assertThat(users.heartbeatTimeout()).isEmpty();
    assertThat(Meter.uniqueCount(ACME, "active-users", "users", "user"))
        .isEqualTo(
            Meter.builder(ACME, "active-users", Aggregation.UNIQUE_COUNT)
                .unit("users")
                .dimension("user")
                .keyDimension("user")
                .build());
    refused(
        () ->
            Meter.builder(ACME, "active-users", Aggregation.UNIQUE_COUNT)
                .dimensions("plan")
                .dimension("plan"),
        "dimensions",
        "plan");
    InvalidRequestException e =
        refused(
            () ->
                Meter.builder(ACME, "active-users", Aggregation.UNIQUE_COUNT)
                    .unit("users")
                    .dimensions("plan")
                    .keyDimension("user")
                    .build(),
            "keyDimension",
            "user");
    assertThat(e.getMessage()).contains("must be one of the dimensions [plan]");
    e =
        refused(
            () ->
                Meter.builder(ACME, "active-users", Aggregation.UNIQUE_COUNT)
                    .unit("users")
                    .dimensions("user")
                    .build(),
            "keyDimension",
            "(none)");
    assertThat(e.getMessage()).contains("is required for UNIQUE_COUNT meters");
  }

  @Test
  void only_running_time_meters_have_a_heartbeat_and_only_key_aggregations_a_key_dimension() {
    Meter gpu =
        Meter.builder(ACME, "gpu", Aggregation.RUNNING_TIME)
            .unit("seconds")
            .dimensions("machine")
            .keyDimension("machine")
            .heartbeatTimeout(Duration.ofSeconds(90))
            .build();
    assertThat(gpu.heartbeatTimeout()).contains(Duration.ofSeconds(90));
    assertThat(Meter.runningTime(ACME, "gpu", "machine").heartbeatTimeout()).isEmpty();
    assertThat(Meter.runningTime(ACME, "gpu", "machine").unit()).isEqualTo("seconds");

    InvalidRequestException e =
        refused(
            () ->
                Meter.builder(ACME, "tokens", Aggregation.SUM)
                    .heartbeatTimeout(Duration.ofSeconds(90)),
            "heartbeatTimeout",
            "PT1M30S");
    assertThat(e.getMessage()).contains("is only for RUNNING_TIME meters");
    e =
        refused(
            () -> Meter.builder(ACME, "tokens", Aggregation.SUM).keyDimension("model"),
            "keyDimension",
            "model");
    assertThat(e.getMessage()).contains("is only for UNIQUE_COUNT and RUNNING_TIME meters");
    e =
        refused(
            () ->
                Meter.builder(ACME, "gpu", Aggregation.RUNNING_TIME)
                    .heartbeatTimeout(Duration.ofMillis(1500)),
            "heartbeatTimeout",
            "PT1.5S");
    assertThat(e.getMessage()).contains("must be a positive whole number of seconds");
  }

  @Test
  void a_meter_and_an_event_are_values_equal_by_their_fields() {
    Meter.Builder a =
        Meter.builder(ACME, "tokens", Aggregation.SUM).unit("tokens").dimensions("b", "a");
    Meter b =
        Meter.builder(ACME, "tokens", Aggregation.SUM)
            .unit("tokens")
            .dimension("a")
            .dimension("b")
            .build();
    assertThat(a.build()).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(b)
        .hasToString(
            "Meter[tenant=acme, key=tokens, aggregation=SUM, unit=tokens,"
                + " dimensions=[a, b], keyDimension=Optional.empty,"
                + " heartbeatTimeout=Optional.empty]");
    assertThat(b).isNotEqualTo(Meter.builder(ACME, "tokens", Aggregation.SUM).unit("GB").build());

    UsageEvent e =
        UsageEvent.builder(ACME, LAB, "tokens")
            .id("e-1")
            .quantity(new BigDecimal("1.50"))
            .occurredAt(T0.plusNanos(1_500))
            .dimension("model", "gpt-4o")
            .build();
    UsageEvent same =
        UsageEvent.builder(ACME, LAB, "tokens")
            .dimensions(Map.of("model", "gpt-4o"))
            .occurredAt(T0.plusNanos(1_000))
            .quantity(new BigDecimal("1.5"))
            .id("e-1")
            .build();
    assertThat(e).isEqualTo(same).hasSameHashCodeAs(same);
    assertThat(e)
        .hasToString(
            "UsageEvent[id=e-1, tenant=acme, account=lab,"
                + " meter=tokens, quantity=1.5, occurredAt=2026-11-02T10:00:00.000001Z,"
                + " dimensions={model=gpt-4o}]");
    assertThat(e.quantity()).isEqualTo(new BigDecimal("1.5"));
    assertThat(e.occurredAt()).isEqualTo(T0.plusNanos(1_000));
    assertThat(e)
        .isNotEqualTo(
            UsageEvent.builder(ACME, LAB, "tokens")
                .id("e-1")
                .quantity(new BigDecimal("1.5"))
                .occurredAt(T0.plusNanos(1_000))
                .build());
  }

  @Test
  void an_event_takes_its_dimensions_one_by_one_or_at_once_but_each_name_once() {
    UsageEvent.Builder b =
        UsageEvent.builder(ACME, LAB, "tokens")
            .id("e-1")
            .quantity(BigDecimal.ONE)
            .occurredAt(T0)
            .dimensions(Map.of("model", "gpt-4o", "region", "eu"))
            .dimension("direction", "input");
    assertThat(b.build().dimensions())
        .containsExactly(
            Map.entry("direction", "input"),
            Map.entry("model", "gpt-4o"),
            Map.entry("region", "eu"));

    InvalidRequestException e =
        refused(() -> b.dimension("model", "gpt-5"), "dimensions.model", "gpt-5");
    assertThat(e.getMessage()).contains("was already set to gpt-4o");
    e =
        refused(
            () ->
                UsageEvent.builder(ACME, LAB, "tokens")
                    .dimension("model", "gpt-4o")
                    .dimensions(Map.of("model", "gpt-5", "region", "eu")),
            "dimensions.model",
            "gpt-5");
    assertThat(e.getMessage()).contains("was already set to gpt-4o");
    refused(() -> b.dimensions(Map.of("user", "ada")), "dimensions", "{user=ada}");
    // A refused map keeps none of its entries.
    UsageEvent.Builder partly = UsageEvent.builder(ACME, LAB, "tokens");
    refused(
        () -> partly.dimensions(Map.of("model", "gpt-4o", "region", " eu")),
        "dimensions.region",
        " eu");
    assertThat(
            partly
                .dimensions(Map.of("model", "gpt-4o"))
                .id("e")
                .quantity(BigDecimal.ONE)
                .occurredAt(T0)
                .build()
                .dimensions())
        .containsExactly(Map.entry("model", "gpt-4o"));
    refused(
        () -> UsageEvent.builder(ACME, LAB, "tokens").dimension(" model", "x"),
        "dimensions",
        " model");
  }

  @Test
  void a_built_event_keeps_its_dimensions_while_its_builder_goes_on() {
    // The event keeps the builder's map without a copy; the builder copies before it changes it.
    UsageEvent.Builder b =
        UsageEvent.builder(ACME, LAB, "tokens")
            .id("e-1")
            .quantity(BigDecimal.ONE)
            .occurredAt(T0)
            .dimensions(Map.of("model", "gpt-4o"));
    UsageEvent first = b.build();
    b.dimension("region", "eu");
    UsageEvent second = b.build();
    b.dimension("direction", "input");
    assertThat(first.dimensions()).containsExactly(Map.entry("model", "gpt-4o"));
    assertThat(second.dimensions())
        .containsExactly(Map.entry("model", "gpt-4o"), Map.entry("region", "eu"));
    assertThat(b.build().dimensions()).hasSize(3);
    // And what dimensions(Map) was given is named as given, not as the builder went on.
    InvalidRequestException e =
        refused(() -> b.dimensions(Map.of("user", "ada")), "dimensions", "{user=ada}");
    assertThat(e.getMessage()).contains("was already set to {model=gpt-4o}");
  }

  // ------------------------------------------------------------------ settings

  @Test
  void the_deduction_interval_runs_from_one_minute_to_one_day() {
    assertThat(MeteringSettings.of(BOOK, Duration.ofMinutes(1)).deductionInterval())
        .isEqualTo(Duration.ofMinutes(1));
    assertThat(MeteringSettings.of(BOOK, Duration.ofDays(1)).deductionInterval())
        .isEqualTo(Duration.ofDays(1));
    refused(() -> MeteringSettings.of(BOOK, Duration.ofSeconds(59)), "deductionInterval", "PT59S");
    refused(() -> MeteringSettings.of(BOOK, Duration.ofDays(2)), "deductionInterval", "PT48H");
    refused(() -> MeteringSettings.of(BOOK, Duration.ofMinutes(7)), "deductionInterval", "PT7M");
  }

  @Test
  void each_with_changes_its_own_setting_only() {
    MeteringSettings settings = MeteringSettings.of(BOOK, Duration.ofHours(1));
    Actor robot = Actor.of("robot", Role.SYSTEM);

    MeteringSettings changed =
        settings
            .withClockSkew(Duration.ofMinutes(1))
            .withLateArrival(Duration.ofDays(7))
            .withActor(robot);

    assertThat(changed)
        .isEqualTo(
            new MeteringSettings(
                BOOK, Duration.ofHours(1), Duration.ofMinutes(1), Duration.ofDays(7), robot));
    assertThat(settings.clockSkew()).isEqualTo(MeteringSettings.DEFAULT_CLOCK_SKEW);
    assertThat(settings.lateArrival()).isEqualTo(MeteringSettings.DEFAULT_LATE_ARRIVAL);
    assertThat(settings.actor()).isEqualTo(Actor.of("billing-deductions", Role.SYSTEM));
  }

  // ------------------------------------------------------------------ summary queries and rows

  @Test
  void a_summary_query_takes_years_1_to_9999_and_months_1_to_12() {
    assertThat(UsageSummaryQuery.of(ACME).year(1).year()).contains(1);
    assertThat(UsageSummaryQuery.of(ACME).year(9999).year()).contains(9999);
    refused(() -> UsageSummaryQuery.of(ACME).year(0), "year", "0");
    refused(() -> UsageSummaryQuery.of(ACME).year(10_000), "year", "10000");

    assertThat(UsageSummaryQuery.of(ACME).month(2026, 1).month()).contains(1);
    assertThat(UsageSummaryQuery.of(ACME).month(2026, 12).month()).contains(12);
    refused(() -> UsageSummaryQuery.of(ACME).month(2026, 0), "month", "0");
    refused(() -> UsageSummaryQuery.of(ACME).month(2026, 13), "month", "13");
  }

  @Test
  void a_summary_query_names_a_meter_by_its_identifier() {
    assertThat(UsageSummaryQuery.of(ACME).meter("tokens").meter()).contains("tokens");
    refused(() -> UsageSummaryQuery.of(ACME).meter(" tokens"), "meter", " tokens");
  }

  @Test
  void a_summary_row_with_currency_keeps_everything_else() {
    UsageSummaryRow row =
        new UsageSummaryRow(
            ACME,
            LAB,
            2026,
            11,
            "tokens",
            Map.of("model", "gpt-4o"),
            new BigDecimal("1200.0"),
            Amount.of(CREDITS, "12.00"),
            Optional.empty());
    Amount dollars = Amount.of(CurrencyUnit.of("USD"), "0.12");

    UsageSummaryRow converted = row.withCurrency(dollars);

    assertThat(converted.currency()).contains(dollars);
    assertThat(converted.credits()).isEqualTo(row.credits());
    assertThat(converted.quantity()).isEqualTo(new BigDecimal("1200"));
    assertThat(converted.dimensions()).isEqualTo(row.dimensions());
    assertThat(converted.withCurrency(dollars)).isEqualTo(converted);
  }

  // ------------------------------------------------------------------ price models

  @Test
  void an_aggregate_may_have_a_scale_up_to_120_either_way_and_no_more() {
    PriceModel perUnit = PriceModel.perUnit("1");
    BigDecimal tiny = new BigDecimal(BigInteger.ONE, 120);
    BigDecimal huge = new BigDecimal(BigInteger.ONE, -120);

    assertThat(perUnit.cost(tiny)).isEqualTo(Rational.of(BigInteger.ONE, BigInteger.TEN.pow(120)));
    assertThat(perUnit.cost(huge)).isEqualTo(Rational.of(BigInteger.TEN.pow(120), BigInteger.ONE));
    refused(() -> perUnit.cost(new BigDecimal(BigInteger.ONE, 121)), "aggregate", "1E-121");
    refused(() -> perUnit.cost(new BigDecimal(BigInteger.ONE, -121)), "aggregate", "1E+121");
  }

  @Test
  void an_aggregate_may_have_up_to_1000_bits_of_digits() {
    PriceModel perUnit = PriceModel.perUnit("1");
    BigInteger largest = BigInteger.ONE.shiftLeft(1_000).subtract(BigInteger.ONE);
    BigInteger tooLarge = BigInteger.ONE.shiftLeft(1_000);

    assertThat(perUnit.cost(new BigDecimal(largest)))
        .isEqualTo(Rational.of(largest, BigInteger.ONE));
    InvalidRequestException e =
        catchThrowableOfType(
            InvalidRequestException.class, () -> perUnit.cost(new BigDecimal(tooLarge)));
    assertThat(e.field()).isEqualTo("aggregate");
    assertThat(e.getMessage()).contains("is beyond any sum of accepted quantities");
  }

  @Test
  void a_missing_tier_is_refused_naming_its_position() {
    refused(
        () -> new PriceModel.Graduated(Arrays.asList(Tier.upTo("10", "1"), null)),
        "tiers[1]",
        "null");
    refused(() -> new PriceModel.Volume(Arrays.asList((Tier) null)), "tiers[0]", "null");
  }

  @Test
  void a_missing_rule_is_refused_naming_its_position() {
    PriceRule all = new PriceRule(Map.of(), PriceModel.perUnit("0.01"));
    refused(
        () -> new MeterPrice(CREDITS, Arrays.asList(all, null), BigDecimal.ZERO),
        "rules[1]",
        "null");
  }

  // ------------------------------------------------------------------ overflow

  @Test
  void an_overflow_met_by_a_deduction_is_the_same_overflow_naming_its_window() {
    RatingOverflowException outside =
        new RatingOverflowException(ACME, LAB, "tokens", new BigDecimal("100"), CREDITS);
    Instant end = T0.plus(Duration.ofHours(1));

    RatingOverflowException inside = outside.inWindow(T0, end);

    assertThat(outside.getMessage())
        .isEqualTo(
            "amount overflow in rating 100 of meter tokens for account lab in tenant acme: the cost is more than"
                + " 9223372036854775807 minor units of CREDIT(scale 2)");
    assertThat(inside.getMessage())
        .isEqualTo(
            "amount overflow in rating 100 of meter tokens for account lab in tenant acme in"
                + " [2026-11-02T10:00:00Z,"
                + " 2026-11-02T11:00:00Z): the cost is more than 9223372036854775807 minor units"
                + " of CREDIT(scale 2)");
    assertThat(inside.windowStart()).contains(T0);
    assertThat(inside.windowEnd()).contains(end);
    assertThat(outside.windowStart()).isEmpty();
    // Where the overflow happened, not where the window was added.
    assertThat(inside.getStackTrace()).containsExactly(outside.getStackTrace());
  }
}
