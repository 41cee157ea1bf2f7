package dev.billingsdk;

/**
 * Identifies a grant (credit block) within its tenant. It lives beside the other ids so that the
 * ledger can name a grant account without depending on the credit package.
 */
public record GrantId(String value) {

  public GrantId {
    Identifiers.check(value, "grant");
  }

  public static GrantId of(String value) {
    return new GrantId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
