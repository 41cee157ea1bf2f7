package dev.billingsdk.subscription;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.catalogue.PlanId;
import dev.billingsdk.catalogue.SubscriptionPlan;

/** One version of a plan: what a subscription pays for, whatever the catalogue does later. */
public record PlanRef(PlanId plan, int version) {

  public PlanRef {
    InvalidRequestException.requireNonNull(plan, "plan");
    if (version < 1) {
      throw new InvalidRequestException("version", version, "must be at least 1");
    }
  }

  public static PlanRef of(PlanId plan, int version) {
    return new PlanRef(plan, version);
  }

  public static PlanRef of(SubscriptionPlan plan) {
    return new PlanRef(plan.id(), plan.revision().version());
  }

  @Override
  public String toString() {
    return plan + " v" + version;
  }
}
