package dev.billingsdk.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.CreditPackageDraft;
import dev.billingsdk.catalogue.PackageId;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.payment.ProviderEvent.Kind;
import dev.billingsdk.purchase.PurchaseId;
import dev.billingsdk.purchase.PurchaseState;
import dev.billingsdk.purchase.StartCheckoutRequest;
import dev.billingsdk.purchase.WebhookOutcome;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.CatalogueStore;
import dev.billingsdk.spi.ProviderEventStore;
import dev.billingsdk.spi.PurchaseStore;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The purchase flow on a store's four parts together (ledger, catalogue, purchases, provider
 * events), driven by two {@code Billing} instances as two processes would: a paid package is
 * granted once, and a refund applied once, however many deliveries race. An adapter supplies the
 * stores of each instance ({@link #first()}, {@link #second()}: on the same storage).
 */
public abstract class PurchaseFlowTck {

  /** For subclasses: an adapter's runner extends this kit. */
  protected PurchaseFlowTck() {}

  /** The four stores one process uses. */
  public record Stores(
      BillingStore ledger,
      CatalogueStore catalogue,
      PurchaseStore purchases,
      ProviderEventStore events) {}

  /** The stores of the first instance. */
  protected abstract Stores first();

  /** The stores of a second instance on the same storage (the first's, by default). */
  protected Stores second() {
    return first();
  }

  /** Deliveries racing (at least 8 in the kit's own runs). */
  protected int concurrentThreads() {
    return 8;
  }

  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 0);
  static final CurrencyUnit USD = CurrencyUnit.of("USD");
  static final Actor ADMIN = Actor.of("flow-admin", Role.ADMIN);

  private final ScriptedPaymentProvider provider = new ScriptedPaymentProvider();
  private TenantId tenant = TenantId.of("x");
  // Purchase ids, checkout references and event ids are unique per run, as provider references
  // and event ids are unique across tenants: the kit may run again on tables it ran on before.
  private String run = "x";
  private final AccountId account = AccountId.of("buyer");
  // Replaced before each test; never null, so the fields need no null checks.
  private Billing one =
      Billing.builder().store(dev.billingsdk.memory.InMemoryBillingStore.create()).build();
  private Billing two = one;

  private Billing instance(Stores s) {
    return Billing.builder()
        .store(s.ledger())
        .catalogue(s.catalogue())
        .purchases(s.purchases(), s.events())
        .paymentProvider(provider)
        .build();
  }

  @BeforeEach
  void world() {
    run = UUID.randomUUID().toString().substring(0, 8);
    tenant = TenantId.of("flow-" + run);
    one = instance(first());
    two = instance(second());
    one.credits()
        .openAccount(OpenAccountRequest.builder(tenant, account, CREDIT).actor(ADMIN).build());
    one.catalogue()
        .createPackage(
            tenant,
            CreditPackageDraft.builder(PackageId.of("growth"), "Growth")
                .credits(Amount.of(CREDIT, 5_000))
                .bonusCredits(Amount.of(CREDIT, 1_000))
                .price(Amount.of(USD, "45.00"))
                .build(),
            ADMIN);
  }

  private String paidPurchase(String id) {
    String checkout =
        one.purchases()
            .startCheckout(
                StartCheckoutRequest.builder(tenant, account, PurchaseId.of(id))
                    .creditPackage(PackageId.of("growth"))
                    .provider("scripted")
                    .successUrl(URI.create("https://app.example/ok"))
                    .cancelUrl(URI.create("https://app.example/back"))
                    .actor(ADMIN)
                    .build())
            .purchase()
            .checkoutRef()
            .orElseThrow();
    provider.pay(checkout, Amount.of(USD, "45.00"));
    return checkout;
  }

  /** Delivers, from both instances at once, each of {@code eventIds} several times. */
  private List<WebhookOutcome> race(Kind kind, String checkout, String... eventIds)
      throws Exception {
    int threads = Math.max(2, concurrentThreads());
    return Races.race(
        threads,
        i -> {
          Billing through = i % 2 == 0 ? one : two;
          String eventId = eventIds[i % eventIds.length];
          return () ->
              through
                  .purchases()
                  .handleWebhook(
                      "scripted",
                      ScriptedPaymentProvider.webhook(eventId, kind, checkout),
                      ScriptedPaymentProvider.signed());
        });
  }

  private long transactionsOf(TransactionType type) {
    return first().ledger().transactions(tenant, account).stream()
        .filter(t -> t.type() == type)
        .count();
  }

  @Nested
  @DisplayName("Exactly once: a paid package granted once, a refund applied once, across instances")
  class ExactlyOnce {

    @Test
    void required_aPaidPackageIsGrantedOnceWhateverTheDeliveries() throws Exception {
      String checkout = paidPurchase(run + "-p-1");
      List<WebhookOutcome> outcomes =
          race(Kind.CHECKOUT_COMPLETED, checkout, run + "-evt_a", run + "-evt_b");
      assertThat(outcomes.stream().filter(o -> o.effect() == WebhookOutcome.Effect.PAID))
          .hasSize(1);
      assertThat(transactionsOf(TransactionType.PURCHASE)).isEqualTo(1);
      assertThat(one.credits().balance(tenant, account).available())
          .isEqualTo(Amount.of(CREDIT, 6_000));
      assertThat(
              two.purchases().purchase(tenant, PurchaseId.of(run + "-p-1")).orElseThrow().state())
          .isEqualTo(PurchaseState.PAID);
      for (String id : List.of(run + "-evt_a", run + "-evt_b")) {
        assertThat(first().events().find("scripted", id).orElseThrow().outcome()).isPresent();
      }
      assertThat(one.purchases().history(tenant, PurchaseId.of(run + "-p-1")))
          .extracting(t -> t.to())
          .containsExactly(PurchaseState.PENDING, PurchaseState.PAID);
    }

    @Test
    void required_theBuyersReturnRacingTheWebhooksGrantsOnce() throws Exception {
      String checkout = paidPurchase(run + "-p-3");
      int threads = Math.max(4, concurrentThreads());
      List<WebhookOutcome.Effect> effects =
          Races.race(
              threads,
              i -> {
                Billing through = i % 2 == 0 ? one : two;
                if (i % 4 < 2) {
                  return () ->
                      through
                          .purchases()
                          .handleReturn(
                              "scripted",
                              Map.of(
                                  "checkout", List.of(checkout), "status", List.of("successful")))
                          .effect();
                }
                return () ->
                    through
                        .purchases()
                        .handleWebhook(
                            "scripted",
                            ScriptedPaymentProvider.webhook(
                                run + "-evt_r" + i, Kind.CHECKOUT_COMPLETED, checkout),
                            ScriptedPaymentProvider.signed())
                        .effect();
              });
      assertThat(effects.stream().filter(e -> e == WebhookOutcome.Effect.PAID)).hasSize(1);
      assertThat(transactionsOf(TransactionType.PURCHASE)).isEqualTo(1);
      assertThat(one.credits().balance(tenant, account).available())
          .isEqualTo(Amount.of(CREDIT, 6_000));
      assertThat(one.purchases().history(tenant, PurchaseId.of(run + "-p-3")))
          .extracting(t -> t.to())
          .containsExactly(PurchaseState.PENDING, PurchaseState.PAID);
    }

    @Test
    void required_aRefundReportedByRacingDeliveriesIsAppliedOnce() throws Exception {
      String checkout = paidPurchase(run + "-p-2");
      race(Kind.CHECKOUT_COMPLETED, checkout, run + "-evt_pay");
      provider.refundInDashboard(checkout, Amount.of(USD, "15.00"));
      race(Kind.REFUNDED, checkout, run + "-evt_r1", run + "-evt_r2");
      assertThat(transactionsOf(TransactionType.REFUND)).isEqualTo(1);
      assertThat(one.credits().balance(tenant, account).available())
          .isEqualTo(Amount.of(CREDIT, 4_000));
      var purchase = one.purchases().purchase(tenant, PurchaseId.of(run + "-p-2")).orElseThrow();
      assertThat(purchase.state()).isEqualTo(PurchaseState.PARTIALLY_REFUNDED);
      assertThat(purchase.refunded()).isEqualTo(Amount.of(USD, "15.00"));
    }
  }
}
