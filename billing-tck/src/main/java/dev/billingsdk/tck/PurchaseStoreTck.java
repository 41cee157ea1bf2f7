package dev.billingsdk.tck;

import static dev.billingsdk.tck.PurchaseFixtures.FLUTTERWAVE;
import static dev.billingsdk.tck.PurchaseFixtures.JPY;
import static dev.billingsdk.tck.PurchaseFixtures.KWD;
import static dev.billingsdk.tck.PurchaseFixtures.NAMES;
import static dev.billingsdk.tck.PurchaseFixtures.STRIPE;
import static dev.billingsdk.tck.PurchaseFixtures.T0;
import static dev.billingsdk.tck.PurchaseFixtures.USD;
import static dev.billingsdk.tck.PurchaseFixtures.item;
import static dev.billingsdk.tck.PurchaseFixtures.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccountId;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.CatalogueItem.Kind;
import dev.billingsdk.money.Amount;
import dev.billingsdk.purchase.Purchase;
import dev.billingsdk.purchase.PurchaseConflictException;
import dev.billingsdk.purchase.PurchaseId;
import dev.billingsdk.purchase.PurchaseState;
import dev.billingsdk.purchase.PurchaseTransition;
import dev.billingsdk.purchase.PurchasedItem;
import dev.billingsdk.spi.PurchaseStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The rules of the purchase part of the storage SPI ({@link PurchaseStore}): a purchase reads back
 * exactly as stored, its id is taken once per tenant, a transition applies only at the version it
 * was decided on and a cause only once per purchase (also when writers race through two instances
 * of the store), a provider reference finds its purchase exactly and names one purchase, and other
 * tenants' purchases are invisible. An adapter extends it and supplies {@link #store()} (and, for
 * stores shared between processes, {@link #secondInstance()}); every test uses fresh tenants and
 * provider references, so the store may be shared.
 */
public abstract class PurchaseStoreTck {

  /** For subclasses: an adapter's runner extends this kit. */
  protected PurchaseStoreTck() {}

  /** The store under test. May be shared across tests: each test uses fresh tenants and refs. */
  protected abstract PurchaseStore store();

  /**
   * A second instance on the same storage, as a second process would have: the race rules write
   * through both, and reads are checked through both. The default is the same instance.
   */
  protected PurchaseStore secondInstance() {
    return store();
  }

  /** Writers racing for one purchase (at least 8 in the kit's own runs). */
  protected int concurrentThreads() {
    return 8;
  }

  private TenantId tenant = TenantId.of("x");
  private String run = "x";

  @BeforeEach
  void freshTenant() {
    run = UUID.randomUUID().toString();
    tenant = TenantId.of("pur-" + run);
  }

  /** A tenant of this test only. */
  TenantId tenant() {
    return tenant;
  }

  /** A provider reference of this test only: {@code <kind>_<run>_<name>}. */
  String ref(String kind, String name) {
    return kind + "_" + run + "_" + name;
  }

  Purchase purchase(String id) {
    return PurchaseFixtures.purchase(tenant, id, Amount.ofMinor(USD, 1999));
  }

  /** Applies {@code t} to {@code p}, which must succeed and store exactly {@code p.after(t)}. */
  Purchase apply(Purchase p, PurchaseTransition t) {
    Optional<Purchase> after = store().transition(p, t);
    assertThat(after).as("%s applied to version %s", t.cause(), p.version()).contains(p.after(t));
    return after.orElseThrow();
  }

  /** The purchase as both instances read it (they must agree). */
  Optional<Purchase> read(TenantId tenant, PurchaseId id) {
    Optional<Purchase> read = store().purchase(tenant, id);
    assertThat(secondInstance().purchase(tenant, id))
        .as("through the second instance")
        .isEqualTo(read);
    return read;
  }

  @Nested
  @DisplayName("Reading: a purchase reads back exactly as stored, every field")
  class Reading {

    @Test
    void required_aPurchaseReadsBackExactlyAsCreated() {
      List<Purchase> created = new ArrayList<>();
      List<Amount> amounts =
          List.of(
              Amount.ofMinor(USD, 1999),
              Amount.ofMinor(JPY, 4500),
              Amount.ofMinor(KWD, 9125),
              Amount.ofMinor(USD, Long.MAX_VALUE));
      for (int i = 0; i < NAMES.size(); i++) {
        Amount amount = amounts.get(i % amounts.size());
        created.add(
            new Purchase(
                tenant,
                PurchaseId.of("p-" + i + "-" + HostileText.CAFE_NFD),
                AccountId.of("acct-" + i + "-\u05E9\u05DC\u05D5\u05DD"),
                new PurchasedItem(
                    i % 2 == 0 ? Kind.CREDIT_PACKAGE : Kind.SUBSCRIPTION_PLAN,
                    "item-" + i + HostileText.EMOJI,
                    1 + i * 1000,
                    NAMES.get(i)),
                amount,
                i % 2 == 0 ? STRIPE : FLUTTERWAVE,
                PurchaseState.CREATED,
                Optional.empty(),
                Optional.empty(),
                Amount.zero(amount.unit()),
                false,
                T0.plusNanos(i * 1000L),
                T0.plusSeconds(i).plusNanos(7000),
                0));
      }
      // Every optional field present, every flag set, created and updated apart.
      Amount price = Amount.ofMinor(KWD, 10_005);
      created.add(
          new Purchase(
              tenant,
              PurchaseId.of(HostileText.LONGEST_ID),
              AccountId.of(HostileText.LONGEST_ID),
              new PurchasedItem(Kind.SUBSCRIPTION_PLAN, HostileText.LONGEST_ID, 42, "Plan"),
              price,
              FLUTTERWAVE,
              PurchaseState.PARTIALLY_REFUNDED,
              Optional.of(ref("tx", "full")),
              Optional.of(ref("pay", "full")),
              Amount.ofMinor(KWD, 1),
              true,
              InputContract.EARLIEST,
              InputContract.LATEST,
              0));
      for (Purchase p : created) {
        assertThat(store().createIfAbsent(p)).as("what createIfAbsent returns").isEqualTo(p);
      }
      for (Purchase p : created) {
        assertThat(read(p.tenant(), p.id())).as("purchase %s", p.id()).contains(p);
        assertThat(store().transitions(p.tenant(), p.id())).isEmpty();
      }
      Purchase full = created.get(created.size() - 1);
      assertThat(store().findByProviderRef(FLUTTERWAVE, ref("tx", "full"))).contains(full);
      assertThat(store().findByProviderRef(FLUTTERWAVE, ref("pay", "full"))).contains(full);
      assertThat(read(tenant, PurchaseId.of("never-created"))).isEmpty();
    }
  }

  @Nested
  @DisplayName("Creating: an id is taken once per tenant; the first purchase stays")
  class Creating {

    @Test
    void required_createIfAbsentKeepsTheFirstPurchaseOfAnIdAndChangesNothing() {
      Purchase first = purchase("p");
      assertThat(store().createIfAbsent(first)).isEqualTo(first);
      Purchase other =
          new Purchase(
              tenant,
              first.id(),
              AccountId.of("someone-else"),
              item("Another item"),
              Amount.ofMinor(JPY, 1),
              FLUTTERWAVE,
              PurchaseState.PENDING,
              Optional.of(ref("cs", "other")),
              Optional.empty(),
              Amount.zero(JPY),
              true,
              T0.plusSeconds(60),
              T0.plusSeconds(60),
              0);
      assertThat(store().createIfAbsent(other)).as("the id is taken").isEqualTo(first);
      assertThat(secondInstance().createIfAbsent(other)).isEqualTo(first);
      assertThat(read(tenant, first.id())).contains(first);
      assertThat(store().findByProviderRef(FLUTTERWAVE, ref("cs", "other")))
          .as("the refused purchase's ref")
          .isEmpty();

      // Created again once it has moved on: still the stored one, not reset to version 0.
      Purchase pending =
          apply(
              first,
              step(
                  first,
                  PurchaseState.PENDING,
                  "library:checkout",
                  Optional.of(ref("cs", "p")),
                  Optional.empty(),
                  0,
                  false));
      assertThat(store().createIfAbsent(first)).isEqualTo(pending);
      assertThat(read(tenant, first.id())).contains(pending);
      assertThat(store().transitions(tenant, first.id())).hasSize(1);
    }
  }

  @Nested
  @DisplayName("ProviderRefs: a checkout or payment ref finds its purchase exactly, and only one")
  class ProviderRefs {

    @Test
    void required_findByProviderRefFindsExactlyByCheckoutAndPaymentRef() {
      String checkout = ref("cs", "AbC");
      String payment = ref("pi", "XyZ");
      Purchase a = purchase("a");
      store().createIfAbsent(a);
      Purchase pending =
          apply(
              a,
              step(
                  a,
                  PurchaseState.PENDING,
                  "library:checkout",
                  Optional.of(checkout),
                  Optional.empty(),
                  0,
                  false));
      Purchase paid =
          apply(
              pending,
              step(
                  pending,
                  PurchaseState.PAID,
                  "stripe:evt_paid",
                  Optional.empty(),
                  Optional.of(payment),
                  0,
                  false));
      // Another tenant's purchase at another provider: the lookup crosses tenants.
      TenantId other = TenantId.of(tenant.value() + "-other");
      String otherRef = ref("FLW", "1");
      Purchase b = PurchaseFixtures.purchase(other, "b", Amount.ofMinor(USD, 500));
      b =
          new Purchase(
              b.tenant(),
              b.id(),
              b.account(),
              b.item(),
              b.amount(),
              FLUTTERWAVE,
              b.state(),
              Optional.of(otherRef),
              Optional.empty(),
              b.refunded(),
              false,
              b.createdAt(),
              b.updatedAt(),
              0);
      store().createIfAbsent(b);
      store().createIfAbsent(purchase("no-refs"));

      for (PurchaseStore through : List.of(store(), secondInstance())) {
        assertThat(through.findByProviderRef(STRIPE, checkout)).contains(paid);
        assertThat(through.findByProviderRef(STRIPE, payment)).contains(paid);
        assertThat(through.findByProviderRef(FLUTTERWAVE, otherRef)).contains(b);
        // Only at its own provider.
        assertThat(through.findByProviderRef(FLUTTERWAVE, checkout)).isEmpty();
        assertThat(through.findByProviderRef(STRIPE, otherRef)).isEmpty();
        assertThat(through.findByProviderRef("Stripe", checkout)).isEmpty();
        // Exactly: case counts, no prefix or pattern, no padding.
        for (String near :
            List.of(
                checkout.toUpperCase(java.util.Locale.ROOT),
                checkout.toLowerCase(java.util.Locale.ROOT),
                checkout.substring(0, checkout.length() - 1),
                checkout + "x",
                checkout + " ",
                "cs_",
                "cs_%",
                checkout.substring(0, checkout.length() - 3) + "%",
                checkout.substring(0, checkout.length() - 3) + "___",
                payment.substring(0, payment.length() - 1),
                payment.toLowerCase(java.util.Locale.ROOT))) {
          assertThat(through.findByProviderRef(STRIPE, near)).as("ref %s", near).isEmpty();
        }
      }

      // A step that gives the purchase new references: they find it, the replaced ones do not.
      String newCheckout = ref("cs", "new");
      Purchase partly =
          apply(
              paid,
              step(
                  paid,
                  PurchaseState.PARTIALLY_REFUNDED,
                  "stripe:evt_refund",
                  Optional.of(newCheckout),
                  Optional.empty(),
                  100,
                  false));
      assertThat(store().findByProviderRef(STRIPE, newCheckout)).contains(partly);
      assertThat(store().findByProviderRef(STRIPE, payment)).contains(partly);
      assertThat(store().findByProviderRef(STRIPE, checkout)).isEmpty();
    }

    @Test
    void required_aProviderRefNamesOnePurchase() {
      String checkout = ref("cs", "taken");
      String payment = ref("pi", "taken");
      Purchase a = purchase("a");
      store().createIfAbsent(a);
      Purchase pending =
          apply(
              a,
              step(
                  a,
                  PurchaseState.PENDING,
                  "library:checkout",
                  Optional.of(checkout),
                  Optional.empty(),
                  0,
                  false));
      Purchase paid =
          apply(
              pending,
              step(
                  pending,
                  PurchaseState.PAID,
                  "stripe:evt_paid",
                  Optional.empty(),
                  Optional.of(payment),
                  0,
                  false));

      // Created with a ref that another purchase holds, in another tenant even: refused.
      TenantId other = TenantId.of(tenant.value() + "-other");
      Purchase template = PurchaseFixtures.purchase(other, "b", Amount.ofMinor(USD, 700));
      Purchase withTaken =
          new Purchase(
              other,
              template.id(),
              template.account(),
              template.item(),
              template.amount(),
              STRIPE,
              PurchaseState.PENDING,
              Optional.of(checkout),
              Optional.empty(),
              template.refunded(),
              false,
              T0,
              T0,
              0);
      assertThatThrownBy(() -> store().createIfAbsent(withTaken))
          .isInstanceOf(PurchaseConflictException.class);
      assertThat(read(other, template.id())).as("a refused purchase is not stored").isEmpty();

      // A step that would give another purchase a taken ref: refused, nothing written.
      Purchase c = purchase("c");
      store().createIfAbsent(c);
      PurchaseTransition takesCheckout =
          step(
              c,
              PurchaseState.PENDING,
              "library:checkout",
              Optional.of(checkout),
              Optional.empty(),
              0,
              false);
      assertThatThrownBy(() -> store().transition(c, takesCheckout))
          .isInstanceOf(PurchaseConflictException.class);
      PurchaseTransition takesPayment =
          step(
              c,
              PurchaseState.PENDING,
              "library:checkout-2",
              Optional.of(ref("cs", "c")),
              Optional.of(payment),
              0,
              false);
      assertThatThrownBy(() -> secondInstance().transition(c, takesPayment))
          .isInstanceOf(PurchaseConflictException.class);
      assertThat(read(tenant, c.id())).contains(c);
      assertThat(store().transitions(tenant, c.id())).isEmpty();
      assertThat(store().findByProviderRef(STRIPE, checkout)).contains(paid);
      assertThat(store().findByProviderRef(STRIPE, payment)).contains(paid);
      assertThat(store().findByProviderRef(STRIPE, ref("cs", "c"))).isEmpty();

      // The same ref at another provider is another ref; a purchase may repeat its own ref.
      Purchase elsewhere =
          new Purchase(
              tenant,
              PurchaseId.of("d"),
              c.account(),
              c.item(),
              c.amount(),
              FLUTTERWAVE,
              PurchaseState.PENDING,
              Optional.of(checkout),
              Optional.of(payment),
              c.refunded(),
              false,
              T0,
              T0,
              0);
      assertThat(store().createIfAbsent(elsewhere)).isEqualTo(elsewhere);
      assertThat(store().findByProviderRef(FLUTTERWAVE, checkout)).contains(elsewhere);
      apply(
          paid,
          step(
              paid,
              PurchaseState.REFUNDED,
              "stripe:evt_refund",
              Optional.of(checkout),
              Optional.of(payment),
              paid.amount().minor(),
              false));
    }
  }

  @Nested
  @DisplayName("Transitions: only at the version decided on, a cause once, stored exactly")
  class Transitions {

    @Test
    void required_aTransitionStoresExactlyThePurchaseAfterIt() {
      Purchase p = PurchaseFixtures.purchase(tenant, "p", Amount.ofMinor(KWD, 50_000));
      store().createIfAbsent(p);
      Purchase pending =
          apply(
              p,
              step(
                  p,
                  PurchaseState.PENDING,
                  "library:checkout",
                  Optional.of(ref("cs", "p")),
                  Optional.empty(),
                  0,
                  false));
      Purchase paid =
          apply(
              pending,
              step(
                  pending,
                  PurchaseState.PAID,
                  "stripe:evt_1",
                  Optional.empty(),
                  Optional.of(ref("pi", "p")),
                  0,
                  false));
      Purchase refunded1 =
          apply(
              paid,
              step(
                  paid,
                  PurchaseState.PARTIALLY_REFUNDED,
                  "stripe:evt_2",
                  Optional.empty(),
                  Optional.empty(),
                  12_345,
                  false));
      // A step that stays in its state: a further refund that also marks the purchase for review.
      Purchase refunded2 =
          apply(
              refunded1,
              step(
                  refunded1,
                  PurchaseState.PARTIALLY_REFUNDED,
                  "stripe:evt_3",
                  Optional.empty(),
                  Optional.empty(),
                  7_655,
                  true));
      // The review flag stays once set; the refunds add up to the whole amount.
      Purchase refunded =
          apply(
              refunded2,
              step(
                  refunded2,
                  PurchaseState.REFUNDED,
                  "stripe:evt_4",
                  Optional.empty(),
                  Optional.empty(),
                  30_000,
                  false));
      assertThat(refunded.version()).isEqualTo(5);
      assertThat(refunded.refunded()).isEqualTo(Amount.ofMinor(KWD, 50_000));
      assertThat(refunded.needsReview()).isTrue();
      assertThat(refunded.checkoutRef()).contains(ref("cs", "p"));
      assertThat(refunded.paymentRef()).contains(ref("pi", "p"));
      assertThat(refunded.updatedAt()).isEqualTo(T0.plusSeconds(5));
      assertThat(refunded.createdAt()).isEqualTo(T0);
      assertThat(read(tenant, p.id())).contains(refunded);
    }

    @Test
    void required_aStaleVersionIsRefusedAndWritesNothing() {
      Purchase p = purchase("p");
      store().createIfAbsent(p);
      Purchase pending = apply(p, step(p, PurchaseState.PENDING, "library:checkout"));
      // Decided on version 0, which has moved on.
      assertThat(store().transition(p, step(p, PurchaseState.CANCELED, "library:cancel")))
          .as("a step decided on version 0")
          .isEmpty();
      // A version the purchase has not reached is not the stored one either.
      Purchase ahead =
          new Purchase(
              pending.tenant(),
              pending.id(),
              pending.account(),
              pending.item(),
              pending.amount(),
              pending.provider(),
              pending.state(),
              pending.checkoutRef(),
              pending.paymentRef(),
              pending.refunded(),
              pending.needsReview(),
              pending.createdAt(),
              pending.updatedAt(),
              7);
      assertThat(
              secondInstance()
                  .transition(ahead, step(ahead, PurchaseState.FAILED, "stripe:evt_failed")))
          .as("a step decided on version 7")
          .isEmpty();
      assertThat(read(tenant, p.id())).contains(pending);
      assertThat(store().transitions(tenant, p.id()))
          .containsExactly(step(p, PurchaseState.PENDING, "library:checkout"));
      // Decided again on what is stored, it applies.
      apply(pending, step(pending, PurchaseState.CANCELED, "library:cancel"));
    }

    @Test
    void required_aCauseIsAppliedOncePerPurchase() {
      Purchase p = purchase("p");
      store().createIfAbsent(p);
      Purchase pending = apply(p, step(p, PurchaseState.PENDING, "library:checkout"));
      Purchase paid = apply(pending, step(pending, PurchaseState.PAID, "stripe:evt_1"));
      // The same cause again, at the current version: a delivery repeated.
      PurchaseTransition again =
          step(
              paid,
              PurchaseState.PARTIALLY_REFUNDED,
              "stripe:evt_1",
              Optional.empty(),
              Optional.empty(),
              100,
              false);
      assertThat(store().transition(paid, again)).isEmpty();
      assertThat(secondInstance().transition(paid, again)).isEmpty();
      assertThat(read(tenant, p.id())).contains(paid);
      assertThat(store().transitions(tenant, p.id())).hasSize(2);

      // The cause is per purchase, and compared exactly.
      Purchase q = purchase("q");
      store().createIfAbsent(q);
      apply(q, step(q, PurchaseState.PENDING, "stripe:evt_1"));
      apply(
          paid,
          step(
              paid,
              PurchaseState.PARTIALLY_REFUNDED,
              "stripe:EVT_1",
              Optional.empty(),
              Optional.empty(),
              100,
              false));
      assertThat(store().transitions(tenant, p.id()))
          .extracting(PurchaseTransition::cause)
          .containsExactly("library:checkout", "stripe:evt_1", "stripe:EVT_1");
    }

    @Test
    void required_transitionsAreListedOldestFirstWithEveryFieldIntact() {
      Purchase p = PurchaseFixtures.purchase(tenant, "p", Amount.ofMinor(KWD, 90_000));
      store().createIfAbsent(p);
      List<PurchaseTransition> steps = new ArrayList<>();
      PurchaseTransition t1 =
          new PurchaseTransition(
              tenant,
              p.id(),
              1,
              PurchaseState.CREATED,
              PurchaseState.PENDING,
              T0.plusNanos(1000),
              "library:checkout",
              "",
              Optional.of(ref("cs", "p")),
              Optional.empty(),
              Amount.zero(KWD),
              false);
      PurchaseTransition t2 =
          new PurchaseTransition(
              tenant,
              p.id(),
              2,
              PurchaseState.PENDING,
              PurchaseState.PAID,
              T0.plusSeconds(2),
              "flutterwave:" + "9".repeat(288),
              "Paid 💳 " + HostileText.REASONS.get(3) + " \u8A9E".repeat(100),
              Optional.empty(),
              Optional.of(ref("pay", "p")),
              Amount.zero(KWD),
              false);
      PurchaseTransition t3 =
          new PurchaseTransition(
              tenant,
              p.id(),
              3,
              PurchaseState.PAID,
              PurchaseState.PARTIALLY_REFUNDED,
              InputContract.LATEST.minusSeconds(10),
              "stripe:evt_\u00E9\uD83D\uDE00",
              "x".repeat(1000),
              Optional.empty(),
              Optional.empty(),
              Amount.ofMinor(KWD, 1),
              true);
      PurchaseTransition t4 =
          new PurchaseTransition(
              tenant,
              p.id(),
              4,
              PurchaseState.PARTIALLY_REFUNDED,
              PurchaseState.PARTIALLY_REFUNDED,
              InputContract.LATEST.minusSeconds(5),
              "library:review",
              "trailing spaces   ",
              Optional.of(ref("cs", "p")),
              Optional.of(ref("pay", "p")),
              Amount.zero(KWD),
              true);
      PurchaseTransition t5 =
          new PurchaseTransition(
              tenant,
              p.id(),
              5,
              PurchaseState.PARTIALLY_REFUNDED,
              PurchaseState.REFUNDED,
              InputContract.LATEST,
              "stripe:evt_last",
              "tab\tand line\nbreaks\r\n",
              Optional.empty(),
              Optional.empty(),
              Amount.ofMinor(KWD, 89_999),
              false);
      Purchase current = p;
      for (PurchaseTransition t : List.of(t1, t2, t3, t4, t5)) {
        current = apply(current, t);
        steps.add(t);
        assertThat(store().transitions(tenant, p.id())).containsExactlyElementsOf(steps);
      }
      assertThat(secondInstance().transitions(tenant, p.id())).containsExactlyElementsOf(steps);
      assertThat(store().transitions(tenant, PurchaseId.of("unknown"))).isEmpty();
    }

    @Test
    void required_aTransitionOfAnUnknownPurchaseIsAConflict() {
      Purchase never = purchase("never-created");
      assertThatThrownBy(
              () -> store().transition(never, step(never, PurchaseState.PENDING, "library:go")))
          .isInstanceOf(PurchaseConflictException.class);
      assertThat(read(tenant, never.id())).isEmpty();
      assertThat(store().transitions(tenant, never.id())).isEmpty();
    }
  }

  @Nested
  @DisplayName("Concurrency: racing writers through two instances leave exactly one winner")
  class Concurrency {

    @Test
    void required_purchasesRacingToCreateOneIdLeaveOne() throws Exception {
      int threads = Math.max(2, concurrentThreads());
      for (int round = 0; round < 5; round++) {
        String id = "race-" + round;
        List<Purchase> results =
            Races.race(
                threads,
                i -> {
                  PurchaseStore through = i % 2 == 0 ? store() : secondInstance();
                  Purchase mine =
                      PurchaseFixtures.purchase(tenant, id, Amount.ofMinor(USD, 100 + i));
                  return () -> through.createIfAbsent(mine);
                });
        Purchase stored = read(tenant, PurchaseId.of(id)).orElseThrow();
        assertThat(results).as("what each creator got back, round %s", round).containsOnly(stored);
      }
    }

    @Test
    void required_transitionsRacingFromOneVersionLeaveExactlyOneWinner() throws Exception {
      int threads = Math.max(2, concurrentThreads());
      List<PurchaseState> targets =
          List.of(
              PurchaseState.PENDING,
              PurchaseState.FAILED,
              PurchaseState.EXPIRED,
              PurchaseState.CANCELED);
      for (int round = 0; round < 5; round++) {
        Purchase p = purchase("race-" + round);
        store().createIfAbsent(p);
        List<PurchaseTransition> steps = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          steps.add(step(p, targets.get(i % targets.size()), "cause-" + i));
        }
        List<Optional<Purchase>> results =
            Races.race(
                threads,
                i -> {
                  PurchaseStore through = i % 2 == 0 ? store() : secondInstance();
                  return () -> through.transition(p, steps.get(i));
                });
        List<Integer> winners = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          if (results.get(i).isPresent()) {
            winners.add(i);
          }
        }
        assertThat(winners).as("steps from version 0 that applied, round %s", round).hasSize(1);
        PurchaseTransition won = steps.get(winners.get(0));
        assertThat(results.get(winners.get(0))).contains(p.after(won));
        assertThat(read(tenant, p.id())).contains(p.after(won));
        assertThat(store().transitions(tenant, p.id())).containsExactly(won);
      }
    }

    @Test
    void required_racingDeliveriesOfOneCauseApplyItOnce() throws Exception {
      int threads = Math.max(2, concurrentThreads());
      for (int round = 0; round < 3; round++) {
        Purchase p =
            PurchaseFixtures.purchase(tenant, "race-" + round, Amount.ofMinor(USD, 1_000_000));
        store().createIfAbsent(p);
        Purchase pending = apply(p, step(p, PurchaseState.PENDING, "library:checkout"));
        Purchase paid = apply(pending, step(pending, PurchaseState.PAID, "stripe:evt_paid"));
        String cause = "stripe:evt_refund_" + round;
        // Each delivery reads, decides a refund of one cent and tries; refused because the version
        // moved, it reads and tries again; refused at a version that stayed, it stops. Only the
        // store's answers count: a store that forgets the cause lets a second delivery apply it.
        List<Boolean> applied =
            Races.race(
                threads,
                i -> {
                  PurchaseStore through = i % 2 == 0 ? store() : secondInstance();
                  return () -> {
                    for (int attempt = 0; attempt < 4 * threads; attempt++) {
                      Purchase current = through.purchase(p.tenant(), p.id()).orElseThrow();
                      PurchaseState to =
                          current.state() == PurchaseState.PAID
                              ? PurchaseState.PARTIALLY_REFUNDED
                              : current.state();
                      PurchaseTransition t =
                          step(current, to, cause, Optional.empty(), Optional.empty(), 1, false);
                      if (through.transition(current, t).isPresent()) {
                        return true;
                      }
                      long now = through.purchase(p.tenant(), p.id()).orElseThrow().version();
                      if (now == current.version()) {
                        return false;
                      }
                    }
                    return false;
                  };
                });
        assertThat(applied.stream().filter(a -> a).count())
            .as("deliveries of %s that applied", cause)
            .isEqualTo(1);
        Purchase after = read(tenant, p.id()).orElseThrow();
        assertThat(after.version()).isEqualTo(paid.version() + 1);
        assertThat(after.refunded()).isEqualTo(Amount.ofMinor(USD, 1));
        assertThat(store().transitions(tenant, p.id()))
            .extracting(PurchaseTransition::cause)
            .containsExactly("library:checkout", "stripe:evt_paid", cause);
      }
    }
  }

  @Nested
  @DisplayName("Tenancy: another tenant's purchases are invisible and untouched")
  class Tenancy {

    @Test
    void required_otherTenantsPurchasesAreInvisible() {
      TenantId other = TenantId.of(tenant.value() + "-other");
      Purchase mine = purchase("p");
      store().createIfAbsent(mine);
      Purchase minePending = apply(mine, step(mine, PurchaseState.PENDING, "library:checkout"));

      assertThat(read(other, mine.id())).isEmpty();
      assertThat(store().transitions(other, mine.id())).isEmpty();

      // The same id in the other tenant is another purchase, with its own transitions.
      Purchase theirs = PurchaseFixtures.purchase(other, "p", Amount.ofMinor(JPY, 300));
      assertThat(store().createIfAbsent(theirs)).isEqualTo(theirs);
      Purchase theirsFailed = apply(theirs, step(theirs, PurchaseState.FAILED, "library:checkout"));
      assertThat(read(other, mine.id())).contains(theirsFailed);
      assertThat(read(tenant, mine.id())).contains(minePending);
      assertThat(store().transitions(other, mine.id()))
          .containsExactly(step(theirs, PurchaseState.FAILED, "library:checkout"));
      assertThat(store().transitions(tenant, mine.id()))
          .containsExactly(step(mine, PurchaseState.PENDING, "library:checkout"));

      // A step that names another tenant than its purchase is refused, and writes nothing.
      PurchaseTransition mine2 = step(minePending, PurchaseState.PAID, "stripe:evt_x");
      PurchaseTransition crossed =
          new PurchaseTransition(
              other,
              mine2.purchase(),
              mine2.sequence(),
              mine2.from(),
              mine2.to(),
              mine2.at(),
              mine2.cause(),
              mine2.detail(),
              mine2.checkoutRef(),
              mine2.paymentRef(),
              mine2.refunded(),
              mine2.review());
      assertThatThrownBy(() -> store().transition(minePending, crossed))
          .isInstanceOf(InvalidRequestException.class);
      // A purchase of a third tenant that has none of that id: unknown there.
      TenantId third = TenantId.of(tenant.value() + "-third");
      Purchase ghost = PurchaseFixtures.purchase(third, "p", Amount.ofMinor(USD, 1999));
      assertThatThrownBy(
              () -> store().transition(ghost, step(ghost, PurchaseState.PENDING, "library:go")))
          .isInstanceOf(PurchaseConflictException.class);
      assertThat(read(third, mine.id())).isEmpty();
      assertThat(read(tenant, mine.id())).contains(minePending);
      assertThat(read(other, mine.id())).contains(theirsFailed);
      assertThat(store().transitions(tenant, mine.id())).hasSize(1);
      assertThat(store().transitions(other, mine.id())).hasSize(1);
    }
  }
}
