package dev.billingsdk.credit;

import dev.billingsdk.Identifiers;
import dev.billingsdk.InvalidRequestException;

/** One named item: a meter (kind {@link ChargeKind#USAGE}), a fee, a licence or an add-on. */
public record ItemRef(ChargeKind kind, String code) {

  public ItemRef {
    InvalidRequestException.requireNonNull(kind, "kind");
    Identifiers.check(code, "itemCode");
  }

  public static ItemRef meter(String code) {
    return new ItemRef(ChargeKind.USAGE, code);
  }

  public static ItemRef of(ChargeKind kind, String code) {
    return new ItemRef(kind, code);
  }

  @Override
  public String toString() {
    return kind + ":" + code;
  }
}
