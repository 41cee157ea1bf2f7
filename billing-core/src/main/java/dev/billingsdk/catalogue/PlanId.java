package dev.billingsdk.catalogue;

import dev.billingsdk.Identifiers;

/** Identifies a subscription plan within its tenant, across all its versions. */
public record PlanId(String value) {

  public PlanId {
    Identifiers.check(value, "plan");
  }

  public static PlanId of(String value) {
    return new PlanId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
