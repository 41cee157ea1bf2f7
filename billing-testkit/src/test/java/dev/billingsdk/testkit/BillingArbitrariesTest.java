package dev.billingsdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccountId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.CostBasis;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.InsufficientCreditException;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.metering.Aggregation;
import dev.billingsdk.metering.IngestResult;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.MeterPrice;
import dev.billingsdk.metering.MeteringSettings;
import dev.billingsdk.metering.PriceBook;
import dev.billingsdk.metering.PriceModel;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.Unit;
import dev.billingsdk.setup.Billing;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The generators make only requests the library accepts, within their documented bounds. */
class BillingArbitrariesTest {
  static final TenantId TENANT = TenantId.of("host");
  static final AccountId ACCOUNT = AccountId.of("acct");
  static final Instant NOW = TestClock.DEFAULT_START;

  /** A fresh in-memory billing on {@code clock} with the account open in {@code unit}. */
  static Billing billing(TestClock clock, Unit unit, OverdraftPolicy policy) {
    Billing billing = Billing.builder().store(InMemoryBillingStore.create()).clock(clock).build();
    billing
        .credits()
        .openAccount(
            OpenAccountRequest.builder(TENANT, ACCOUNT, unit)
                .actor(BillingArbitraries.ACTOR)
                .overdraftPolicy(policy)
                .build());
    return billing;
  }

  record World(
      Unit unit,
      OverdraftPolicy policy,
      List<GrantRequest> grants,
      List<ChargeRequest> charges,
      int minutesLater) {}

  @Provide
  Arbitrary<World> worlds() {
    return BillingArbitraries.units()
        .flatMap(
            unit ->
                Combinators.combine(
                        Arbitraries.just(unit),
                        BillingArbitraries.overdraftPolicies(unit),
                        Arbitraries.oneOf(
                                BillingArbitraries.grants(TENANT, ACCOUNT, unit),
                                BillingArbitraries.grants(TENANT, ACCOUNT, unit, NOW))
                            .list()
                            .ofMaxSize(8),
                        BillingArbitraries.charges(TENANT, ACCOUNT, unit).list().ofMaxSize(12),
                        Arbitraries.integers().between(0, 59))
                    .as(World::new));
  }

  @Property(tries = 300)
  void generatedGrantsAndChargesAreAcceptedInEveryUnit(@ForAll("worlds") World w) {
    // The windowed grants are accepted until an hour after NOW.
    TestClock clock = new TestClock(NOW.plus(Duration.ofMinutes(w.minutesLater())));
    Billing billing = billing(clock, w.unit(), w.policy());
    for (GrantRequest g : w.grants()) {
      assertThat(g.amount().unit()).isEqualTo(w.unit());
      assertThat(g.category().equals(GrantCategory.PURCHASED))
          .as("purchased exactly when paid")
          .isEqualTo(!g.costBasis().isFree());
      assertThat(billing.credits().grant(g).replayed()).as("a fresh key each").isFalse();
    }
    for (ChargeRequest c : w.charges()) {
      try {
        assertThat(billing.credits().charge(c).replayed()).as("a fresh key each").isFalse();
      } catch (InsufficientCreditException refused) {
        // the library's answer to an account without enough credit, not a bad request
      }
    }
    LedgerChecks.assertConsistent(billing, TENANT, ACCOUNT);
  }

  @Property(tries = 200)
  void grantTermsBuiltWhenSentAreAcceptedAtAnyLaterTime(
      @ForAll("termsAndHours") List<TermsAt> grants) {
    TestClock clock = new TestClock(NOW);
    Billing billing = billing(clock, BillingArbitraries.CREDIT, OverdraftPolicy.reject());
    for (TermsAt g : grants) {
      clock.advance(Duration.ofHours(g.hoursLater()));
      Instant now = clock.instant();
      GrantResult r =
          billing
              .credits()
              .grant(
                  g.terms()
                      .builder(TENANT, ACCOUNT, now)
                      .idempotencyKey(IdempotencyKey.of("later-" + UUID.randomUUID()))
                      .actor(BillingArbitraries.ACTOR)
                      .reason("later")
                      .build());
      Instant effective = g.terms().effectiveOffset().map(now::plus).orElse(now);
      assertThat(r.grant().effectiveFrom()).isEqualTo(effective);
      assertThat(r.grant().expiresAt())
          .isEqualTo(
              g.terms()
                  .expiresAfter()
                  .map(d -> (effective.isAfter(now) ? effective : now).plus(d)));
    }
    LedgerChecks.assertConsistent(billing, TENANT, ACCOUNT);
  }

  record TermsAt(GrantTerms terms, int hoursLater) {}

  @Provide
  Arbitrary<List<TermsAt>> termsAndHours() {
    return Combinators.combine(
            BillingArbitraries.grantTerms(BillingArbitraries.CREDIT),
            Arbitraries.integers().between(0, 24 * 60))
        .as(TermsAt::new)
        .list()
        .ofMaxSize(6);
  }

