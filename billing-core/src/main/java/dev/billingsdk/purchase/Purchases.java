package dev.billingsdk.purchase;

import dev.billingsdk.TenantId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Money in: purchases through a provider's hosted checkout, the webhooks that confirm them, and
 * refunds. See {@code docs/payments.md}.
 */
public interface Purchases {

  /**
   * Stores the purchase (or finds it, when the client starts it again) and creates its hosted
   * checkout.
   *
   * @throws PurchaseConflictException if the purchase id was used for another purchase
   * @throws dev.billingsdk.catalogue.CatalogueItemArchivedException if the item is not on sale
   */
  CheckoutStarted startCheckout(StartCheckoutRequest request);

  /**
   * Handles one webhook delivery to the endpoint of {@code provider}: verifies it from the raw body
   * and headers, stores it once, asks the provider for the payment's state, and moves the purchase
   * (granting a paid package's credits exactly once).
   *
   * @throws dev.billingsdk.payment.WebhookRejectedException if the delivery does not verify (answer
   *     4xx); nothing was stored
   */
  WebhookOutcome handleWebhook(String provider, byte[] body, Map<String, List<String>> headers);

  /**
   * Handles the buyer's return to the checkout's success URL: reads which payment its query
   * parameters name, asks the provider's API for that payment, and moves the purchase exactly as a
   * webhook would (a paid package is granted once, whichever of the two comes first). The
   * parameters' own status is never believed.
   *
   * @param query the return URL's query parameters, decoded
   */
  ReturnOutcome handleReturn(String provider, Map<String, List<String>> query);

  /**
   * Refunds a paid purchase through its provider and takes the refunded share of its credits back.
   *
   * @throws RefundExceedsUnusedCreditException if the share is more than the purchase's unused
   *     credit and the request says {@link RefundRequest.BeyondUnused#REFUSE} (the default); the
   *     provider was not called
   */
  RefundOutcome refund(RefundRequest request);

  Optional<Purchase> purchase(TenantId tenant, PurchaseId id);

  /** The purchase's transitions, oldest first, each with its cause. */
  List<PurchaseTransition> history(TenantId tenant, PurchaseId id);
}
