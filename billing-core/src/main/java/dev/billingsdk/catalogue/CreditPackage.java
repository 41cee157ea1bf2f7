package dev.billingsdk.catalogue;

import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.CostBasis;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Price;
import dev.billingsdk.money.Rational;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Comparator;
import java.util.Map;

/**
 * One version of a credit package: {@code credits} bought for {@code price}, plus {@code
 * bonusCredits} given with them. A paid purchase grants the credits as a PURCHASED grant whose cost
 * basis is the price over the purchased credits, and the bonus as a grant of its own with a zero
 * cost basis, so revenue counts only money actually paid.
 *
 * @param credits the purchased credits, positive, in a {@link CreditUnit}
 * @param bonusCredits extra credits in the same unit, zero or more
 * @param price what the package costs, positive, in an ISO 4217 currency
 */
public record CreditPackage(
    TenantId tenant,
    PackageId id,
    Revision revision,
    String name,
    Amount credits,
    Amount bonusCredits,
    Amount price,
    ItemStatus status,
    GrantTemplate grantTemplate,
    Map<String, String> providerRefs)
    implements CatalogueItem {

  /** Cheaper per effective credit first; then by id, so the order is total. */
  public static final Comparator<CreditPackage> BY_COST_PER_CREDIT =
      Comparator.comparing((CreditPackage p) -> p.costPerCredit())
          .thenComparing(p -> p.id().value(), Comparator.naturalOrder());

  public CreditPackage {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(id, "package");
    InvalidRequestException.requireNonNull(revision, "revision");
    name = CatalogueRules.name(name);
    checkTerms(credits, bonusCredits, price);
    InvalidRequestException.requireNonNull(status, "status");
    InvalidRequestException.requireNonNull(grantTemplate, "grantTemplate");
    providerRefs = CatalogueRules.providerRefs(providerRefs);
    if (revision.change() == ChangeKind.ARCHIVED && status != ItemStatus.ARCHIVED) {
      throw new InvalidRequestException(
          "status", status, "must be ARCHIVED for an ARCHIVED change");
    }
  }

  static void checkTerms(Amount credits, Amount bonusCredits, Amount price) {
    InvalidRequestException.requireNonNull(credits, "credits");
    InvalidRequestException.requireNonNull(bonusCredits, "bonusCredits");
    InvalidRequestException.requireNonNull(price, "price");
    if (!(credits.unit() instanceof CreditUnit) || !credits.isPositive()) {
      throw new InvalidRequestException("credits", credits, "must be a positive credit amount");
    }
    if (!bonusCredits.unit().equals(credits.unit()) || bonusCredits.isNegative()) {
      throw new InvalidRequestException(
          "bonusCredits", bonusCredits, "must be zero or more " + credits.unit().code());
    }
    if (!(price.unit() instanceof CurrencyUnit) || !price.isPositive()) {
      throw new InvalidRequestException(
          "price", price, "must be a positive amount of an ISO 4217 currency");
    }
    credits.plus(bonusCredits); // refuses a total that overflows
  }

  @Override
  public Kind kind() {
    return Kind.CREDIT_PACKAGE;
  }

  @Override
  public String itemId() {
    return id.value();
  }

  public CurrencyUnit currency() {
    return (CurrencyUnit) price.unit();
  }

  /** Credits plus bonus credits: what the buyer receives. */
  public Amount effectiveCredits() {
    return credits.plus(bonusCredits);
  }

  /**
   * The price of one whole credit the buyer receives (bonus included), exactly, in whole currency
   * units: {@code USD 10.00} for 1,000 + 250 credits is 1/125 of a dollar.
   */
  public Rational costPerCredit() {
    return perWholeCredit(effectiveCredits());
  }

  /**
   * {@link #costPerCredit()} as a decimal of {@code scale} places, rounded as {@code mode} says.
   *
   * @param scale from -{@value InputContract#MAX_DECIMAL_SCALE} to {@value
   *     InputContract#MAX_DECIMAL_SCALE}, the scales every decimal of the library keeps to
   * @throws InvalidRequestException naming {@code scale} outside that range, or {@code rounding}
   *     when it is {@link RoundingMode#UNNECESSARY} and the cost does not fit {@code scale} places
   */
  public BigDecimal costPerCredit(int scale, RoundingMode mode) {
    InvalidRequestException.requireNonNull(mode, "rounding");
    // Not Math.abs(scale): the absolute value of Integer.MIN_VALUE is negative.
    if (scale < -InputContract.MAX_DECIMAL_SCALE || scale > InputContract.MAX_DECIMAL_SCALE) {
      throw new InvalidRequestException(
          "scale",
          scale,
          "must be between -"
              + InputContract.MAX_DECIMAL_SCALE
              + " and "
              + InputContract.MAX_DECIMAL_SCALE);
    }
    Rational r = costPerCredit();
    try {
      return new BigDecimal(r.numerator()).divide(new BigDecimal(r.denominator()), scale, mode);
    } catch (ArithmeticException inexact) { // only UNNECESSARY, given an exact rational
      throw new InvalidRequestException(
          "rounding", mode, "cannot give " + r + " exactly to " + scale + " decimal places");
    }
  }

  /**
   * The cost basis of the purchased grant: the price over the purchased credits (bonus credits are
   * free and carry {@link CostBasis#free()}).
   */
  public CostBasis purchasedCostBasis() {
    return CostBasis.paid(Price.of(price, credits));
  }

  private Rational perWholeCredit(Amount creditAmount) {
    // price.minor / 10^currencyScale  ÷  creditAmount.minor / 10^creditScale
    BigInteger num =
        BigInteger.valueOf(price.minor()).multiply(BigInteger.TEN.pow(creditAmount.unit().scale()));
    BigInteger den =
        BigInteger.valueOf(creditAmount.minor()).multiply(BigInteger.TEN.pow(price.unit().scale()));
    return Rational.of(num, den);
  }
}
