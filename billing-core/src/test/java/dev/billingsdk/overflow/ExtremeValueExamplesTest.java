package dev.billingsdk.overflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.CreditPackage;
import dev.billingsdk.catalogue.GrantTemplate;
import dev.billingsdk.catalogue.ItemStatus;
import dev.billingsdk.catalogue.PackageId;
import dev.billingsdk.catalogue.Revision;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.metering.Aggregation;
import dev.billingsdk.metering.DeductionPosting;
import dev.billingsdk.metering.DeductionReport;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.MeterPrice;
import dev.billingsdk.metering.MeteringSettings;
import dev.billingsdk.metering.PriceBook;
import dev.billingsdk.metering.PriceModel;
import dev.billingsdk.metering.PriceModel.Tier;
import dev.billingsdk.metering.RatingOverflowException;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.AmountOverflowException;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.statement.UsageRow;
import dev.billingsdk.testing.TestClock;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The holes the extreme-value properties ({@code ExtremeValuesPropertiesTest}, {@code
 * ExtremeUsagePropertiesTest}) found, each pinned by name, and the extreme quantities and credit
 * units an estimate and a deduction meet: a typed {@link dev.billingsdk.BillingException} naming
 * the field, never a raw {@link ArithmeticException} or a wrapped-around value.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ExtremeValueExamplesTest {
  static final TenantId ACME = TenantId.of("acme");
  static final Actor ADMIN = Actor.of("alice", Role.ADMIN);
  static final Actor COLLECTOR = Actor.system("usage-collector");

  /** Credits in trillionths: the finest unit the library allows. */
  static final CreditUnit PICO = CreditUnit.of("PICO", CreditUnit.MAX_SCALE);

  static final AccountId WHALE = AccountId.of("whale");
  static final String TOKENS = "tokens";
  static final Map<String, String> MODEL = Map.of("model", "m1");
  static final Instant MONDAY = Instant.parse("2026-11-02T10:00:00Z");

  // ------------------------------------------------------------------ holes found

  @Test
  void a_package_size_beyond_the_input_contract_is_refused_when_built_naming_size() {
    // Was accepted, then refused only when pricing, naming "value" instead of "size".
    InvalidRequestException refused =
        catchThrowableOfType(
            InvalidRequestException.class,
            () -> new PriceModel.Package(new BigDecimal("1e-61"), BigDecimal.ONE));
    assertThat(refused.field()).isEqualTo("size");

    // The contract's edge is still a package size, and priced as before.
    PriceModel edge = new PriceModel.Package(new BigDecimal("1e-60"), BigDecimal.ONE);
    assertThat(edge.cost(new BigDecimal("1e-60")).toString()).isEqualTo("1");
  }

  @Test
  void a_cost_per_credit_that_needs_rounding_under_unnecessary_is_refused_naming_rounding() {
    // USD 10.00 for 1,250 credits is 1/125 = 0.008 a credit: exact to 3 places, not to 2.
    CreditPackage pkg = creditPackage(1_000, 250, 1_000);
    assertThat(pkg.costPerCredit(3, RoundingMode.UNNECESSARY)).isEqualByComparingTo("0.008");

    // Was a raw ArithmeticException ("Rounding necessary").
    InvalidRequestException refused =
        catchThrowableOfType(
            InvalidRequestException.class, () -> pkg.costPerCredit(2, RoundingMode.UNNECESSARY));
    assertThat(refused.field()).isEqualTo("rounding");
    assertThat(refused.getMessage()).contains("1/125").contains("2 decimal places");
  }

  @ParameterizedTest
  @ValueSource(ints = {Integer.MIN_VALUE, -61, 61, Integer.MAX_VALUE})
  void a_cost_per_credit_to_a_scale_no_decimal_of_the_library_has_is_refused_naming_scale(
      int scale) {
    // Integer.MIN_VALUE was a raw ArithmeticException ("Underflow"); Integer.MAX_VALUE would
    // compute two billion digits.
    CreditPackage pkg = creditPackage(1_000, 250, 1_000);
    InvalidRequestException refused =
        catchThrowableOfType(
            InvalidRequestException.class, () -> pkg.costPerCredit(scale, RoundingMode.HALF_UP));
    assertThat(refused.field()).isEqualTo("scale");
    // The edges of the range still work.
    assertThat(pkg.costPerCredit(60, RoundingMode.HALF_UP)).isEqualByComparingTo("0.008");
    assertThat(pkg.costPerCredit(-60, RoundingMode.HALF_UP)).isEqualByComparingTo("0");
  }

  @Test
  void a_running_usage_row_beyond_a_long_of_seconds_refuses_its_duration_instead_of_wrapping() {
    // A month (2,592,000 s) of an instance at a level of 10^13: 2.592 * 10^19 level-seconds.
    UsageRow huge = row(new BigDecimal("25920000000000000000"));
    // Was Duration.ofSeconds(quantity.longValue()): 7,473,255,962,290,448,384 seconds, wrapped.
    AmountOverflowException refused =
        catchThrowableOfType(AmountOverflowException.class, huge::duration);
    assertThat(refused.getMessage()).contains("25920000000000000000").contains(TOKENS);

    // Whole seconds below 2^63 are the duration as before, fractions cut off.
    assertThat(row(new BigDecimal("9223372036854775807.9")).duration())
        .isEqualTo(Duration.ofSeconds(Long.MAX_VALUE));
    assertThat(row(new BigDecimal("3600.5")).duration()).isEqualTo(Duration.ofHours(1));
    assertThat(
            catchThrowableOfType(
                AmountOverflowException.class,
                () -> row(new BigDecimal("9223372036854775808")).duration()))
        .isNotNull();
  }

  // ------------------------------------------------------------------ estimates

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1e30",
        "1000000000000000000",
        "0.000000000000000000000000000001",
        "0.0000000000001",
        "1e-1000",
        "-1"
      })
  void an_estimate_of_a_quantity_beyond_the_contract_is_refused_naming_quantity(String quantity) {
    Billing billing = world(PriceModel.perUnit("0.01"));
    for (boolean estimate : new boolean[] {true, false}) {
      InvalidRequestException refused =
          catchThrowableOfType(
              InvalidRequestException.class,
              () -> price(billing, estimate, new BigDecimal(quantity)));
      assertThat(refused.field()).as(quantity).isEqualTo("quantity");
    }
  }

  @Test
  void an_estimate_in_the_finest_credit_unit_fits_up_to_a_long_of_trillionths_and_no_further() {
    // 10^-12 credits a token is one minor unit a token.
    Billing billing = world(PriceModel.perUnit("0.000000000001"));
    BigDecimal most = new BigDecimal("999999999999999999.999999999999");
    // 999,999,999,999,999,999.999999999999 minor units, rounded up: 10^18, a long holds it.
    assertThat(price(billing, true, most))
        .isEqualTo(Amount.ofMinor(PICO, 1_000_000_000_000_000_000L));
    assertThat(price(billing, false, most))
        .isEqualTo(Amount.ofMinor(PICO, 1_000_000_000_000_000_000L));

    // Ten times the price: 10^19 minor units, past a long.
    Billing dearer = world(PriceModel.perUnit("0.00000000001"));
    RatingOverflowException refused =
        catchThrowableOfType(RatingOverflowException.class, () -> price(dearer, true, most));
    assertThat(refused.quantity()).isEqualByComparingTo(most);
    assertThat(refused.unit()).isEqualTo(PICO);
  }

  // ------------------------------------------------------------------ the deduction

  @Test
  void volume_tiers_give_back_nearly_a_long_of_trillionths_when_usage_crosses_into_a_cheap_tier() {
    // Up to 9,000,000 tokens at 1 credit (9 * 10^18 minor units), then all at 10^-12.
    World w =
        worldWithClock(PriceModel.volume(Tier.upTo("9000000", "1"), Tier.rest("0.000000000001")));
    Billing billing = w.billing();
    TestClock clock = w.clock();
    send(billing, clock, "a", "9000000", MONDAY.plusSeconds(15 * 60));
    clock.set(MONDAY.plusSeconds(65 * 60));
    DeductionReport first = billing.deductions().run();
    assertThat(first.failures()).isEmpty();
    assertThat(first.postings())
        .extracting(DeductionPosting::amount)
        .containsExactly(Amount.ofMinor(PICO, 9_000_000_000_000_000_000L));

    // One more token: 9,000,001 tokens at 10^-12 are 9,000,001 minor units in all.
    send(billing, clock, "b", "1", MONDAY.plusSeconds(75 * 60));
    clock.set(MONDAY.plusSeconds(125 * 60));
    DeductionReport second = billing.deductions().run();
    assertThat(second.failures()).isEmpty();
    assertThat(second.postings())
        .extracting(DeductionPosting::amount)
        .containsExactly(Amount.ofMinor(PICO, 9_000_001L - 9_000_000_000_000_000_000L));
    assertThat(billing.credits().balance(ACME, WHALE).available())
        .isEqualTo(Amount.ofMinor(PICO, Long.MAX_VALUE - 9_000_001L));
  }

  // ------------------------------------------------------------------ helpers

  /** A billing and the clock it reads. */
  record World(Billing billing, TestClock clock) {}

  /** A billing whose whale pays {@code model} per token in PICO and holds a long of it. */
  static Billing world(PriceModel model) {
    return worldWithClock(model).billing();
  }

  static World worldWithClock(PriceModel model) {
    TestClock clock = new TestClock(MONDAY);
    PriceBook book =
        PriceBook.builder(RoundingMode.HALF_EVEN).meter(TOKENS, MeterPrice.of(PICO, model)).build();
    Billing billing =
        Billing.builder()
            .store(InMemoryBillingStore.create())
            .clock(clock)
            .metering(MeteringSettings.of(book, Duration.ofHours(1)))
            .build();
    billing
        .metering()
        .defineMeter(
            Meter.builder(ACME, TOKENS, Aggregation.SUM).unit("tokens").dimensions("model").build(),
            ADMIN);
    billing
        .credits()
        .openAccount(OpenAccountRequest.builder(ACME, WHALE, PICO).actor(ADMIN).build());
    billing
        .credits()
        .grant(
            GrantRequest.builder(ACME, WHALE, Amount.ofMinor(PICO, Long.MAX_VALUE))
                .idempotencyKey(IdempotencyKey.of("a-long-of-trillionths"))
                .actor(ADMIN)
                .reason("all a long holds")
                .build());
    return new World(billing, clock);
  }

  static Amount price(Billing billing, boolean estimate, BigDecimal quantity) {
    return estimate
        ? billing.metering().estimate(ACME, WHALE, TOKENS, quantity, MODEL)
        : billing.metering().price(ACME, WHALE, TOKENS, quantity, MODEL);
  }

  static void send(Billing billing, TestClock clock, String id, String quantity, Instant at) {
    clock.set(at);
    billing
        .metering()
        .ingest(
            UsageEvent.builder(ACME, WHALE, TOKENS)
                .id(id)
                .quantity(new BigDecimal(quantity))
                .occurredAt(at)
                .dimensions(MODEL)
                .build(),
            COLLECTOR);
  }

  static UsageRow row(BigDecimal quantity) {
    return new UsageRow(
        TOKENS,
        Map.of("instance", "i-1"),
        YearMonth.of(2026, 11),
        Optional.of("i-1"),
        MONDAY,
        quantity,
        Amount.zero(PICO));
  }

  static CreditPackage creditPackage(long credits, long bonus, long cents) {
    CreditUnit credit = CreditUnit.of("CREDIT", 0);
    return new CreditPackage(
        ACME,
        PackageId.of("p"),
        Revision.of(1, dev.billingsdk.catalogue.ChangeKind.CREATED, ADMIN, MONDAY),
        "P",
        Amount.of(credit, credits),
        Amount.of(credit, bonus),
        Amount.ofMinor(CurrencyUnit.of("USD"), cents),
        ItemStatus.ACTIVE,
        GrantTemplate.standard(),
        Map.of());
  }
}
