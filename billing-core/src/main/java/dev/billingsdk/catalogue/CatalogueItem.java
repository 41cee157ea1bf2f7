package dev.billingsdk.catalogue;

import dev.billingsdk.TenantId;
import java.util.Map;

/** One version of something the catalogue sells: a credit package or a subscription plan. */
public sealed interface CatalogueItem permits CreditPackage, SubscriptionPlan {

  /** The two kinds of item; a store keeps them apart, so a package and a plan may share an id. */
  enum Kind {
    CREDIT_PACKAGE,
    SUBSCRIPTION_PLAN
  }

  Kind kind();

  TenantId tenant();

  /** The item's id, the same in every version. */
  String itemId();

  Revision revision();

  String name();

  ItemStatus status();

  /**
   * The provider's own ids for this item, by provider name ({@code stripe}: a Price or Product id),
   * for providers whose hosted checkout sells catalogue entries of their own; empty when the
   * checkout is built from the price alone.
   */
  Map<String, String> providerRefs();

  /** Whether it can be bought now. */
  default boolean purchasable() {
    return status() == ItemStatus.ACTIVE;
  }
}
