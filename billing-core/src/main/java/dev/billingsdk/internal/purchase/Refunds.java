package dev.billingsdk.internal.purchase;

import dev.billingsdk.Actor;
import dev.billingsdk.GrantId;
import dev.billingsdk.catalogue.Catalogue;
import dev.billingsdk.catalogue.CatalogueItem;
import dev.billingsdk.catalogue.CatalogueItemNotFoundException;
import dev.billingsdk.catalogue.CreditPackage;
import dev.billingsdk.catalogue.GrantTemplate;
import dev.billingsdk.catalogue.PackageId;
import dev.billingsdk.credit.CostBasis;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.event.PurchaseUpdated.Change;
import dev.billingsdk.internal.credit.Clawbacks;
import dev.billingsdk.internal.credit.CreditService;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.money.Amount;
import dev.billingsdk.payment.PaymentLookup;
import dev.billingsdk.payment.PaymentProvider;
import dev.billingsdk.payment.PaymentView;
import dev.billingsdk.payment.ProviderEvent;
import dev.billingsdk.payment.ProviderRefund;
import dev.billingsdk.purchase.Purchase;
import dev.billingsdk.purchase.PurchaseState;
import dev.billingsdk.purchase.RefundOutcome;
import dev.billingsdk.purchase.WebhookOutcome.Effect;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.PurchaseStore;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The credit of a purchase: granted once when it is paid, taken back in shares when it is refunded.
 * The share of a refund is counted on the running total, {@code round(credits x refunded / price,
 * HALF_UP)} after the refund minus the same before it, so that refunds in parts add up to exactly
 * what a refund in one would take, and a full refund takes all of it.
 */
final class Refunds {
  private final PurchaseStore purchases;
  private final BillingStore ledger;
  private final Catalogue catalogue;
  private final CreditService credits;
  private final Transitions transitions;

  Refunds(
      PurchaseStore purchases,
      BillingStore ledger,
      Catalogue catalogue,
      CreditService credits,
      Transitions transitions) {
    this.purchases = purchases;
    this.ledger = ledger;
    this.catalogue = catalogue;
    this.credits = credits;
    this.transitions = transitions;
  }

  private CreditPackage packageOf(Purchase p) {
    return catalogue
        .creditPackage(p.tenant(), PackageId.of(p.item().itemId()), p.item().version())
        .orElseThrow(
            () ->
                new CatalogueItemNotFoundException(
                    p.tenant(), CatalogueItem.Kind.CREDIT_PACKAGE, p.item().itemId()));
  }

  /**
   * The grants of a paid package, in one PURCHASE transaction under the purchase's key: the
   * purchased credits (PURCHASED, cost basis the price over them) and the bonus (free).
   */
  void grantPackage(Purchase purchase, Instant now) {
    CreditPackage p = packageOf(purchase);
    GrantTemplate terms = p.grantTemplate();
    Actor actor = PurchaseService.actorOf(purchase.provider());
    String reason =
        "purchase " + purchase.id() + " of " + p.id() + " v" + p.revision().version() + " paid";
    List<GrantRequest> parts = new ArrayList<>();
    parts.add(
        grant(
            purchase,
            p.credits(),
            GrantCategory.PURCHASED,
            p.purchasedCostBasis(),
            p.name(),
            terms,
            actor,
            reason,
            now));
    if (p.bonusCredits().isPositive()) {
      parts.add(
          grant(
              purchase,
              p.bonusCredits(),
              GrantCategory.PROMOTIONAL,
              CostBasis.free(),
              p.name() + " (bonus)",
              terms,
              actor,
              reason,
              now));
    }
    credits.grantTogether(parts, TransactionType.PURCHASE);
  }

  private static GrantRequest grant(
      Purchase purchase,
      Amount amount,
      GrantCategory category,
      CostBasis costBasis,
      String name,
      GrantTemplate terms,
      Actor actor,
      String reason,
      Instant now) {
    GrantRequest.Builder b =
        GrantRequest.builder(purchase.tenant(), purchase.account(), amount)
            .category(category)
            .priority(terms.priority())
            .name(name)
            .scope(terms.scope())
            .costBasis(costBasis)
            .metadata(Map.of("purchase", purchase.id().value()))
            .idempotencyKey(Keys.grant(purchase.id()))
            .actor(actor)
            .reason(reason);
    terms.expiryFrom(now).ifPresent(b::expiresAt);
    return b.build();
  }

  /** The credit a refund of {@code amount} takes back; empty for a purchase that granted none. */
  Optional<Amount> share(Purchase p, Amount amount) {
    if (p.item().kind() != CatalogueItem.Kind.CREDIT_PACKAGE) {
      return Optional.empty();
    }
    Amount effective = packageOf(p).effectiveCredits();
    long before = creditsFor(effective, p.refunded(), p.amount());
    long after = creditsFor(effective, p.refunded().plus(amount), p.amount());
    return Optional.of(Amount.ofMinor(effective.unit(), after - before));
  }

  Amount creditShare(Purchase p, Amount amount) {
    return share(p, amount).orElse(Amount.zero(p.amount().unit()));
  }

