package dev.billingsdk;

/** A billable wallet inside a tenant (a user, an organisation, a licence). */
public record AccountId(String value) {

  public AccountId {
    Identifiers.check(value, "account");
  }

  public static AccountId of(String value) {
    return new AccountId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
