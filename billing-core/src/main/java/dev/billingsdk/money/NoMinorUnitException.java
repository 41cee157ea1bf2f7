package dev.billingsdk.money;

/**
 * An ISO 4217 code whose minor unit the list gives as "N.A.": the precious metals (XAU, XAG, XPT,
 * XPD), the IMF and bond-market units (XDR, XSU, XUA, XBA to XBD) and the codes for testing and for
 * "no currency" (XTS, XXX). An amount is a whole number of minor units, so none of them can be a
 * {@link CurrencyUnit}.
 */
public class NoMinorUnitException extends CurrencyCodeException {
  private static final long serialVersionUID = 1L;

  public NoMinorUnitException(String field, String code) {
    super(
        field,
        code,
        "is an ISO 4217 code without a minor unit (a metal, a special unit or a test code),"
            + " so no amount can count in it");
  }
}
