package dev.billingsdk.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdGenerator;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeQuote;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantOrder;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.InsufficientCreditException;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.ReverseRequest;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.credit.VoidGrantRequest;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.AccountSnapshot;
import dev.billingsdk.spi.LiveGrants;
import dev.billingsdk.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory store keeps each account's live grants in the grant order the Billing offered it:
 * after random grants, charges, voids, reversals (credit back onto spent grants) and the clock
 * passing expiries, a snapshot's live grants are exactly the grants holding credit, sorted by the
 * order, with their sum; and a charge decided by walking that list quotes exactly what the same
 * charge decided by ordering the grants itself (a second Billing on the store whose order is equal
 * but not the same object) quotes.
 */
class OrderedLiveGrantsPropertiesTest {
  static final TenantId TENANT = TenantId.of("ordered");
  static final AccountId ACCOUNT = AccountId.of("acct");
  static final CreditUnit CREDITS = CreditUnit.of("CREDIT", 2);
  static final Actor ADMIN = Actor.of("admin", Role.ADMIN);
  static final Instant START = Instant.parse("2026-03-01T00:00:00Z");

  /** A host order: lowest priority number last, then the standard order. */
  static final Comparator<Grant> HOST =
      Comparator.comparingInt((Grant g) -> -g.priority()).thenComparing(GrantOrder.standard());

  /** One step: what it does, and small numbers it uses. */
  record Step(int kind, int a, int b, int c) {}

  @Provide
  Arbitrary<List<Step>> steps() {
    return Arbitraries.integers()
        .between(0, 5)
        .flatMap(
            kind ->
                Arbitraries.integers()
                    .between(0, 99)
                    .list()
                    .ofSize(3)
                    .map(n -> new Step(kind, n.get(0), n.get(1), n.get(2))))
        .list()
        .ofMinSize(1)
        .ofMaxSize(40);
  }

