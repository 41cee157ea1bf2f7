package dev.billingsdk.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.BillingException;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.metering.PriceModel.Tier;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.Rational;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.testing.TestClock;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Hostile but legal prices and quantities, the extremes included: prices of 10^-60 to 60-digit
 * numbers (per unit, per hour, per package of any size, graduated and volume tiers with any bounds
 * and flats, flat fees), quantities from 10^-12 to just below 10^18, an allowance of any size,
 * credit units of scale 0 to 12, any rounding mode a book may state.
 *
 * <ol>
 *   <li>{@link #pricing_a_legal_quantity_returns_the_exact_cost_or_a_typed_overflow} (1000 tries):
 *       {@link PriceModel#cost} never throws; {@link Metering#estimate} and {@link Metering#price}
 *       return the one rounding of the exact cost when it fits a long of minor units, else throw a
 *       {@link RatingOverflowException} naming the meter, the account and the quantity; never any
 *       other exception.
 *   <li>{@link #a_deduction_meeting_an_overflow_posts_nothing_for_that_account} (1000 tries): one
 *       account with such usage and one with ordinary usage, deducted (dry, then for real) in the
 *       same run. The ordinary account is always deducted. The hostile one is deducted exactly when
 *       its cost fits; otherwise the run reports it with a {@link RatingOverflowException} naming
 *       the meter, the quantity and the window, and its ledger and balance are untouched. Every
 *       failure's cause is a {@link BillingException}.
 * </ol>
 */
class OverflowPropertiesTest {
  static final TenantId ACME = TenantId.of("acme");
  static final Actor ADMIN = Actor.of("alice", Role.ADMIN);
  static final Actor COLLECTOR = Actor.system("usage-collector");
  static final String METER = "units";
  static final AccountId HOSTILE = AccountId.of("hostile");
  static final AccountId ORDINARY = AccountId.of("ordinary");
  static final Instant START = Instant.parse("2026-11-02T10:00:00Z");
  static final Map<String, String> DIMENSIONS = Map.of("model", "m1");

  record Case(
      PriceModel model,
      BigDecimal included,
      BigDecimal quantity,
      int scale,
      RoundingMode rounding) {
    CreditUnit unit() {
      return CreditUnit.of("CREDIT", scale);
    }

    /** The exact cost of {@code aggregate} in minor units, rounded with {@code mode}. */
    BigInteger minor(BigDecimal aggregate, RoundingMode mode) {
      return model
          .cost(aggregate)
          .times(Rational.of(BigInteger.TEN.pow(scale), BigInteger.ONE))
          .round(mode);
    }
  }

  // ------------------------------------------------------------------ estimates and prices

  @Property(tries = 1000)
  void pricing_a_legal_quantity_returns_the_exact_cost_or_a_typed_overflow(
      @ForAll("cases") Case c) {
    World w = new World(c);
    BigInteger estimate = c.minor(c.quantity(), RoundingMode.CEILING);
    check(
        c,
        estimate,
        () -> w.billing.metering().estimate(ACME, HOSTILE, METER, c.quantity(), DIMENSIONS));
    BigInteger price = c.minor(c.quantity(), c.rounding());
    check(
        c, price, () -> w.billing.metering().price(ACME, HOSTILE, METER, c.quantity(), DIMENSIONS));
  }

  private static void check(Case c, BigInteger expected, java.util.function.Supplier<Amount> call) {
    boolean fits = expected.bitLength() < Long.SIZE;
    Statistics.label("estimate or price").collect(fits ? "fits" : "overflows");
    Amount result;
    try {
      result = call.get();
    } catch (RatingOverflowException e) {
      assertThat(fits).as("refused %s although %s fits", c, expected).isFalse();
      assertThat(e.meter()).isEqualTo(METER);
      assertThat(e.account()).isEqualTo(HOSTILE);
      assertThat(e.tenant()).isEqualTo(ACME);
      assertThat(e.quantity()).isEqualByComparingTo(c.quantity());
      assertThat(e.unit()).isEqualTo(c.unit());
      return;
    } catch (BillingException e) {
      throw new AssertionError("a typed refusal other than an overflow for " + c, e);
    } catch (RuntimeException e) {
      throw new AssertionError("an untyped exception escaped for " + c, e);
    }
    assertThat(fits).as("%s does not fit a long, but was priced %s", expected, result).isTrue();
    assertThat(result).isEqualTo(Amount.ofMinor(c.unit(), expected.longValueExact()));
  }

  // ------------------------------------------------------------------ the deduction

  @Property(tries = 1000)
  void a_deduction_meeting_an_overflow_posts_nothing_for_that_account(@ForAll("cases") Case c) {
    World w = new World(c);
    w.clock.set(START.plusSeconds(15 * 60));
    w.billing
        .metering()
        .ingest(
            List.of(
                UsageEvent.builder(ACME, HOSTILE, METER)
                    .id("h1")
                    .quantity(c.quantity())
                    .occurredAt(w.clock.instant())
                    .dimensions(DIMENSIONS)
                    .build(),
                UsageEvent.builder(ACME, ORDINARY, METER)
                    .id("o1")
                    .quantity(new BigDecimal("3"))
                    .occurredAt(w.clock.instant())
                    .dimensions(DIMENSIONS)
                    .build()),
            COLLECTOR);
    List<LedgerTransaction> hostileBefore = w.billing.ledger().transactions(ACME, HOSTILE);
    Amount hostileBalance = w.billing.credits().balance(ACME, HOSTILE).available();
    List<LedgerTransaction> ordinaryBefore = w.billing.ledger().transactions(ACME, ORDINARY);

    BigDecimal priced = c.quantity().subtract(c.included()).max(BigDecimal.ZERO);
    BigInteger expected = c.minor(priced, c.rounding());
    boolean fits = expected.bitLength() < Long.SIZE;
    Statistics.label("hostile account's cost").collect(fits ? "fits" : "overflows");
    // 3 units at 0.01 each, rounded in the unit.
    long ordinary =
        new BigDecimal("0.03").movePointRight(c.scale()).setScale(0, c.rounding()).longValueExact();

    w.clock.set(START.plus(Duration.ofMinutes(65)));
    for (boolean dry : new boolean[] {true, false}) {
      DeductionReport report = dry ? w.billing.deductions().dryRun() : w.billing.deductions().run();
      for (DeductionReport.Failure f : report.failures()) {
        assertThat(f.cause()).as("cause of %s", f).isInstanceOf(BillingException.class);
      }
      assertThat(report.failures())
          .as("the ordinary account is always deducted")
          .noneMatch(f -> f.account().equals(ORDINARY));
      assertThat(sum(report, ORDINARY)).isEqualTo(ordinary);
      if (fits) {
        assertThat(report.failures()).as("%s fits", expected).isEmpty();
        assertThat(sum(report, HOSTILE)).isEqualTo(expected.longValueExact());
      } else {
        assertThat(report.failures()).hasSize(1);
        DeductionReport.Failure f = report.failures().get(0);
        assertThat(f.account()).isEqualTo(HOSTILE);
        assertThat(f.meter()).isEqualTo(METER);
        assertThat(f.cause()).isInstanceOf(RatingOverflowException.class);
        RatingOverflowException e = (RatingOverflowException) f.cause();
        assertThat(e.meter()).isEqualTo(METER);
        assertThat(e.account()).isEqualTo(HOSTILE);
        assertThat(e.quantity()).isEqualByComparingTo(c.quantity());
        assertThat(e.windowStart()).contains(START.plusSeconds(15 * 60));
        assertThat(e.windowEnd()).contains(START.plus(Duration.ofHours(1)));
        assertThat(report.postings()).noneMatch(p -> p.account().equals(HOSTILE));
      }
      if (dry) {
        assertThat(w.billing.ledger().transactions(ACME, ORDINARY)).isEqualTo(ordinaryBefore);
      }
    }
    if (fits) {
      return;
    }
    // Nothing was posted for the hostile account: same ledger, same balance.
    assertThat(w.billing.ledger().transactions(ACME, HOSTILE)).isEqualTo(hostileBefore);
    assertThat(w.billing.credits().balance(ACME, HOSTILE).available()).isEqualTo(hostileBalance);
  }

  private static long sum(DeductionReport report, AccountId account) {
    return report.postings().stream()
        .filter(p -> p.account().equals(account))
        .mapToLong(p -> p.amount().minor())
        .sum();
  }

  /** A billing where the hostile account pays the case's price and the ordinary one 0.01 a unit. */
  static final class World {
    final TestClock clock = new TestClock(START);
    final Billing billing;

    World(Case c) {
      CreditUnit unit = c.unit();
      MeterPrice hostile =
          new MeterPrice(unit, List.of(new PriceRule(Map.of(), c.model())), c.included());
      MeterPrice ordinary = MeterPrice.of(unit, new PriceModel.PerUnit(new BigDecimal("0.01")));
      PriceBook book =
          new PriceBook() {
            @Override
            public Optional<MeterPrice> priceFor(TenantId tenant, AccountId account, Meter meter) {
              return Optional.of(account.equals(HOSTILE) ? hostile : ordinary);
            }

            @Override
            public RoundingMode rounding() {
              return c.rounding();
            }
          };
      billing =
          Billing.builder()
              .store(InMemoryBillingStore.create())
              .clock(clock)
              .metering(MeteringSettings.of(book, Duration.ofHours(1)))
              .build();
      billing
          .metering()
          .defineMeter(
              Meter.builder(ACME, METER, Aggregation.SUM).unit("units").dimensions("model").build(),
              ADMIN);
      for (AccountId a : List.of(HOSTILE, ORDINARY)) {
        billing
            .credits()
            .openAccount(OpenAccountRequest.builder(ACME, a, unit).actor(ADMIN).build());
        billing
            .credits()
            .grant(
                GrantRequest.builder(ACME, a, Amount.ofMinor(unit, Long.MAX_VALUE))
                    .idempotencyKey(IdempotencyKey.of("all-a-long-holds-" + a.value()))
                    .actor(ADMIN)
                    .reason("enough that any cost that fits is paid")
                    .build());
      }
    }
  }

  // ------------------------------------------------------------------ generators

  @Provide
  Arbitrary<Case> cases() {
    return Combinators.combine(
            models(),
            Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(BigDecimal.ZERO)), Tuple.of(1, decimals())),
            quantities(),
            Arbitraries.integers().between(0, CreditUnit.MAX_SCALE),
            Arbitraries.of(RoundingMode.class).filter(m -> m != RoundingMode.UNNECESSARY))
        .as(Case::new);
  }

  /** Legal decimals, never negative, weighted to the extremes. */
  static Arbitrary<BigDecimal> decimals() {
    Arbitrary<BigDecimal> extreme =
        Arbitraries.of(
                "0",
                "1e-60",
                "0.000000000001",
                "0.0002",
                "0.01",
                "1",
                "9.22",
                "3600",
                "1e15",
                "1e18",
                "1e40",
                "9".repeat(60),
                "9".repeat(60) + "e-60",
                "9".repeat(60) + "e60",
                "1e60")
            .map(BigDecimal::new);
    Arbitrary<BigDecimal> random =
        Combinators.combine(
                Arbitraries.bigIntegers()
                    .between(BigInteger.ZERO, BigInteger.TEN.pow(60).subtract(BigInteger.ONE)),
                Arbitraries.integers().between(-60, 60))
            .as(BigDecimal::new);
    return Arbitraries.frequencyOf(Tuple.of(2, extreme), Tuple.of(1, random));
  }

  static Arbitrary<BigDecimal> positiveDecimals() {
    return decimals().filter(d -> d.signum() > 0);
  }

  /** Legal usage quantities: at most 12 decimals, below 10^18. */
  static Arbitrary<BigDecimal> quantities() {
    Arbitrary<BigDecimal> extreme =
        Arbitraries.of(
                "0",
                "0.000000000001",
                "1",
                "3600",
                "100000000000000000",
                "999999999999999999",
                "999999999999999999.999999999999")
            .map(BigDecimal::new);
    Arbitrary<BigDecimal> random =
        Arbitraries.bigIntegers()
            .between(BigInteger.ZERO, BigInteger.TEN.pow(30).subtract(BigInteger.ONE))
            .map(u -> new BigDecimal(u, 12))
            .map(UsageEvent::checkQuantity);
    return Arbitraries.frequencyOf(Tuple.of(1, extreme), Tuple.of(1, random));
  }

  static Arbitrary<PriceModel> models() {
    return Arbitraries.oneOf(
        decimals().map(PriceModel.PerUnit::new),
        decimals().map(PriceModel.PerHour::new),
        decimals().map(PriceModel.FlatFee::new),
        Combinators.combine(positiveDecimals(), decimals()).as(PriceModel.Package::new),
        tiers().map(PriceModel.Graduated::new),
        tiers().map(PriceModel.Volume::new));
  }

  static Arbitrary<List<Tier>> tiers() {
    return Combinators.combine(
            positiveDecimals().set().ofMinSize(0).ofMaxSize(3),
            decimals().list().ofSize(4),
            decimals().list().ofSize(4))
        .as(
            (bounds, prices, flats) -> {
              List<Tier> tiers = new ArrayList<>();
              int i = 0;
              for (BigDecimal upTo : new TreeSet<>(bounds)) {
                tiers.add(new Tier(Optional.of(upTo), prices.get(i), flats.get(i)));
                i++;
              }
              tiers.add(new Tier(Optional.empty(), prices.get(i), flats.get(i)));
              return tiers;
            });
  }
}
