package dev.billingsdk.money;

import dev.billingsdk.InvalidRequestException;
import java.util.List;

/**
 * An ISO 4217 currency and its minor unit (the decimal places of its smallest subdivision: USD 2,
 * JPY 0, KWD 3). Codes and minor units come from the library's own copy of the standard's list of
 * current currency and funds codes ({@code iso4217.csv} in this package, whose header names the
 * edition), never from {@code java.util.Currency}, so they do not change with the JDK.
 *
 * <p>A currency unit is an active code of that list that has a minor unit and is not a fund. The
 * list's other codes are refused, each with its own exception: a code not on the list with {@link
 * UnknownCurrencyException}, a fund code (CLF, USN, ...) with {@link FundCodeException}, and a code
 * whose minor unit is "N.A." (XAU, XDR, XXX, ...) with {@link NoMinorUnitException}.
 *
 * <p>Provider adapters own their providers' deviations (Stripe's zero-decimal list); the ledger
 * keeps these.
 *
 * @param code the alphabetic code, e.g. {@code USD}
 * @param minorUnits the list's minor unit for {@code code}; anything else is refused
 */
public record CurrencyUnit(String code, int minorUnits) implements Unit {

  /**
   * Checks both components against the list.
   *
   * @throws CurrencyCodeException (field {@code code}) if the code is not a currency unit
   * @throws InvalidRequestException (field {@code minorUnits}) if the minor unit is not the list's
   */
  public CurrencyUnit {
    int listed = lookup(code, "code");
    if (minorUnits != listed) {
      throw new InvalidRequestException(
          "minorUnits", minorUnits, "must be " + listed + " for " + code + " (ISO 4217)");
    }
  }

  /**
   * The currency with this ISO 4217 code.
   *
   * @throws InvalidRequestException (field {@code currency}) if the code is null
   * @throws UnknownCurrencyException if the code is not on the list (or not three upper-case
   *     letters)
   * @throws FundCodeException if the list marks the code as a fund
   * @throws NoMinorUnitException if the list gives the code no minor unit
   */
  public static CurrencyUnit of(String code) {
    return new CurrencyUnit(code, lookup(code, "currency"));
  }

  /** Every currency unit the list gives, by code: the codes {@link #of} accepts. */
  public static List<CurrencyUnit> available() {
    return Iso4217.table().entries().values().stream()
        .filter(e -> e.hasMinorUnit() && !e.fund())
        .map(e -> new CurrencyUnit(e.code(), e.minorUnits()))
        .toList();
  }

  private static int lookup(String code, String field) {
    InvalidRequestException.requireNonNull(code, field);
    Iso4217.Entry entry = Iso4217.entry(code);
    if (entry == null) {
      throw new UnknownCurrencyException(
          field,
          code,
          code.matches("[A-Z]{3}")
              ? "is not an ISO 4217 code"
              : "is not a three-letter upper-case ISO 4217 code");
    }
    if (entry.fund()) {
      throw new FundCodeException(field, code);
    }
    if (!entry.hasMinorUnit()) {
      throw new NoMinorUnitException(field, code);
    }
    return entry.minorUnits();
  }

  /** The minor unit: how many decimal places the smallest subdivision has. */
  @Override
  public int scale() {
    return minorUnits;
  }

  @Override
  public String toString() {
    return code;
  }
}
