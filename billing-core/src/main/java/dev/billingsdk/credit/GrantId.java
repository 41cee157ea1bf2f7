package dev.billingsdk.credit;

import dev.billingsdk.Identifiers;

/** Identifies a grant (credit block) within its tenant. */
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