  @Property(tries = 100)
  void generatedUsageEventsAreIngested(
      @ForAll("usage") List<UsageEvent> events, @ForAll @IntRange(max = 48 * 60) int minutesLater) {
    TestClock clock = new TestClock(NOW.plus(Duration.ofMinutes(minutesLater)));
    PriceBook prices =
        PriceBook.builder(RoundingMode.HALF_EVEN)
            .meter("m1", MeterPrice.of(BillingArbitraries.CREDIT, PriceModel.perUnit("0.01")))
            .build();
    Billing billing =
        Billing.builder()
            .store(InMemoryBillingStore.create())
            .clock(clock)
            .metering(MeteringSettings.of(prices, Duration.ofHours(1)))
            .build();
    billing
        .credits()
        .openAccount(
            OpenAccountRequest.builder(TENANT, ACCOUNT, BillingArbitraries.CREDIT)
                .actor(BillingArbitraries.ACTOR)
                .build());
    billing
        .metering()
        .defineMeter(
            Meter.builder(TENANT, "m1", Aggregation.SUM).unit("tokens").build(),
            BillingArbitraries.ACTOR);
    List<IngestResult> results = billing.metering().ingest(events, BillingArbitraries.ACTOR);
    assertThat(results).hasSize(events.size()).noneMatch(IngestResult::duplicate);
    for (UsageEvent e : events) {
      assertThat(e.quantity().scale()).isLessThanOrEqualTo(3);
      assertThat(e.occurredAt()).isBetween(NOW.minus(Duration.ofDays(1)), NOW);
    }
  }

  @Provide
  Arbitrary<List<UsageEvent>> usage() {
    return BillingArbitraries.usageEvents(TENANT, ACCOUNT, "m1", NOW).list().ofMaxSize(20);
  }

  record Bounded(
      Unit unit, int max, Amount upToMax, Amount any, OverdraftPolicy policy, CostBasis cost) {}

  @Provide
  Arbitrary<Bounded> bounded() {
    return Combinators.combine(
            BillingArbitraries.units(), Arbitraries.integers().between(1, 10_000))
        .flatAs(
            (unit, max) ->
                Combinators.combine(
                        BillingArbitraries.amounts(unit, max),
                        BillingArbitraries.amounts(unit),
                        BillingArbitraries.overdraftPolicies(unit, max),
                        BillingArbitraries.costBases(unit))
                    .as(
                        (upToMax, any, policy, cost) ->
                            new Bounded(unit, max, upToMax, any, policy, cost)));
  }

  @Property(tries = 500)
  void amountsLimitsAndPricesStayWithinTheirBounds(@ForAll("bounded") Bounded b) {
    assertThat(b.upToMax().unit()).isEqualTo(b.unit());
    assertThat(b.upToMax().minor()).isBetween(1L, (long) b.max());
    assertThat(b.any().unit()).isEqualTo(b.unit());
    assertThat(b.any().minor()).isBetween(1L, 5_000L);
    if (b.policy() instanceof OverdraftPolicy.Limit l) {
      assertThat(l.limit().unit()).isEqualTo(b.unit());
      assertThat(l.limit().minor()).isBetween(1L, (long) b.max());
    }
    b.cost().price().ifPresent(p -> assertThat(p.per().unit()).isEqualTo(b.unit()));
  }

  @Property(tries = 50)
  void aListOfRequestsNeverRepeatsAKey(@ForAll("manyCharges") List<ChargeRequest> charges) {
    assertThat(charges.stream().map(ChargeRequest::idempotencyKey).distinct().count())
        .isEqualTo(charges.size());
  }

  @Provide
  Arbitrary<List<ChargeRequest>> manyCharges() {
    return BillingArbitraries.charges(TENANT, ACCOUNT, BillingArbitraries.CREDIT)
        .list()
        .ofMinSize(50)
        .ofMaxSize(200);
  }

  @Test
  void everyKindOfPolicyScopeAndMeterComesUp() {
    List<OverdraftPolicy> policies =
        BillingArbitraries.overdraftPolicies(BillingArbitraries.CREDIT)
            .sampleStream()
            .limit(300)
            .toList();
    assertThat(policies)
        .contains(OverdraftPolicy.reject(), OverdraftPolicy.partial())
        .anyMatch(p -> p instanceof OverdraftPolicy.Limit);
    assertThat(BillingArbitraries.scopes().sampleStream().limit(500).distinct().count())
        .isEqualTo(9);
    assertThat(
            BillingArbitraries.charges(BillingArbitraries.CREDIT)
                .sampleStream()
                .limit(500)
                .map(c -> c.itemCode())
                .distinct())
        .containsExactlyInAnyOrder("m1", "m2", "m3", "fixed_fee", "licence", "add_on");
    assertThat(BillingArbitraries.grantTerms(BillingArbitraries.CREDIT).sampleStream().limit(500))
        .anyMatch(t -> t.category().equals(GrantCategory.PURCHASED))
        .anyMatch(t -> t.effectiveOffset().isPresent() && t.expiresAfter().isPresent())
        .anyMatch(t -> t.effectiveOffset().isEmpty() && t.expiresAfter().isEmpty());
  }

  @Test
  void badBoundsAndBadTermsAreRefusedByName() {
    assertThatThrownBy(() -> BillingArbitraries.amounts(BillingArbitraries.CREDIT, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("largest amount");
    assertThatThrownBy(() -> BillingArbitraries.overdraftPolicies(BillingArbitraries.CREDIT, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("largest limit");
    assertThatThrownBy(
            () ->
                new GrantTerms(
                    Amount.ofMinor(BillingArbitraries.CREDIT, 5),
                    50,
                    GrantCategory.PROMOTIONAL,
                    Optional.empty(),
                    Optional.of(Duration.ZERO),
                    Scope.everything(),
                    CostBasis.free()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expiresAfter");
    assertThatThrownBy(
            () ->
                new GrantTerms(
                    Amount.ofMinor(BillingArbitraries.CREDIT, 5),
                    50,
                    GrantCategory.PROMOTIONAL,
                    Optional.empty(),
                    Optional.of(Duration.ofHours(-1)),
                    Scope.everything(),
                    CostBasis.free()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-1H");
    assertThatThrownBy(() -> BillingArbitraries.grants(null, ACCOUNT, BillingArbitraries.CREDIT))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("tenant");
    assertThatThrownBy(() -> BillingArbitraries.usageEvents(TENANT, ACCOUNT, "m1", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("now");
  }
}
