package dev.billingsdk.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import dev.billingsdk.AccountId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Allocation;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeQuote;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.Unit;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.testkit.BillingArbitraries;
import dev.billingsdk.testkit.LedgerChecks;
import dev.billingsdk.testkit.TestClock;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * A host testing its own credit math with the test kit alone (billing-core and billing-testkit, no
 * storage TCK): generated grants in any unit, generated token counts priced by the host's formula
 * and charged by its "pay what fits" rule, then the ledger checked with {@link LedgerChecks}. This
 * is the shape docs/testkit.md shows.
 */
class HostCreditMathTest {
  static final TenantId TENANT = TenantId.of("host");
  static final AccountId ACCOUNT = AccountId.of("customer-42");

  /**
   * The host's own code under test: LLM tokens priced per thousand, rounded up to the unit's minor
   * unit, and a charge that spends what the account can pay now instead of being refused.
   */
  static final class TokenBilling {
    private final Billing billing;
    private final Amount perThousandTokens;

    TokenBilling(Billing billing, Amount perThousandTokens) {
      this.billing = billing;
      this.perThousandTokens = perThousandTokens;
    }

    /** What {@code tokens} cost, rounded up: the host never undercharges a fraction. */
    Amount price(long tokens) {
      BigDecimal cost =
          perThousandTokens
              .toDecimal()
              .multiply(BigDecimal.valueOf(tokens))
              .divide(BigDecimal.valueOf(1000));
      return Amount.of(perThousandTokens.unit(), cost, RoundingMode.CEILING);
    }

    /** Charges the price of {@code tokens}, or as much of it as fits; returns what was charged. */
    Amount chargeWhatFits(long tokens, IdempotencyKey key) {
      Amount cost = price(tokens);
      Amount zero = Amount.zero(cost.unit());
      if (!cost.isPositive()) {
        return zero;
      }
      Charge wanted = Charge.usage("llm-tokens", cost);
      ChargeQuote quote = billing.credits().quote(TENANT, ACCOUNT, wanted);
      Amount fits = cost;
      if (quote.wouldBeRejected()) {
        fits = zero;
        for (Allocation a : quote.allocations()) {
          fits = fits.plus(a.amount());
        }
      }
      if (!fits.isPositive()) {
        return zero;
      }
      return billing
          .credits()
          .charge(
              ChargeRequest.builder(TENANT, ACCOUNT, Charge.usage("llm-tokens", fits))
                  .idempotencyKey(key)
                  .actor(BillingArbitraries.ACTOR)
                  .reason("llm call")
                  .build())
          .charged();
    }
  }

  record Month(Unit unit, List<GrantRequest> grants, Amount perThousand, List<Long> calls) {}

  // tag::host-property[]
  @Provide
  Arbitrary<Month> months() {
    return BillingArbitraries.units()
        .flatMap(
            unit ->
                Combinators.combine(
                        Arbitraries.just(unit),
                        BillingArbitraries.grants(TENANT, ACCOUNT, unit).list().ofMaxSize(5),
                        BillingArbitraries.amounts(unit, 500),
                        Arbitraries.longs().between(0, 200_000).list().ofMaxSize(15))
                    .as(Month::new));
  }

  @Property(tries = 200)
  void the_host_never_charges_more_than_was_granted_and_the_ledger_stays_consistent(
      @ForAll("months") Month m) {
    TestClock clock = new TestClock();
    Billing billing = Billing.builder().store(InMemoryBillingStore.create()).clock(clock).build();
    billing
        .credits()
        .openAccount(
            OpenAccountRequest.builder(TENANT, ACCOUNT, m.unit())
                .actor(BillingArbitraries.ACTOR)
                .build());
    Amount granted = Amount.zero(m.unit());
    for (GrantRequest g : m.grants()) {
      granted = granted.plus(billing.credits().grant(g).grant().amount());
    }
    TokenBilling host = new TokenBilling(billing, m.perThousand());
    Amount charged = Amount.zero(m.unit());
    for (long tokens : m.calls()) {
      Amount c = host.chargeWhatFits(tokens, IdempotencyKey.of("call-" + UUID.randomUUID()));
      assertThat(c).as("never more than the price").isLessThanOrEqualTo(host.price(tokens));
      charged = charged.plus(c);
      clock.advance(Duration.ofMinutes(5));
    }

    LedgerChecks.assertConsistent(billing, TENANT, ACCOUNT);
    assertThat(billing.credits().balance(TENANT, ACCOUNT).total())
        .as("what the host charged is exactly what left the balance")
        .isEqualTo(granted.minus(charged));
    assertThat(
            billing.ledger().transactions(TENANT, ACCOUNT).stream()
                .mapToLong(t -> t.minorOn(LedgerAccount.counter(LedgerAccount.Kind.CONSUMED)))
                .sum())
        .isEqualTo(charged.minor());
  }

  // end::host-property[]

  @Test
  void the_price_rounds_up_to_the_minor_unit() {
    TokenBilling host =
        new TokenBilling(null, Amount.of(BillingArbitraries.CREDIT, new BigDecimal("0.15")));
    assertThat(host.price(1000)).isEqualTo(Amount.of(BillingArbitraries.CREDIT, "0.15"));
    assertThat(host.price(1)).isEqualTo(Amount.of(BillingArbitraries.CREDIT, "0.01"));
    assertThat(host.price(0).isZero()).isTrue();
  }

  /**
   * What a host's test of its credit math needs: billing-core and billing-testkit, nothing more.
   */
  static final ArchRule NO_STORAGE_TCK =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.billingsdk.tck..",
              "dev.billingsdk.jdbc..",
              "dev.billingsdk.internal..",
              "dev.billingsdk.bench..")
          .because("a host tests its credit math with billing-core and billing-testkit alone");

  @Test
  void this_host_test_needs_no_storage_tck() {
    NO_STORAGE_TCK.check(
        new ClassFileImporter()
            .importClasses(HostCreditMathTest.class, TokenBilling.class, Month.class));
    // The rule can fail: the TCK's own classes break it (named by text, so this class stays clean).
    assertThat(
            NO_STORAGE_TCK
                .evaluate(new ClassFileImporter().importPackages("dev.billingsdk.tck"))
                .hasViolation())
        .isTrue();
  }
}
