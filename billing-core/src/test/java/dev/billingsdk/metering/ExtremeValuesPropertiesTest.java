package dev.billingsdk.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.BillingException;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.metering.PriceModel.Tier;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.AmountOverflowException;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Price;
import dev.billingsdk.money.Rational;
import dev.billingsdk.money.RoundingRequiredException;
import dev.billingsdk.money.Unit;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Every public pricing call, fed extreme values (decimals from 10^-30 to 10^30 with up to 30
 * decimals, the input contract's own edges, and values beyond it), either returns what a plain
 * {@link BigDecimal} recomputation says or throws a {@link BillingException}: never a raw {@link
 * ArithmeticException}, never any other runtime exception, never a wrapped-around value.
 *
 * <ol>
 *   <li>{@link #a_price_model_is_refused_typed_or_costs_what_big_decimals_say} (2000 tries): every
 *       model's constructor and {@link PriceModel#cost} of any aggregate;
 *   <li>{@link #an_amount_of_a_decimal_is_exact_rounded_or_refused_typed} (2000 tries): {@link
 *       Amount#of(Unit, BigDecimal, RoundingMode)} in every unit scale up to {@link
 *       CreditUnit#MAX_SCALE};
 *   <li>{@link #a_price_converts_exactly_or_refuses_typed} (2000 tries): {@link Price#convert} of
 *       extreme amounts at extreme prices, every rounding mode;
 *   <li>{@link #rational_rounding_matches_big_decimal_rounding} (2000 tries).
 * </ol>
 *
 * The estimate, price and deduction paths with legal quantities are {@link OverflowPropertiesTest};
 * {@link ExtremeUsagePropertiesTest} rates aggregates beyond one event's limit through the
 * in-memory store; {@code dev.billingsdk.overflow.ExtremeValueExamplesTest} pins each hole found.
 */
class ExtremeValuesPropertiesTest {

  // ------------------------------------------------------------------ price models

  @Property(tries = 2000)
  void a_price_model_is_refused_typed_or_costs_what_big_decimals_say(
      @ForAll("modelInputs") ModelInput input, @ForAll("anyDecimals") BigDecimal aggregate) {
    PriceModel model;
    try {
      model = input.build();
    } catch (BillingException e) {
      Statistics.label("model").collect("refused");
      assertThat(input.beyondContract()).as("refused %s: %s", input, e.getMessage()).isTrue();
      assertThat(e).isInstanceOf(InvalidRequestException.class);
      assertThat(((InvalidRequestException) e).field()).isIn(input.fields());
      return;
    } catch (RuntimeException e) {
      throw new AssertionError("an untyped exception escaped building " + input, e);
    }
    Statistics.label("model").collect("built");
    Rational cost;
    try {
      cost = model.cost(aggregate);
    } catch (BillingException e) {
      Statistics.label("cost").collect("refused");
      assertThat(e).isInstanceOf(InvalidRequestException.class);
      assertThat(((InvalidRequestException) e).field()).isEqualTo("aggregate");
      assertThat(legalAggregate(aggregate)).as("refused %s of %s", aggregate, model).isFalse();
      return;
    } catch (RuntimeException e) {
      throw new AssertionError("an untyped exception escaped pricing " + aggregate, e);
    }
    Statistics.label("cost").collect("priced");
    assertThat(cost).as("%s of %s", aggregate, model).isEqualTo(expectedCost(model, aggregate));
  }

  /** What {@link PriceModel#cost} accepts: every sum or difference of accepted decimals. */
  private static boolean legalAggregate(BigDecimal aggregate) {
    return Math.abs(aggregate.scale()) <= 120 && aggregate.unscaledValue().bitLength() <= 1_000;
  }

  /** The cost recomputed with BigDecimal alone (a third of an hour is the one fraction). */
  static Rational expectedCost(PriceModel model, BigDecimal q) {
    if (model instanceof PriceModel.PerUnit m) {
      return exact(q.multiply(m.price()));
    }
    if (model instanceof PriceModel.PerHour m) {
      return exact(q.multiply(m.rate())).dividedBy(Rational.of(3600));
    }
    if (model instanceof PriceModel.FlatFee m) {
      return q.signum() > 0 ? exact(m.fee()) : Rational.ZERO;
    }
    if (model instanceof PriceModel.Package m) {
      BigDecimal packages = q.divide(m.size(), 0, RoundingMode.CEILING);
      return exact(packages.multiply(m.price()));
    }
    if (model instanceof PriceModel.Volume m) {
      if (q.signum() == 0) {
        return Rational.ZERO;
      }
      for (Tier t : m.tiers()) {
        if (t.upTo().isEmpty() || q.compareTo(t.upTo().get()) <= 0) {
          return exact(q.multiply(t.unitPrice()).add(t.flat()));
        }
      }
      throw new AssertionError("no unbounded tier");
    }
    PriceModel.Graduated m = (PriceModel.Graduated) model;
    BigDecimal total = BigDecimal.ZERO;
    BigDecimal lower = BigDecimal.ZERO;
    for (Tier t : m.tiers()) {
      BigDecimal upper = t.upTo().orElse(null);
      BigDecimal top = upper == null ? q : q.min(upper);
      if (top.compareTo(lower) > 0) {
        total = total.add(top.subtract(lower).multiply(t.unitPrice())).add(t.flat());
      }
      if (upper == null || q.compareTo(upper) <= 0) {
        break;
      }
      lower = upper;
    }
    return exact(total);
  }

  private static Rational exact(BigDecimal value) {
    return value.scale() <= 0
        ? Rational.of(value.toBigIntegerExact(), BigInteger.ONE)
        : Rational.of(value.unscaledValue(), BigInteger.TEN.pow(value.scale()));
  }

  /** A model's parameters before construction, so that a refused construction can be judged. */
  record ModelInput(String kind, List<BigDecimal> values, List<Integer> bounds) {
    PriceModel build() {
      switch (kind) {
        case "perUnit":
          return new PriceModel.PerUnit(values.get(0));
        case "perHour":
          return new PriceModel.PerHour(values.get(0));
        case "flatFee":
          return new PriceModel.FlatFee(values.get(0));
        case "package":
          return new PriceModel.Package(values.get(0), values.get(1));
        default:
          List<Tier> tiers = new ArrayList<>();
          TreeSet<BigDecimal> uppers = new TreeSet<>();
          for (int i : bounds) {
            uppers.add(values.get(i).abs().add(BigDecimal.ONE.movePointLeft(30)));
          }
          int i = 0;
          for (BigDecimal upTo : uppers) {
            tiers.add(new Tier(Optional.of(upTo), values.get(i), values.get(i + 1)));
            i++;
          }
          tiers.add(new Tier(Optional.empty(), values.get(i), values.get(i + 1)));
          return kind.equals("graduated")
              ? new PriceModel.Graduated(tiers)
              : new PriceModel.Volume(tiers);
      }
    }

    /** True if some value is negative or outside the input contract (60 digits, scale ±60). */
    boolean beyondContract() {
      if (kind.equals("package") && values.get(0).signum() <= 0) {
        return true;
      }
      if (kind.equals("graduated") || kind.equals("volume")) {
        for (int i : bounds) {
          BigDecimal u = values.get(i).abs().add(BigDecimal.ONE.movePointLeft(30));
          if (!inContract(u)) {
            return true;
          }
        }
      }
      return values.stream().anyMatch(v -> v.signum() < 0 || !inContract(v));
    }

    List<String> fields() {
      return List.of("price", "rate", "fee", "size", "unitPrice", "flat", "upTo");
    }
  }

  static boolean inContract(BigDecimal v) {
    return Math.abs(v.scale()) <= 60 && v.precision() <= 60;
  }

  @Provide
  Arbitrary<ModelInput> modelInputs() {
    Arbitrary<List<BigDecimal>> values = anyDecimals().list().ofSize(10);
    Arbitrary<List<Integer>> bounds =
        Arbitraries.integers().between(0, 3).list().ofMinSize(0).ofMaxSize(3);
    return Combinators.combine(
            Arbitraries.of("perUnit", "perHour", "flatFee", "package", "graduated", "volume"),
            values,
            bounds)
        .as(ModelInput::new);
  }

  /**
   * Decimals weighted to the extremes: 10^-30 to 10^30 with up to 30 decimals, the contract's edges
   * (60 digits, scale ±60), a few beyond it, and sometimes negative.
   */
  @Provide
  static Arbitrary<BigDecimal> anyDecimals() {
    Arbitrary<BigDecimal> extreme =
        Arbitraries.of(
                "0",
                "1e-30",
                "0.000000000000000000000000000001",
                "123456789.123456789012345678901234567890",
                "1e30",
                "999999999999999999999999999999.999999999999999999999999999999",
                "9223372036854775807",
                "9223372036854775808",
                "1e-60",
                "9".repeat(60),
                "9".repeat(60) + "e60",
                "1e-61",
                "1e61",
                "1e-1000",
                "1" + "0".repeat(70),
                "-1",
                "-1e30")
            .map(BigDecimal::new);
    Arbitrary<BigDecimal> random =
        Combinators.combine(
                Arbitraries.bigIntegers()
                    .between(BigInteger.ZERO, BigInteger.TEN.pow(60).subtract(BigInteger.ONE)),
                Arbitraries.integers().between(-30, 60))
            .as(BigDecimal::new);
    return Arbitraries.frequencyOf(Tuple.of(2, extreme), Tuple.of(3, random));
  }

  // ------------------------------------------------------------------ amounts

  static final List<Unit> UNITS =
      List.of(
          CurrencyUnit.of("USD"),
          CurrencyUnit.of("JPY"),
          CurrencyUnit.of("KWD"),
          CreditUnit.of("CREDIT", 0),
          CreditUnit.of("CREDIT", 6),
          CreditUnit.of("PICO", CreditUnit.MAX_SCALE));

  @Provide
  Arbitrary<Unit> units() {
    return Arbitraries.of(UNITS);
  }

  @Provide
  Arbitrary<RoundingMode> modes() {
    return Arbitraries.of(RoundingMode.class);
  }

  @Property(tries = 2000)
  void an_amount_of_a_decimal_is_exact_rounded_or_refused_typed(
      @ForAll("units") Unit unit,
      @ForAll("anyDecimals") BigDecimal value,
      @ForAll("modes") RoundingMode mode) {
    Outcome<Amount> got = Outcome.of(() -> Amount.of(unit, value, mode));
    if (!inContract(value)) {
      got.refusedAs(InvalidRequestException.class);
      return;
    }
    BigDecimal scaled;
    try {
      scaled = value.setScale(unit.scale(), mode);
    } catch (ArithmeticException inexact) {
      got.refusedAs(RoundingRequiredException.class);
      return;
    }
    BigInteger minor = scaled.unscaledValue();
    if (minor.bitLength() >= Long.SIZE) {
      got.refusedAs(AmountOverflowException.class);
      return;
    }
    assertThat(got.value()).isEqualTo(Amount.ofMinor(unit, minor.longValueExact()));
  }

  // ------------------------------------------------------------------ prices

  @Provide
  Arbitrary<Long> minors() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            Long.MAX_VALUE,
            Long.MIN_VALUE,
            Long.MIN_VALUE + 1,
            -1L,
            0L,
            1L,
            3L,
            1_000_000_000_000L),
        Arbitraries.longs());
  }

  @Property(tries = 2000)
  void a_price_converts_exactly_or_refuses_typed(
      @ForAll("minors") long cost,
      @ForAll("minors") long per,
      @ForAll("minors") long amount,
      @ForAll boolean fromCredits,
      @ForAll("modes") RoundingMode mode) {
    Unit money = CurrencyUnit.of("USD");
    Unit credits = CreditUnit.of("PICO", CreditUnit.MAX_SCALE);
    Price price;
    try {
      price = Price.of(Amount.ofMinor(money, cost), Amount.ofMinor(credits, per));
    } catch (InvalidRequestException e) {
      assertThat(cost < 0 || per <= 0).as("refused %s per %s", cost, per).isTrue();
      return;
    }
    Amount from = Amount.ofMinor(fromCredits ? credits : money, amount);
    Outcome<Amount> got = Outcome.of(() -> price.convert(from, mode));
    if (!fromCredits && cost == 0) {
      got.refusedAs(InvalidRequestException.class);
      return;
    }
    BigDecimal exact =
        new BigDecimal(
            BigInteger.valueOf(amount).multiply(BigInteger.valueOf(fromCredits ? cost : per)));
    BigInteger divisor = BigInteger.valueOf(fromCredits ? per : cost);
    BigInteger minor;
    try {
      minor = exact.divide(new BigDecimal(divisor), 0, mode).toBigIntegerExact();
    } catch (ArithmeticException inexact) {
      got.refusedAs(RoundingRequiredException.class);
      return;
    }
    if (minor.bitLength() >= Long.SIZE) {
      got.refusedAs(AmountOverflowException.class);
      return;
    }
    assertThat(got.value().minor()).isEqualTo(minor.longValueExact());
    assertThat(got.value().unit()).isEqualTo(fromCredits ? money : credits);
  }

  // ------------------------------------------------------------------ rationals

  @Property(tries = 2000)
  void rational_rounding_matches_big_decimal_rounding(
      @ForAll("anyDecimals") BigDecimal numerator,
      @ForAll("anyDecimals") BigDecimal denominator,
      @ForAll("modes") RoundingMode mode) {
    if (denominator.signum() == 0 || !inContract(numerator) || !inContract(denominator)) {
      return;
    }
    Outcome<BigInteger> got =
        Outcome.of(() -> Rational.of(numerator).dividedBy(Rational.of(denominator)).round(mode));
    // Truncated to 500 digits (toward zero): far more than the integer part and any run of zeros
    // of these quotients. When inexact, nudged a tenth of its last digit away from zero, which
    // keeps it in the exact quotient's rounding interval for every mode.
    BigDecimal quotient = numerator.divide(denominator, new MathContext(500, RoundingMode.DOWN));
    boolean exact = quotient.multiply(denominator).compareTo(numerator) == 0;
    if (!exact) {
      quotient =
          quotient.add(
              BigDecimal.valueOf(
                  quotient.signum() == 0
                      ? numerator.signum() * denominator.signum()
                      : quotient.signum(),
                  quotient.scale() + 1));
    }
    BigDecimal whole;
    try {
      whole = quotient.setScale(0, mode);
    } catch (ArithmeticException inexact) {
      got.refusedAs(InvalidRequestException.class);
      return;
    }
    assertThat(got.value()).isEqualTo(whole.toBigIntegerExact());
  }

  // ------------------------------------------------------------------ helpers

  /** What a call did: its value, or the exception it threw (a non-billing one fails at once). */
  static final class Outcome<T> {
    private final T value;
    private final BillingException refusal;

    private Outcome(T value, BillingException refusal) {
      this.value = value;
      this.refusal = refusal;
    }

    static <T> Outcome<T> of(Supplier<T> call) {
      try {
        return new Outcome<>(call.get(), null);
      } catch (BillingException e) {
        return new Outcome<>(null, e);
      } catch (RuntimeException e) {
        throw new AssertionError("an untyped exception escaped: " + e, e);
      }
    }

    T value() {
      if (refusal != null) {
        throw new AssertionError("refused where a value was expected", refusal);
      }
      return value;
    }

    void refusedAs(Class<? extends BillingException> type) {
      assertThat(refusal).as("returned %s where %s was expected", value, type).isInstanceOf(type);
    }
  }
}
