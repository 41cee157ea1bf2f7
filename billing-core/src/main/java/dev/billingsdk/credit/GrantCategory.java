package dev.billingsdk.credit;

import dev.billingsdk.InvalidRequestException;

/**
 * Why credits were granted. The constants are the categories the product documents use; a host may
 * define its own with {@link #of(String)} (codes are upper-case words joined by '_').
 */
public record GrantCategory(String code) {
  /** Free credits given by the platform ("awarded" in the finance guide). */
  public static final GrantCategory PROMOTIONAL = new GrantCategory("PROMOTIONAL");

  public static final GrantCategory PURCHASED = new GrantCategory("PURCHASED");
  public static final GrantCategory PARTNER_ALLOWANCE = new GrantCategory("PARTNER_ALLOWANCE");
  public static final GrantCategory SUBSCRIPTION_ALLOWANCE =
      new GrantCategory("SUBSCRIPTION_ALLOWANCE");
  public static final GrantCategory SIGN_UP = new GrantCategory("SIGN_UP");
  public static final GrantCategory REFERRAL = new GrantCategory("REFERRAL");
  public static final GrantCategory ADJUSTMENT = new GrantCategory("ADJUSTMENT");

  public GrantCategory {
    InvalidRequestException.requireNonNull(code, "category");
    if (!code.matches("[A-Z][A-Z0-9_]{0,63}")) {
      throw new InvalidRequestException(
          "category", code, "must be upper-case letters, digits and '_' (at most 64)");
    }
  }

  public static GrantCategory of(String code) {
    return new GrantCategory(code);
  }

  @Override
  public String toString() {
    return code;
  }
}
