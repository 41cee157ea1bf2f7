package dev.billingsdk;

/** A client-chosen key that makes a write happen at most once per tenant (rule 5). */
public record IdempotencyKey(String value) {

  public IdempotencyKey {
    Identifiers.check(value, "idempotencyKey");
  }

  public static IdempotencyKey of(String value) {
    return new IdempotencyKey(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
