package dev.billingsdk.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.billingsdk.AccountId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.metering.PriceModel.Tier;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.Rational;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * What each price model charges for a period's aggregate, by hand-computed examples, and how every
 * model, rule, meter price and price book refuses what it cannot price (a typed exception naming
 * the field).
 */
class PriceModelTest {
  static final CreditUnit CREDITS = CreditUnit.of("CREDIT", 2);
  static final TenantId ACME = TenantId.of("acme");

  static BigDecimal d(String text) {
    return new BigDecimal(text);
  }

  static Rational q(String decimal) {
    return Rational.of(new BigDecimal(decimal));
  }

  static Rational frac(long n, long d) {
    return Rational.of(BigInteger.valueOf(n), BigInteger.valueOf(d));
  }

  static InvalidRequestException refused(ThrowingCallable call) {
    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class, call);
    assertThat(e).as("an InvalidRequestException").isNotNull();
    return e;
  }

  // ------------------------------------------------------------------ per unit

  @Test
  void per_unit_multiplies_exactly_even_below_the_smallest_unit() {
    PriceModel m = PriceModel.perUnit("0.0002");

    assertThat(m.cost(d("12345"))).isEqualTo(q("2.469"));
    assertThat(m.cost(d("1"))).isEqualTo(frac(1, 5000));
    assertThat(m.cost(d("0.5"))).isEqualTo(frac(1, 10000));
    assertThat(m.cost(d("0.000000000001"))).isEqualTo(frac(1, 5_000_000_000_000_000L));
    assertThat(m.cost(BigDecimal.ZERO)).isEqualTo(Rational.ZERO);
    assertThat(PriceModel.perUnit("0").cost(d("1000000"))).isEqualTo(Rational.ZERO);
  }

  // ------------------------------------------------------------------ graduated

  /**
   * First 1,000 at 0.02 (+5 on entering), next 9,000 at 0.015, the rest at 0.01 (+1 on entering).
   */
  static PriceModel graduated() {
    return PriceModel.graduated(
        Tier.upTo("1000", "0.02").withFlat("5"),
        Tier.upTo("10000", "0.015"),
        Tier.rest("0.01").withFlat("1"));
  }

  @Test
  void graduated_prices_each_unit_by_its_tier_and_adds_each_entered_tiers_flat() {
    PriceModel m = graduated();

    assertThat(m.cost(BigDecimal.ZERO)).isEqualTo(Rational.ZERO);
    assertThat(m.cost(d("0.5"))).isEqualTo(q("5.01")); // 0.5 * 0.02 + 5
    assertThat(m.cost(d("500"))).isEqualTo(q("15")); // 10 + 5
    assertThat(m.cost(d("1000"))).isEqualTo(q("25")); // 20 + 5: 1000 is in the first tier
    assertThat(m.cost(d("1001"))).isEqualTo(q("25.015")); // + 1 * 0.015
    assertThat(m.cost(d("10000"))).isEqualTo(q("160")); // 25 + 9000 * 0.015
    assertThat(m.cost(d("10000.5"))).isEqualTo(q("161.005")); // 160 + 0.5 * 0.01 + 1
    assertThat(m.cost(d("12000"))).isEqualTo(q("181")); // 160 + 2000 * 0.01 + 1
  }

  @Test
  void graduated_cost_never_falls_as_the_aggregate_grows() {
    PriceModel m = graduated();
    Rational previous = Rational.ZERO;
    for (int units = 0; units <= 12_000; units += 250) {
      Rational cost = m.cost(BigDecimal.valueOf(units));
      assertThat(cost).isGreaterThanOrEqualTo(previous);
      previous = cost;
    }
  }

  @Test
  void graduated_with_one_unbounded_tier_is_per_unit() {
    assertThat(PriceModel.graduated(Tier.rest("0.0025")).cost(d("400"))).isEqualTo(Rational.ONE);
  }

  // ------------------------------------------------------------------ volume

  /** All units at 0.02 up to 1,000; at 0.015 (+10) up to 10,000; at 0.01 beyond. */
  static PriceModel volume() {
    return PriceModel.volume(
        Tier.upTo("1000", "0.02"), Tier.upTo("10000", "0.015").withFlat("10"), Tier.rest("0.01"));
  }

  @Test
  void volume_prices_every_unit_by_the_one_tier_the_aggregate_falls_in() {
    PriceModel m = volume();

    assertThat(m.cost(BigDecimal.ZERO)).isEqualTo(Rational.ZERO);
    assertThat(m.cost(d("1"))).isEqualTo(q("0.02"));
    assertThat(m.cost(d("1000"))).isEqualTo(q("20")); // upTo is inclusive
    assertThat(m.cost(d("1001"))).isEqualTo(q("25.015")); // 1001 * 0.015 + 10
    assertThat(m.cost(d("2000"))).isEqualTo(q("40")); // 30 + 10
    assertThat(m.cost(d("10000"))).isEqualTo(q("160")); // 150 + 10
    assertThat(m.cost(d("10001"))).isEqualTo(q("100.01")); // every unit at 0.01, no flat
  }

  @Test
  void volume_cost_can_fall_when_the_aggregate_crosses_into_a_cheaper_tier() {
    PriceModel m = volume();

    assertThat(m.cost(d("10001"))).isLessThan(m.cost(d("10000")));
    assertThat(m.cost(d("10000")).minus(m.cost(d("10001")))).isEqualTo(q("59.99"));
  }

  @Test
  void a_tier_flat_is_charged_only_when_there_is_usage() {
    PriceModel v = PriceModel.volume(Tier.rest("0").withFlat("3"));
    PriceModel g = PriceModel.graduated(Tier.rest("0").withFlat("3"));

    assertThat(v.cost(BigDecimal.ZERO)).isEqualTo(Rational.ZERO);
    assertThat(g.cost(BigDecimal.ZERO)).isEqualTo(Rational.ZERO);
    assertThat(v.cost(d("0.000000000001"))).isEqualTo(q("3"));
    assertThat(g.cost(d("0.000000000001"))).isEqualTo(q("3"));
  }

  // ------------------------------------------------------------------ package

  @Test
  void package_charges_every_started_package() {
    PriceModel m = PriceModel.perPackage("1000", "2");

    assertThat(m.cost(BigDecimal.ZERO)).isEqualTo(Rational.ZERO);
    assertThat(m.cost(d("0.5"))).isEqualTo(q("2"));
    assertThat(m.cost(d("1000"))).isEqualTo(q("2"));
    assertThat(m.cost(d("1000.000000000001"))).isEqualTo(q("4"));
    assertThat(m.cost(d("2500"))).isEqualTo(q("6")); // 3 packages
    assertThat(m.cost(d("3000"))).isEqualTo(q("6"));
  }

  @Test
  void package_sizes_and_prices_may_be_fractional() {
    PriceModel m = PriceModel.perPackage("0.5", "0.0003");

    assertThat(m.cost(d("1.2"))).isEqualTo(q("0.0009")); // 3 packages of 0.5
  }

  // ------------------------------------------------------------------ flat fee

  @Test
  void a_flat_fee_is_charged_only_when_the_period_has_usage() {
    PriceModel m = PriceModel.flatFee("9.99");

    assertThat(m.cost(BigDecimal.ZERO)).isEqualTo(Rational.ZERO);
    assertThat(m.cost(d("0.000000000001"))).isEqualTo(q("9.99"));
    assertThat(m.cost(d("1000000"))).isEqualTo(q("9.99"));
  }

  // ------------------------------------------------------------------ per hour

  @Test
  void per_hour_prorates_to_the_second_exactly() {
    PriceModel m = PriceModel.perHour("10");

    assertThat(m.cost(d("5400"))).isEqualTo(q("15")); // 90 minutes
    assertThat(m.cost(d("1"))).isEqualTo(frac(10, 3600));
    assertThat(m.cost(d("1"))).isEqualTo(frac(1, 360));
    assertThat(m.cost(d("3600"))).isEqualTo(q("10"));
    assertThat(m.cost(BigDecimal.ZERO)).isEqualTo(Rational.ZERO);
    // 2 GPUs (level 2) for 30 minutes at 0.75 an hour: 2 * 1800 * 0.75 / 3600 = 0.75
    assertThat(PriceModel.perHour("0.75").cost(d("3600"))).isEqualTo(q("0.75"));
  }

  @Test
  void per_hour_seconds_add_up_to_the_hour_without_loss() {
    PriceModel m = PriceModel.perHour("10");
    Rational sum = Rational.ZERO;
    for (int s = 0; s < 3600; s++) {
      sum = sum.plus(m.cost(BigDecimal.ONE));
    }

    assertThat(sum).isEqualTo(q("10"));
  }

  // ------------------------------------------------------------------ validation

  @Test
  void negative_prices_are_refused_naming_the_field() {
    assertThat(refused(() -> PriceModel.perUnit("-0.0001")).field()).isEqualTo("price");
    assertThat(refused(() -> new PriceModel.PerUnit(null)).field()).isEqualTo("price");
    assertThat(refused(() -> PriceModel.perPackage("1000", "-1")).field()).isEqualTo("price");
    assertThat(refused(() -> PriceModel.flatFee("-9.99")).field()).isEqualTo("fee");
    assertThat(refused(() -> new PriceModel.FlatFee(null)).field()).isEqualTo("fee");
    assertThat(refused(() -> PriceModel.perHour("-10")).field()).isEqualTo("rate");
    assertThat(refused(() -> new PriceModel.PerHour(null)).field()).isEqualTo("rate");
    assertThat(refused(() -> Tier.upTo("10", "-0.01")).field()).isEqualTo("unitPrice");
    assertThat(refused(() -> Tier.rest("-0.01")).field()).isEqualTo("unitPrice");
    assertThat(refused(() -> Tier.rest("1").withFlat("-1")).field()).isEqualTo("flat");
    assertThat(refused(() -> new Tier(Optional.empty(), BigDecimal.ONE, null)).field())
        .isEqualTo("flat");
  }

  @Test
  void the_refused_value_is_reported_as_given() {
    InvalidRequestException e = refused(() -> PriceModel.perUnit("-0.0001"));

    assertThat(e.value()).isEqualTo("-0.0001");
    assertThat(e.getMessage()).contains("price").contains("negative");
  }

  @Test
  void text_that_is_not_a_decimal_is_refused_naming_the_field() {
    assertThat(refused(() -> PriceModel.perUnit("cheap")).field()).isEqualTo("price");
    assertThat(refused(() -> PriceModel.perUnit(null)).field()).isEqualTo("price");
    assertThat(refused(() -> PriceModel.perPackage("many", "1")).field()).isEqualTo("size");
    assertThat(refused(() -> PriceModel.flatFee("")).field()).isEqualTo("fee");
    assertThat(refused(() -> PriceModel.perHour("1,5")).field()).isEqualTo("rate");
    assertThat(refused(() -> Tier.upTo("lots", "1")).field()).isEqualTo("upTo");
    assertThat(refused(() -> Tier.upTo("10", "x")).field()).isEqualTo("unitPrice");
    assertThat(refused(() -> Tier.rest("1").withFlat("x")).field()).isEqualTo("flat");
  }

  @Test
  void tier_bounds_must_be_positive() {
    assertThat(refused(() -> Tier.upTo("0", "1")).field()).isEqualTo("upTo");
    assertThat(refused(() -> Tier.upTo("-5", "1")).field()).isEqualTo("upTo");
    assertThat(refused(() -> new Tier(null, BigDecimal.ONE, BigDecimal.ZERO)).field())
        .isEqualTo("upTo");
  }

  @Test
  void tiers_must_not_be_empty() {
    assertThat(refused(() -> PriceModel.graduated()).field()).isEqualTo("tiers");
    assertThat(refused(() -> PriceModel.volume()).field()).isEqualTo("tiers");
    assertThat(refused(() -> new PriceModel.Graduated(null)).field()).isEqualTo("tiers");
    assertThat(refused(() -> new PriceModel.Volume(null)).field()).isEqualTo("tiers");
  }

  @Test
  void only_the_last_tier_is_unbounded_and_it_must_be() {
    assertThat(
            refused(() -> PriceModel.graduated(Tier.rest("0.01"), Tier.upTo("1000", "0.02")))
                .field())
        .isEqualTo("tiers");
    assertThat(refused(() -> PriceModel.volume(Tier.rest("0.01"), Tier.rest("0.02"))).field())
        .isEqualTo("tiers");
    assertThat(refused(() -> PriceModel.graduated(Tier.upTo("1000", "0.02"))).field())
        .isEqualTo("tiers");
    assertThat(
            refused(() -> PriceModel.volume(Tier.upTo("1000", "0.02"), Tier.upTo("2000", "0.01")))
                .field())
        .isEqualTo("tiers");
  }

  @Test
  void tier_bounds_must_increase() {
    InvalidRequestException equal =
        refused(
            () ->
                PriceModel.graduated(
                    Tier.upTo("1000", "0.02"), Tier.upTo("1000", "0.01"), Tier.rest("0")));
    InvalidRequestException falling =
        refused(
            () ->
                PriceModel.volume(
                    Tier.upTo("1000", "0.02"), Tier.upTo("999.99", "0.01"), Tier.rest("0")));

    assertThat(equal.field()).isEqualTo("tiers");
    assertThat(falling.field()).isEqualTo("tiers");
    assertThat(falling.value()).isEqualTo("999.99");
  }

  @Test
  void tiers_are_copied_so_a_later_change_to_the_list_changes_nothing() {
    List<Tier> tiers = new ArrayList<>(List.of(Tier.upTo("1000", "0.02"), Tier.rest("0.01")));
    PriceModel.Graduated m = new PriceModel.Graduated(tiers);
    tiers.clear();

    assertThat(m.tiers()).hasSize(2);
    assertThat(m.cost(d("1500"))).isEqualTo(q("25"));
  }

  @Test
  void package_size_must_be_positive() {
    assertThat(refused(() -> PriceModel.perPackage("0", "2")).field()).isEqualTo("size");
    assertThat(refused(() -> PriceModel.perPackage("-1000", "2")).field()).isEqualTo("size");
    assertThat(refused(() -> new PriceModel.Package(null, BigDecimal.ONE)).field())
        .isEqualTo("size");
  }

  // ------------------------------------------------------------------ rules and meter prices

  @Test
  void the_first_matching_rule_prices_the_usage() {
    MeterPrice price =
        MeterPrice.in(CREDITS)
            .when(Map.of("model", "gpt-4o", "direction", "input"), PriceModel.perUnit("0.0025"))
            .when(Map.of("model", "gpt-4o"), PriceModel.perUnit("0.01"))
            .when(Map.of("model", "gpt-4o", "direction", "output"), PriceModel.perUnit("99"))
            .otherwise(PriceModel.perUnit("0.0001"))
            .build();

    assertThat(price.ruleFor(Map.of("model", "gpt-4o", "direction", "input", "user", "bob")))
        .contains(0);
    // Rule 2 also matches, but rule 1 comes first.
    assertThat(price.ruleFor(Map.of("model", "gpt-4o", "direction", "output"))).contains(1);
    assertThat(price.ruleFor(Map.of("model", "small"))).contains(3);
    assertThat(price.ruleFor(Map.of())).contains(3);
  }

  @Test
  void usage_no_rule_matches_has_no_rule() {
    MeterPrice price =
        MeterPrice.in(CREDITS).when(Map.of("model", "gpt-4o"), PriceModel.perUnit("1")).build();

    assertThat(price.ruleFor(Map.of("model", "claude"))).isEmpty();
    assertThat(price.ruleFor(Map.of())).isEmpty();
    assertThat(price.ruleFor(Map.of("model", "GPT-4O"))).isEmpty();
  }

  @Test
  void one_model_for_all_usage_matches_everything_and_includes_nothing() {
    MeterPrice price = MeterPrice.of(CREDITS, PriceModel.perUnit("1"));

    assertThat(price.ruleFor(Map.of("anything", "at-all"))).contains(0);
    assertThat(price.includedPerPeriod()).isEqualByComparingTo("0");
    assertThat(price.withIncluded(d("1000")).includedPerPeriod()).isEqualByComparingTo("1000");
  }

  @Test
  void a_meter_price_refuses_what_it_cannot_price_naming_the_field() {
    PriceModel one = PriceModel.perUnit("1");

    assertThat(refused(() -> MeterPrice.in(CREDITS).build()).field()).isEqualTo("rules");
    assertThat(refused(() -> new MeterPrice(CREDITS, null, BigDecimal.ZERO)).field())
        .isEqualTo("rules");
    assertThat(refused(() -> MeterPrice.of(null, one)).field()).isEqualTo("unit");
    assertThat(refused(() -> MeterPrice.in(null)).field()).isEqualTo("unit");
    assertThat(refused(() -> MeterPrice.of(CREDITS, one).withIncluded(d("-1"))).field())
        .isEqualTo("includedPerPeriod");
    assertThat(refused(() -> MeterPrice.of(CREDITS, one).withIncluded(null)).field())
        .isEqualTo("includedPerPeriod");
    assertThat(
            refused(() -> MeterPrice.in(CREDITS).otherwise(one).includedPerPeriod("some")).field())
        .isEqualTo("includedPerPeriod");
    assertThat(
            refused(() -> MeterPrice.in(CREDITS).otherwise(one).includedPerPeriod("-5").build())
                .field())
        .isEqualTo("includedPerPeriod");
  }

  @Test
  void a_rule_refuses_blank_or_missing_parts_naming_the_field() {
    PriceModel one = PriceModel.perUnit("1");

    assertThat(refused(() -> new PriceRule(null, one)).field()).isEqualTo("when");
    assertThat(refused(() -> new PriceRule(Map.of(), null)).field()).isEqualTo("model");
    assertThat(refused(() -> new PriceRule(Map.of("model", " "), one)).field())
        .isEqualTo("when.model");
  }

  // ------------------------------------------------------------------ price books

  @Test
  void a_price_book_must_say_how_to_round() {
    assertThat(refused(() -> PriceBook.builder(RoundingMode.UNNECESSARY)).field())
        .isEqualTo("rounding");
    assertThat(refused(() -> PriceBook.builder(null)).field()).isEqualTo("rounding");
  }

  @Test
  void a_price_book_refuses_to_price_a_meter_twice() {
    PriceBook.Builder b =
        PriceBook.builder(RoundingMode.HALF_EVEN)
            .meter("llm-tokens", MeterPrice.of(CREDITS, PriceModel.perUnit("1")));

    InvalidRequestException e =
        refused(() -> b.meter("llm-tokens", MeterPrice.of(CREDITS, PriceModel.perUnit("2"))));

    assertThat(e.field()).isEqualTo("meter");
    assertThat(e.value()).isEqualTo("llm-tokens");
    // The first price stands.
    Meter meter = Meter.builder(ACME, "llm-tokens", Aggregation.SUM).unit("tokens").build();
    assertThat(b.build().priceFor(ACME, AccountId.of("a"), meter).orElseThrow().rules().get(0))
        .isEqualTo(new PriceRule(Map.of(), PriceModel.perUnit("1")));
  }

  @Test
  void a_price_book_finds_prices_by_meter_key_and_states_its_rounding() {
    MeterPrice tokens = MeterPrice.of(CREDITS, PriceModel.perUnit("0.0002"));
    PriceBook book = PriceBook.builder(RoundingMode.CEILING).meter("llm-tokens", tokens).build();

    assertThat(book.rounding()).isEqualTo(RoundingMode.CEILING);
    assertThat(
            book.priceFor(
                ACME,
                AccountId.of("a"),
                Meter.builder(ACME, "llm-tokens", Aggregation.SUM).unit("tokens").build()))
        .contains(tokens);
    assertThat(
            book.priceFor(
                ACME,
                AccountId.of("a"),
                Meter.builder(ACME, "storage", Aggregation.MAX).unit("GB").build()))
        .isEmpty();
    assertThat(refused(() -> PriceBook.builder(RoundingMode.UP).meter(null, tokens)).field())
        .isEqualTo("meter");
    assertThat(refused(() -> PriceBook.builder(RoundingMode.UP).meter("x", null)).field())
        .isEqualTo("price");
  }
}
