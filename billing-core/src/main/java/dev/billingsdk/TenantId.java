package dev.billingsdk;

/** The isolation boundary: an organisation on the host's platform. Every record carries one. */
public record TenantId(String value) {

  public TenantId {
    Identifiers.check(value, "tenant");
  }

  public static TenantId of(String value) {
    return new TenantId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