  private static long creditsFor(Amount credits, Amount refunded, Amount price) {
    BigInteger num =
        BigInteger.valueOf(credits.minor()).multiply(BigInteger.valueOf(refunded.minor()));
    return new java.math.BigDecimal(num)
        .divide(java.math.BigDecimal.valueOf(price.minor()), 0, RoundingMode.HALF_UP)
        .longValueExact();
  }

  /** What the purchase's grants still hold. */
  Amount unusedCredit(Purchase p) {
    if (p.item().kind() != CatalogueItem.Kind.CREDIT_PACKAGE) {
      return Amount.zero(p.amount().unit());
    }
    Amount unused = Amount.zero(packageOf(p).credits().unit());
    for (GrantId id : PurchaseService.grantsOf(ledger, p)) {
      Optional<GrantBalance> g = ledger.findGrant(p.tenant(), id);
      if (g.isPresent() && !g.get().voided()) {
        unused = unused.plus(g.get().remaining());
      }
    }
    return unused;
  }

  /** A refund event: apply every settled refund the provider lists that is not applied yet. */
  Effect fromProvider(
      PaymentProvider provider, Purchase purchase, ProviderEvent event, Instant now) {
    if (purchase.checkoutRef().isEmpty()) {
      return Effect.IGNORED;
    }
    PaymentView view =
        provider.fetchPayment(
            PaymentLookup.of(
                purchase.checkoutRef().get(), purchase.paymentRef().or(event::paymentRef)));
    return applyListed(purchase, view, now);
  }

  /**
   * Applies every settled refund the provider's view lists that is not applied yet, if the purchase
   * was paid: also when the view was read for a payment event, so that a refund made before the
   * payment was processed (its own event found no purchase by payment id yet) is not lost.
   */
  Effect applyListed(Purchase purchase, PaymentView view, Instant now) {
    Effect effect = Effect.NO_CHANGE;
    for (ProviderRefund refund : view.refunds()) {
      Purchase latest = transitions.latest(purchase);
      if (!latest.state().wasPaid()
          || refund.status() != ProviderRefund.Status.SUCCEEDED
          || transitions.applied(latest, causeOf(latest, refund))) {
        continue;
      }
      RefundOutcome done =
          apply(
              latest,
              refund,
              PurchaseService.actorOf(latest.provider()),
              "refund " + refund.refundId() + " made at " + latest.provider(),
              now);
      if (done.purchase().version() != latest.version()) {
        effect =
            done.purchase().needsReview() && !latest.needsReview()
                ? Effect.NEEDS_REVIEW
                : Effect.REFUNDED;
      }
    }
    return effect;
  }

  private static String causeOf(Purchase p, ProviderRefund refund) {
    return "refund:" + p.provider() + ":" + refund.refundId();
  }

  /** Applies one settled provider refund: the credit share taken back, then the purchase moved. */
  RefundOutcome apply(
      Purchase purchase, ProviderRefund refund, Actor actor, String reason, Instant now) {
    Purchase latest = transitions.latest(purchase);
    String cause = causeOf(latest, refund);
    Amount none = Amount.zero(refund.amount().unit());
    if (refund.status() != ProviderRefund.Status.SUCCEEDED || transitions.applied(latest, cause)) {
      return new RefundOutcome(latest, refund, none, none);
    }
    Amount refundedAfter;
    if (!refund.amount().unit().equals(latest.amount().unit())
        || (refundedAfter = latest.refunded().plus(refund.amount())).compareTo(latest.amount())
            > 0) {
      transitions.review(
          latest,
          cause,
          "refund "
              + refund.refundId()
              + " of "
              + refund.amount()
              + " does not fit "
              + latest.amount()
              + " (refunded "
              + latest.refunded()
              + ")",
          now);
      return new RefundOutcome(transitions.latest(latest), refund, none, none);
    }
    Optional<Amount> share = share(latest, refund.amount());
    Amount taken = share.map(s -> Amount.zero(s.unit())).orElse(none);
    Amount unrecovered = taken;
    if (share.isPresent() && share.get().isPositive()) {
      Clawbacks.Result r =
          credits.clawBack(
              latest.tenant(),
              latest.account(),
              Keys.clawback(latest.provider(), refund.refundId()),
              PurchaseService.grantsOf(ledger, latest),
              share.get(),
              actor,
              reason,
              cause);
      taken = r.fromGrants().plus(r.toDebt());
      unrecovered = r.unrecovered();
    }
    PurchaseState to =
        refundedAfter.equals(latest.amount())
            ? PurchaseState.REFUNDED
            : PurchaseState.PARTIALLY_REFUNDED;
    Transitions.Moved after =
        transitions.step(
            latest,
            to,
            cause,
            reason,
            Optional.empty(),
            Optional.empty(),
            Optional.of(refund.amount()),
            false,
            now);
    if (after.byThisCall()) {
      transitions.publish(
          after.purchase(),
          Change.REFUNDED,
          refund.amount(),
          unrecovered,
          "refund " + refund.refundId(),
          now);
    }
    return new RefundOutcome(after.purchase(), refund, taken, unrecovered);
  }
}
