package dev.billingsdk.catalogue;

import dev.billingsdk.Identifiers;

/** Identifies a credit package within its tenant, across all its versions. */
public record PackageId(String value) {

  public PackageId {
    Identifiers.check(value, "package");
  }

  public static PackageId of(String value) {
    return new PackageId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
