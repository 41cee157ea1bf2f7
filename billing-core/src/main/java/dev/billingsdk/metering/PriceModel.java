package dev.billingsdk.metering;

import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Rational;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * What a period's aggregate of one price rule costs, in major units of the price's credit unit (for
 * a unit of scale 2, {@code 1.5} is 150 minor units). Every model is a function of the period's
 * aggregate alone, which is what lets the deduction job rate a period in any number of windows and
 * post the same total: each window posts the change of the period's cost.
 *
 * <p>Prices are exact decimals and never negative. Costs are exact {@link Rational}s; rounding
 * happens once per posting, with the price book's stated mode.
 */
public sealed interface PriceModel {

  /** The cost of {@code aggregate} (never negative) in major units. */
  Rational cost(BigDecimal aggregate);

  /** {@code price} per unit of quantity. A price of zero makes usage free but still counted. */
  record PerUnit(BigDecimal price) implements PriceModel {
    public PerUnit {
      price = nonNegative(price, "price");
    }

    @Override
    public Rational cost(BigDecimal aggregate) {
      return exact(aggregate).times(price);
    }
  }

  /**
   * Graduated tiers: each unit is priced by the tier it falls in (the first 1,000 at 0.02, the next
   * 9,000 at 0.015, the rest at 0.01), plus each entered tier's flat amount.
   */
  record Graduated(List<Tier> tiers) implements PriceModel {
    public Graduated {
      tiers = Tier.check(tiers);
    }

    @Override
    public Rational cost(BigDecimal aggregate) {
      exact(aggregate); // null or beyond any sum of accepted quantities: refused by name
      Rational total = Rational.ZERO;
      BigDecimal lower = BigDecimal.ZERO;
      for (Tier t : tiers) {
        if (aggregate.compareTo(lower) <= 0 && lower.signum() > 0) {
          break;
        }
        BigDecimal upper = t.upTo().orElse(null);
        BigDecimal inTier =
            upper == null ? aggregate.subtract(lower) : aggregate.min(upper).subtract(lower);
        if (inTier.signum() > 0) {
          total = total.plus(exact(inTier).times(t.unitPrice())).plus(Rational.of(t.flat()));
        }
        if (upper == null) {
          break;
        }
        lower = upper;
      }
      return total;
    }
  }

  /**
   * Volume tiers: every unit is priced by the one tier the whole aggregate falls in, plus that
   * tier's flat amount. Its cost can fall as the aggregate crosses into a cheaper tier; rating then
   * gives the difference back as credit, so the period's total is still the cost of its aggregate.
   */
  record Volume(List<Tier> tiers) implements PriceModel {
    public Volume {
      tiers = Tier.check(tiers);
    }

    @Override
    public Rational cost(BigDecimal aggregate) {
      exact(aggregate);
      if (aggregate.signum() == 0) {
        return Rational.ZERO;
      }
      for (Tier t : tiers) {
        if (t.upTo().isEmpty() || aggregate.compareTo(t.upTo().get()) <= 0) {
          return exact(aggregate).times(t.unitPrice()).plus(Rational.of(t.flat()));
        }
      }
      throw new IllegalStateException("the last tier is unbounded");
    }
  }

  /**
   * {@code price} per started package of {@code size} units: 2,500 units in packages of 1,000 pay
   * for 3 packages.
   */
  record Package(BigDecimal size, BigDecimal price) implements PriceModel {
    public Package {
      // Checked against the input contract here, like every other price parameter: unchecked, a
      // size of 10^-61 was accepted and refused only when pricing, naming "value".
      InputContract.decimal(size, "size");
      if (size.signum() <= 0) {
        throw new InvalidRequestException("size", size.toPlainString(), "must be positive");
      }
      price = nonNegative(price, "price");
    }

    @Override
    public Rational cost(BigDecimal aggregate) {
      BigInteger packages = exact(aggregate).dividedBy(Rational.of(size)).ceiling();
      return Rational.of(packages, BigInteger.ONE).times(price);
    }
  }

  /** A fixed amount for every period in which the rule has any (priced) usage. */
  record FlatFee(BigDecimal fee) implements PriceModel {
    public FlatFee {
      fee = nonNegative(fee, "fee");
    }

    @Override
    public Rational cost(BigDecimal aggregate) {
      return exact(aggregate).signum() > 0 ? Rational.of(fee) : Rational.ZERO;
    }
  }

  /**
   * {@code rate} per hour of running time, for {@link Aggregation#RUNNING_TIME} meters whose
   * quantity is level × seconds: prorated to the second ({@code rate / 3600} a second, exactly).
   */
  record PerHour(BigDecimal rate) implements PriceModel {
    private static final Rational SECONDS_PER_HOUR = Rational.of(3600);

    public PerHour {
      rate = nonNegative(rate, "rate");
    }

