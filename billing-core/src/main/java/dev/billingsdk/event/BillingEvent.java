package dev.billingsdk.event;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import java.time.Instant;

/**
 * A state change worth reacting to. The ledger's events are written to the store's outbox in the
 * same atomic write as the change that caused them, and handed to the listeners registered on
 * {@code Billing.builder()} once that write has committed. {@link PurchaseUpdated} is handed to the
 * listeners once the purchase's transition is stored; it is not in the outbox yet, so a listener
 * that must not miss one also reads the purchase's history ({@code Purchases.history}).
 *
 * <p>{@link #id()} is unique and stable: the same change always yields the same id, so a consumer
 * that sees an event twice (outbox delivery is at-least-once) can drop the repeat.
 */
public sealed interface BillingEvent
    permits GrantCreated,
        GrantVoided,
        CreditsDeducted,
        GrantExpired,
        ChargePosted,
        DebitReversed,
        InvoiceCreditsApplied,
        ReservationCreated,
        ReservationSettled,
        ReservationReleased,
        ReservationExpired,
        BalanceBelowThreshold,
        BalanceRecovered,
        PurchaseUpdated,
        SubscriptionUpdated,
        TopUpUpdated,
        StatementClosed {

  String id();

  TenantId tenant();

  AccountId account();

  /** When the change was recorded. */
  Instant occurredAt();
}
