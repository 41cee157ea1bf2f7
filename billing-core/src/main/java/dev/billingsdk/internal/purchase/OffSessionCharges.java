package dev.billingsdk.internal.purchase;

import dev.billingsdk.AccountId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InputContract;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.CatalogueItem;
import dev.billingsdk.event.PurchaseUpdated.Change;
import dev.billingsdk.money.Amount;
import dev.billingsdk.payment.OffSessionCharge;
import dev.billingsdk.payment.OffSessionOutcome;
import dev.billingsdk.payment.PaymentProvider;
import dev.billingsdk.payment.PaymentStatus;
import dev.billingsdk.payment.PaymentView;
import dev.billingsdk.purchase.Purchase;
import dev.billingsdk.purchase.PurchaseConflictException;
import dev.billingsdk.purchase.PurchaseId;
import dev.billingsdk.purchase.PurchaseState;
import dev.billingsdk.purchase.PurchaseTransition;
import dev.billingsdk.purchase.PurchasedItem;
import dev.billingsdk.spi.PurchaseStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Purchases paid with a saved payment method, without the customer present: subscription renewals
 * and auto-top-ups. A purchase is charged only while it is CREATED, under the provider key {@code
 * off-session:<purchase>}, so charging the same purchase again (a retry after a crash, a second
 * instance) never charges twice: a paid one answers paid, a pending one is read from the provider,
 * a declined one stays declined. A new attempt is a new purchase.
 */
public final class OffSessionCharges {

  /** How an off-session purchase stands. */
  public enum Status {
    /** Paid: a package's credits are granted, a plan's subscription told. */
    PAID,
    /** Accepted, not settled: {@link #refresh} later. */
    PROCESSING,
    /** The bank asks the customer to authenticate: nothing taken; bring the customer back. */
    AUTHENTICATION_REQUIRED,
    /** Declined or failed. */
    DECLINED
  }

  /** The purchase after the charge, and how it stands; {@code detail} names a decline. */
  public record Result(Purchase purchase, Status status, String detail) {}

  /** One off-session purchase: the item version, the amount, and the saved method to charge. */
  public record Charge(
      TenantId tenant,
      AccountId account,
      PurchaseId purchase,
      CatalogueItem item,
      Amount amount,
      String provider,
      String customer,
      String paymentMethod,
      String description) {}

  private final PurchaseStore purchases;
  private final Function<String, PaymentProvider> providers;
  private final Transitions transitions;
  private final Settlement settlement;
  private final Clock clock;

  OffSessionCharges(
      PurchaseStore purchases,
      Function<String, PaymentProvider> providers,
      Transitions transitions,
      Settlement settlement,
      Clock clock) {
    this.purchases = purchases;
    this.providers = providers;
    this.transitions = transitions;
    this.settlement = settlement;
    this.clock = clock;
  }

  static IdempotencyKey key(PurchaseId purchase) {
    return Keys.offSession(purchase);
  }