    @Override
    public Rational cost(BigDecimal aggregate) {
      return exact(aggregate).times(rate).dividedBy(SECONDS_PER_HOUR);
    }
  }

  /**
   * One tier: units up to {@code upTo} (inclusive; empty for the last, unbounded tier) at {@code
   * unitPrice}, plus {@code flat} once when the tier is entered (graduated) or applies (volume).
   */
  record Tier(Optional<BigDecimal> upTo, BigDecimal unitPrice, BigDecimal flat) {
    public Tier {
      InvalidRequestException.requireNonNull(upTo, "upTo");
      upTo.ifPresent(
          u -> {
            InputContract.decimal(u, "upTo");
            if (u.signum() <= 0) {
              throw new InvalidRequestException("upTo", u.toPlainString(), "must be positive");
            }
          });
      unitPrice = nonNegative(unitPrice, "unitPrice");
      flat = nonNegative(flat, "flat");
    }

    public static Tier upTo(String upTo, String unitPrice) {
      return new Tier(
          Optional.of(decimal(upTo, "upTo")), decimal(unitPrice, "unitPrice"), BigDecimal.ZERO);
    }

    public static Tier rest(String unitPrice) {
      return new Tier(Optional.empty(), decimal(unitPrice, "unitPrice"), BigDecimal.ZERO);
    }

    /** This tier with a flat amount. */
    public Tier withFlat(String flat) {
      return new Tier(upTo, unitPrice, decimal(flat, "flat"));
    }

    static List<Tier> check(List<Tier> tiers) {
      InvalidRequestException.requireNonNull(tiers, "tiers");
      if (tiers.isEmpty()) {
        throw new InvalidRequestException("tiers", tiers, "must not be empty");
      }
      for (int i = 0; i < tiers.size(); i++) {
        InvalidRequestException.requireNonNull(tiers.get(i), "tiers[" + i + "]");
      }
      tiers = List.copyOf(tiers);
      BigDecimal last = BigDecimal.ZERO;
      for (int i = 0; i < tiers.size(); i++) {
        Optional<BigDecimal> upTo = tiers.get(i).upTo();
        boolean isLast = i == tiers.size() - 1;
        if (isLast != upTo.isEmpty()) {
          throw new InvalidRequestException(
              "tiers", tiers, "only the last tier, and it always, is unbounded (no upTo)");
        }
        if (upTo.isPresent()) {
          if (upTo.get().compareTo(last) <= 0) {
            throw new InvalidRequestException(
                "tiers", upTo.get().toPlainString(), "upTo must increase from tier to tier");
          }
          last = upTo.get();
        }
      }
      return tiers;
    }
  }

  /**
   * An aggregate (or the part of it in a tier) as an exact fraction. Unlike an input, it may have
   * more than {@value InputContract#MAX_DECIMAL_DIGITS} significant digits: usage below 10^18 less
   * an allowance of 60 decimals has 78, and is priced all the same. Its scale stays within what
   * sums and differences of accepted decimals reach, and its digits to about 300, which bounds the
   * work.
   */
  private static Rational exact(BigDecimal value) {
    InvalidRequestException.requireNonNull(value, "aggregate");
    int bound = 2 * InputContract.MAX_DECIMAL_SCALE;
    if (value.scale() > bound
        || value.scale() < -bound
        || value.unscaledValue().bitLength() > 1_000) {
      throw new InvalidRequestException(
          "aggregate", value.toString(), "is beyond any sum of accepted quantities");
    }
    if (value.scale() <= 0) {
      return Rational.of(value.toBigIntegerExact(), BigInteger.ONE);
    }
    return Rational.of(value.unscaledValue(), BigInteger.TEN.pow(value.scale()));
  }

  private static BigDecimal nonNegative(BigDecimal value, String field) {
    InputContract.decimal(value, field);
    if (value.signum() < 0) {
      throw new InvalidRequestException(field, value.toPlainString(), "must not be negative");
    }
    return value;
  }

  /** {@link PerUnit} from decimal text: {@code perUnit("0.0002")}. */
  static PriceModel perUnit(String price) {
    return new PerUnit(decimal(price, "price"));
  }

  static PriceModel graduated(Tier... tiers) {
    return new Graduated(List.of(tiers));
  }

  static PriceModel volume(Tier... tiers) {
    return new Volume(List.of(tiers));
  }

  /** {@link Package} from decimal text: {@code perPackage("1000", "2")}. */
  static PriceModel perPackage(String size, String price) {
    return new Package(decimal(size, "size"), decimal(price, "price"));
  }

  static PriceModel flatFee(String fee) {
    return new FlatFee(decimal(fee, "fee"));
  }

  static PriceModel perHour(String rate) {
    return new PerHour(decimal(rate, "rate"));
  }

  private static BigDecimal decimal(String text, String field) {
    return InputContract.decimal(text, field);
  }
}