  @Property(tries = 150)
  void liveGrantsStayInTheOrderAndChargesMatchTheUnorderedDecision(
      @ForAll("steps") List<Step> steps, @ForAll boolean hostOrder) {
    TestClock clock = new TestClock(START);
    InMemoryBillingStore ordered = InMemoryBillingStore.create();
    Billing billing = build(ordered, clock, hostOrder ? HOST : null);
    open(billing);
    List<String> charges = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      step(billing, clock, steps.get(i), charges, "k-" + i);
      check(ordered, hostOrder);
    }
    {
      // The same store seen by a Billing that orders grants itself: the same quotes.
      Billing unordered =
          build(
              ordered,
              clock,
              hostOrder ? GrantOrder.totalOf(HOST) : GrantOrder.totalOf(GrantOrder.standard()));
      for (long minor : new long[] {1, 50, 250, 1_000, 100_000}) {
        for (ChargeKind kind : new ChargeKind[] {ChargeKind.USAGE, ChargeKind.FIXED_FEE}) {
          Charge c = Charge.of(kind, "item-a", Amount.ofMinor(CREDITS, minor));
          ChargeQuote walked = billing.credits().quote(TENANT, ACCOUNT, c);
          ChargeQuote sorted = unordered.credits().quote(TENANT, ACCOUNT, c);
          assertThat(walked).isEqualTo(sorted);
        }
      }
    }
  }

  private static void check(InMemoryBillingStore store, boolean hostOrder) {
    AccountSnapshot snapshot = store.loadAccount(TENANT, ACCOUNT).orElseThrow();
    assertThat(snapshot.liveGrants()).isInstanceOf(LiveGrants.class);
    LiveGrants live = (LiveGrants) snapshot.liveGrants();
    Comparator<Grant> order = live.order();
    if (!hostOrder) {
      assertThat(order).isSameAs(GrantOrder.standard());
    }
    List<GrantBalance> expected = new ArrayList<>();
    long sum = 0;
    for (GrantBalance g : store.grants(TENANT, ACCOUNT)) {
      if (!g.remaining().isZero()) {
        expected.add(g);
        sum += g.remaining().minor();
      }
    }
    expected.sort(Comparator.comparing(GrantBalance::grant, order));
    if (hostOrder) {
      List<GrantBalance> byHost = new ArrayList<>(expected);
      byHost.sort(Comparator.comparing(GrantBalance::grant, GrantOrder.totalOf(HOST)));
      assertThat(expected).isEqualTo(byHost);
    }
    List<GrantBalance> walked = new ArrayList<>();
    for (int i = 0; i < live.size(); i++) {
      walked.add(live.inOrder(i));
    }
    assertThat(walked).containsExactlyElementsOf(expected);
    List<GrantBalance> bySequence = new ArrayList<>(expected);
    bySequence.sort(Comparator.comparingLong(g -> g.grant().sequence()));
    assertThat(live).as("the list itself in creation order").containsExactlyElementsOf(bySequence);
    assertThat(live.remainingFits()).isTrue();
    assertThat(live.remainingMinor()).isEqualTo(sum);
  }

  private static Billing build(
      InMemoryBillingStore store, TestClock clock, @Nullable Comparator<Grant> order) {
    Billing.Builder b = Billing.builder().store(store).clock(clock).ids(IdGenerator.sequential());
    if (order != null) {
      b.grantOrder(order);
    }
    return b.build();
  }

  private static void open(Billing billing) {
    billing
        .credits()
        .openAccount(
            OpenAccountRequest.builder(TENANT, ACCOUNT, CREDITS)
                .overdraftPolicy(OverdraftPolicy.allowDownTo(Amount.ofMinor(CREDITS, 300)))
                .actor(ADMIN)
                .build());
  }

  /**
   * One step under its own key: two equal steps at the same instant are two requests (a shared key
   * would make the second a replay, and its charge would be reversed twice).
   */
  private static void step(
      Billing billing, TestClock clock, Step s, List<String> charges, String key) {
    switch (s.kind()) {
      case 0:
      case 1:
        GrantRequest.Builder g =
            GrantRequest.builder(TENANT, ACCOUNT, Amount.ofMinor(CREDITS, 1 + s.a() * 7L))
                .priority(1 + s.b() % 5)
                .scope(s.c() % 3 == 0 ? Scope.kinds(ChargeKind.FIXED_FEE) : Scope.everything());
        if (s.c() % 4 == 1) {
          g.expiresAt(clock.instant().plus(Duration.ofDays(1 + s.c() % 7)));
        } else if (s.c() % 4 == 2) {
          g.effectiveFrom(clock.instant().plus(Duration.ofDays(1 + s.b() % 3)));
        }
        billing
            .credits()
            .grant(g.idempotencyKey(IdempotencyKey.of(key)).actor(ADMIN).reason("grant").build());
        break;
      case 2:
        try {
          ChargeResult r =
              billing
                  .credits()
                  .charge(
                      ChargeRequest.builder(
                              TENANT,
                              ACCOUNT,
                              Charge.of(
                                  s.c() % 2 == 0 ? ChargeKind.USAGE : ChargeKind.FIXED_FEE,
                                  "item-a",
                                  Amount.ofMinor(CREDITS, 1 + s.a() * 5L)))
                          .idempotencyKey(IdempotencyKey.of(key))
                          .actor(ADMIN)
                          .reason("charge")
                          .build());
          charges.add(r.transaction().id().value());
        } catch (InsufficientCreditException refused) {
          // fine: the account could not pay
        }
        break;
      case 3:
        List<GrantBalance> grants = billing.credits().grants(TENANT, ACCOUNT);
        if (!grants.isEmpty()) {
          GrantBalance victim = grants.get(s.a() % grants.size());
          if (!victim.voided()) {
            billing
                .credits()
                .voidGrant(
                    VoidGrantRequest.builder(TENANT, ACCOUNT, victim.grant().id())
                        .idempotencyKey(IdempotencyKey.of(key))
                        .actor(ADMIN)
                        .reason("void")
                        .build());
          }
        }
        break;
      case 4:
        if (!charges.isEmpty()) {
          String original = charges.remove(s.a() % charges.size());
          billing
              .credits()
              .reverse(
                  ReverseRequest.builder(
                          TENANT, ACCOUNT, dev.billingsdk.ledger.TransactionId.of(original))
                      .idempotencyKey(IdempotencyKey.of(key))
                      .actor(ADMIN)
                      .reason("reverse")
                      .build());
        }
        break;
      default:
        clock.advance(Duration.ofHours(1 + s.a() * 2L));
        break;
    }
  }
}