  public Result charge(Charge c) {
    PaymentProvider provider = providers.apply(c.provider());
    Instant now = InputContract.now(clock);
    // Decide: the purchase (or the one this id already names), and whether it may be charged.
    Purchase fresh =
        new Purchase(
            c.tenant(),
            c.purchase(),
            c.account(),
            PurchasedItem.of(c.item()),
            c.amount(),
            provider.name(),
            PurchaseState.CREATED,
            Optional.empty(),
            Optional.empty(),
            Amount.zero(c.amount().unit()),
            false,
            now,
            now,
            0);
    Purchase stored = purchases.createIfAbsent(fresh);
    if (!stored.account().equals(fresh.account())
        || !stored.item().equals(fresh.item())
        || !stored.provider().equals(fresh.provider())
        || !stored.amount().equals(fresh.amount())) {
      throw new PurchaseConflictException(
          c.purchase(), "was charged for " + stored.item().itemId() + " of " + stored.account());
    }
    if (stored.equals(fresh)) {
      transitions.publish(stored, Change.CREATED, stored.amount(), "", now);
    }
    if (stored.state() != PurchaseState.CREATED) {
      return refresh(stored);
    }
    // Write: the charge, then the purchase as the provider answered.
    OffSessionOutcome outcome =
        provider.chargeOffSession(
            new OffSessionCharge(
                c.customer(),
                c.paymentMethod(),
                c.amount(),
                c.purchase().value(),
                c.description(),
                key(c.purchase())));
    String cause = provider.name() + ":off-session:" + c.purchase().value();
    if (outcome instanceof OffSessionOutcome.Declined d) {
      String detail = "declined " + d.code() + (d.message().isEmpty() ? "" : ": " + d.message());
      Purchase failed =
          transitions
              .move(
                  stored,
                  PurchaseState.FAILED,
                  cause + ":declined",
                  detail,
                  Optional.empty(),
                  Optional.empty(),
                  now)
              .purchase();
      transitions.publish(failed, Change.FAILED, failed.amount(), detail, now);
      return new Result(failed, Status.DECLINED, detail);
    }
    String ref = paymentRef(outcome);
    Purchase pending =
        transitions
            .move(
                stored,
                PurchaseState.PENDING,
                cause + ":charged",
                "off-session payment " + ref,
                Optional.of(ref),
                Optional.of(ref),
                now)
            .purchase();
    if (outcome instanceof OffSessionOutcome.Succeeded) {
      settlement.paid(pending, paidView(pending, ref, c.customer()), cause + ":paid", now);
      return new Result(transitions.latest(pending), Status.PAID, "paid");
    }
    return outcome instanceof OffSessionOutcome.AuthenticationRequired
        ? new Result(pending, Status.AUTHENTICATION_REQUIRED, "authentication required")
        : new Result(pending, Status.PROCESSING, "processing");
  }

  private static String paymentRef(OffSessionOutcome outcome) {
    if (outcome instanceof OffSessionOutcome.Succeeded s) {
      return s.paymentRef();
    }
    if (outcome instanceof OffSessionOutcome.Processing p) {
      return p.paymentRef();
    }
    return ((OffSessionOutcome.AuthenticationRequired) outcome).paymentRef();
  }

  /** The provider's answer to a charge it took, as the view a paid purchase is checked against. */
  private static PaymentView paidView(Purchase p, String ref, String customer) {
    return new PaymentView(
        ref,
        Optional.of(p.id().value()),
        PaymentStatus.PAID,
        Optional.of(p.amount()),
        Optional.of(ref),
        Optional.of(customer),
        Optional.empty(),
        List.of());
  }

  /**
   * How an off-session purchase stands now: a pending one is read from the provider's API and moved
   * (paid, or failed); the others are answered as they are.
   */
  public Result refresh(Purchase purchase) {
    if (purchase.state().wasPaid()) {
      return new Result(purchase, Status.PAID, "paid");
    }
    if (purchase.state() != PurchaseState.PENDING || purchase.paymentRef().isEmpty()) {
      return new Result(purchase, Status.DECLINED, lastDetail(purchase));
    }
    PaymentProvider provider = providers.apply(purchase.provider());
    String ref = purchase.paymentRef().get();
    PaymentView view = provider.fetchOffSessionPayment(ref);
    Instant now = InputContract.now(clock);
    String cause = provider.name() + ":off-session:" + purchase.id().value();
    return switch (view.status()) {
      case PAID -> {
        settlement.paid(purchase, view, cause + ":paid", now);
        Purchase after = transitions.latest(purchase);
        yield new Result(
            after, after.state().wasPaid() ? Status.PAID : Status.DECLINED, lastDetail(after));
      }
      case FAILED, EXPIRED -> {
        transitions.finish(purchase, PurchaseState.FAILED, Change.FAILED, cause + ":failed", now);
        Purchase after = transitions.latest(purchase);
        yield new Result(after, Status.DECLINED, "failed at the provider");
      }
      case OPEN, PENDING -> new Result(purchase, Status.PROCESSING, "processing");
    };
  }

  private String lastDetail(Purchase p) {
    List<PurchaseTransition> history = purchases.transitions(p.tenant(), p.id());
    return history.isEmpty() ? p.state().name() : history.get(history.size() - 1).detail();
  }
}
