package dev.billingsdk.invoice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdGenerator;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Allocation;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantOrder;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.InvoiceCreditRequest;
import dev.billingsdk.credit.InvoiceCreditResult;
import dev.billingsdk.credit.InvoiceLine;
import dev.billingsdk.credit.ItemRef;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.credit.VoidGrantRequest;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * For random invoices and random credits (any scope, priority, expiry; some expired, some not yet
 * effective, some voided), applying credits keeps the rules: every line's applied plus due is its
 * amount; no credit pays outside its scope or while unavailable; no credit pays more than it had;
 * what was applied is exactly the CONSUMED posting and what left the grants; nothing is owed; on
 * each line credits pay in the grant order; a line is left due only when every credit that could
 * pay it is spent; the preview and the replay tell the same story as the application.
 */
class InvoiceCreditPropertiesTest {
  static final TenantId TENANT = TenantId.of("chatppt");
  static final AccountId ACCOUNT = AccountId.of("john-wick");
  static final CurrencyUnit USD = CurrencyUnit.of("USD");
  static final Actor FINANCE = Actor.of("finance-fran", Role.FINANCE);
  static final Instant GRANTED = Instant.parse("2025-08-01T00:00:00Z");
  static final Instant INVOICED = GRANTED.plus(Duration.ofDays(5));

  enum Validity {
    ACTIVE,
    EXPIRED,
    NOT_YET_EFFECTIVE,
    VOIDED
  }

  record LineSpec(ChargeKind kind, String item, long minor) {}

  /**
   * @param expiry for an active credit: 0 for none, else the number of tens of days after GRANTED
   */
  record CreditSpec(long minor, int priority, Scope scope, Validity validity, int expiry) {}

  @Provide
  Arbitrary<List<LineSpec>> lines() {
    return Combinators.combine(
            Arbitraries.of(ChargeKind.class),
            Arbitraries.integers().between(1, 3),
            Arbitraries.longs().between(1, 10_000))
        .as((kind, n, minor) -> new LineSpec(kind, code(kind, n), minor))
        .list()
        .ofMinSize(1)
        .ofMaxSize(8);
  }

  @Provide
  Arbitrary<List<CreditSpec>> credits() {
    Arbitrary<Validity> validity =
        Arbitraries.frequency(
            Tuple.of(6, Validity.ACTIVE),
            Tuple.of(1, Validity.EXPIRED),
            Tuple.of(1, Validity.NOT_YET_EFFECTIVE),
            Tuple.of(1, Validity.VOIDED));
    return Combinators.combine(
            Arbitraries.longs().between(1, 20_000),
            Arbitraries.integers().between(1, 100),
            scopes(),
            validity,
            Arbitraries.integers().between(0, 3))
        .as(CreditSpec::new)
        .list()
        .ofMaxSize(6);
  }

  Arbitrary<Scope> scopes() {
    Arbitrary<Set<ChargeKind>> kinds = Arbitraries.of(ChargeKind.class).set().ofMinSize(1);
    Arbitrary<Set<ItemRef>> items =
        Combinators.combine(Arbitraries.of(ChargeKind.class), Arbitraries.integers().between(1, 3))
            .as((kind, n) -> ItemRef.of(kind, code(kind, n)))
            .set()
            .ofMinSize(1)
            .ofMaxSize(4);
    return Arbitraries.oneOf(
        Arbitraries.just(Scope.everything()),
        kinds.map(k -> new Scope(false, k, Set.of())),
        items.map(i -> new Scope(false, Set.of(), i)),
        Combinators.combine(kinds, items).as((k, i) -> new Scope(false, k, i)));
  }

  @Provide
  Arbitrary<OverdraftPolicy> policies() {
    return Arbitraries.of(
        OverdraftPolicy.reject(),
        OverdraftPolicy.partial(),
        OverdraftPolicy.allowDownTo(Amount.ofMinor(USD, 1_000_000)));
  }

  static String code(ChargeKind kind, int n) {
    return kind.name().toLowerCase() + "-" + n;
  }

  @Property(tries = 1000)
  void credits_applied_to_an_invoice_keep_every_rule(
      @ForAll("lines") List<LineSpec> lineSpecs,
      @ForAll("credits") List<CreditSpec> creditSpecs,
      @ForAll("policies") OverdraftPolicy policy) {
    TestClock clock = new TestClock(GRANTED);
    InMemoryBillingStore store = InMemoryBillingStore.create();
    Billing billing =
        Billing.builder().store(store).clock(clock).ids(IdGenerator.sequential()).build();
    billing
        .credits()
        .openAccount(
            OpenAccountRequest.builder(TENANT, ACCOUNT, USD)
                .actor(FINANCE)
                .overdraftPolicy(policy)
                .build());

    Map<GrantId, Validity> validity = new HashMap<>();
    int keys = 0;
    for (CreditSpec c : creditSpecs) {
      GrantRequest.Builder b =
          GrantRequest.builder(TENANT, ACCOUNT, Amount.ofMinor(USD, c.minor()))
              .priority(c.priority())
              .scope(c.scope())
              .idempotencyKey(IdempotencyKey.of("grant-" + ++keys))
              .actor(FINANCE)
              .reason("credit");
      switch (c.validity()) {
        case ACTIVE -> {
          if (c.expiry() > 0) {
            b.expiresAt(GRANTED.plus(Duration.ofDays(10L * c.expiry())));
          }
        }
        case EXPIRED -> b.expiresAt(GRANTED.plus(Duration.ofDays(1)));
        case NOT_YET_EFFECTIVE -> b.effectiveFrom(INVOICED.plus(Duration.ofDays(1)));
        case VOIDED -> {}
      }
      GrantId id = billing.credits().grant(b.build()).grant().id();
      validity.put(id, c.validity());
      if (c.validity() == Validity.VOIDED) {
        billing
            .credits()
            .voidGrant(
                VoidGrantRequest.builder(TENANT, ACCOUNT, id)
                    .idempotencyKey(IdempotencyKey.of("void-" + ++keys))
                    .actor(FINANCE)
                    .reason("void")
                    .build());
      }
    }
    clock.set(INVOICED);

    List<InvoiceLine> lines = new ArrayList<>();
    for (int i = 0; i < lineSpecs.size(); i++) {
      LineSpec l = lineSpecs.get(i);
      lines.add(InvoiceLine.of("line-" + i, l.kind(), l.item(), Amount.ofMinor(USD, l.minor())));
    }
    InvoiceCreditRequest request =
        InvoiceCreditRequest.builder(TENANT, ACCOUNT, "INV-1")
            .lines(lines)
            .idempotencyKey(IdempotencyKey.of("invoice-1"))
            .actor(FINANCE)
            .reason("invoice")
            .build();
    Map<GrantId, GrantBalance> before = grantsOf(billing);
    List<LedgerTransaction> ledgerBefore = billing.ledger().transactions(TENANT, ACCOUNT);

    InvoiceCreditResult preview = billing.invoiceCredits().preview(request);
    assertThat(billing.ledger().transactions(TENANT, ACCOUNT)).isEqualTo(ledgerBefore);
    InvoiceCreditResult result = billing.invoiceCredits().apply(request);
    Map<GrantId, GrantBalance> after = grantsOf(billing);

    // The preview told the same story; the result lists every line in order.
    assertThat(result.lines()).isEqualTo(preview.lines());
    assertThat(result.lines())
        .extracting(InvoiceCreditResult.LineCredit::line)
        .containsExactlyElementsOf(lines);

    Comparator<Grant> order = GrantOrder.standard();
    Map<GrantId, Long> paidBy = new HashMap<>();
    long applied = 0;
    long total = 0;
    for (InvoiceCreditResult.LineCredit lc : result.lines()) {
      InvoiceLine line = lc.line();
      long paid = 0;
      Grant previous = null;
      for (Allocation a : lc.applied()) {
        Grant g = before.get(a.grant()).grant();
        // No credit pays outside its scope, nor while expired, not yet effective or voided.
        assertThat(g.scope().covers(line.kind(), line.itemCode())).isTrue();
        assertThat(validity.get(a.grant())).isEqualTo(Validity.ACTIVE);
        assertThat(a.amount().isPositive()).isTrue();
        // On each line, credits pay in the grant order, each at most once.
        if (previous != null) {
          assertThat(order.compare(previous, g)).isNegative();
        }
        previous = g;
        paid += a.amount().minor();
        paidBy.merge(a.grant(), a.amount().minor(), Long::sum);
      }
      // Applied plus due is the line's amount.
      assertThat(lc.due().minor()).isNotNegative();
      assertThat(paid + lc.due().minor()).isEqualTo(line.amount().minor());
      applied += paid;
      total += line.amount().minor();
      // A line is left due only when every credit that could pay it is spent.
      if (lc.due().isPositive()) {
        for (GrantBalance g : after.values()) {
          if (g.canPay(line.kind(), line.itemCode(), INVOICED)) {
            throw new AssertionError(
                g.grant().id() + " could still pay " + line.id() + " but it is left due");
          }
        }
      }
    }
    assertThat(result.applied().minor()).isEqualTo(applied);
    assertThat(result.total().minor()).isEqualTo(total);
    assertThat(result.due().minor()).isEqualTo(total - applied);

    // No credit pays more than it had; each grant lost exactly what it paid.
    for (Map.Entry<GrantId, GrantBalance> e : before.entrySet()) {
      long paid = paidBy.getOrDefault(e.getKey(), 0L);
      assertThat(paid).isLessThanOrEqualTo(e.getValue().remaining().minor());
      assertThat(after.get(e.getKey()).remaining().minor())
          .isEqualTo(e.getValue().remaining().minor() - paid);
    }

    // The sum applied is the CONSUMED posting and what left the grants; nothing is owed.
    List<LedgerTransaction> ledger = billing.ledger().transactions(TENANT, ACCOUNT);
    if (applied == 0) {
      assertThat(result.transaction()).isEmpty();
      assertThat(ledger).isEqualTo(ledgerBefore);
    } else {
      LedgerTransaction t = result.transaction().orElseThrow();
      assertThat(ledger).hasSize(ledgerBefore.size() + 1).last().isEqualTo(t);
      assertThat(t.minorOn(LedgerAccount.counter(LedgerAccount.Kind.CONSUMED))).isEqualTo(applied);
      long fromGrants =
          t.postings().stream()
              .filter(p -> p.account().isGrant())
              .mapToLong(p -> p.amount().minor())
              .sum();
      assertThat(fromGrants).isEqualTo(-applied);
      assertThat(t.postings())
          .extracting(Posting::account)
          .allMatch(a -> a.isGrant() || a.kind() == LedgerAccount.Kind.CONSUMED);
    }
    assertThat(billing.credits().balance(TENANT, ACCOUNT).owed().isZero()).isTrue();

    // The generators reach every outcome: nothing, part or all of the invoice paid.
    String outcome = applied == 0 ? "nothing paid" : applied == total ? "all paid" : "part paid";
    Statistics.label("outcome").collect(outcome);
    Statistics.label("outcome")
        .coverage(
            c -> {
              c.check("nothing paid").percentage(p -> p > 5);
              c.check("part paid").percentage(p -> p > 20);
              c.check("all paid").percentage(p -> p > 5);
            });

    // The replay rebuilds the same result and writes nothing.
    InvoiceCreditResult replay = billing.invoiceCredits().apply(request);
    assertThat(replay.lines()).isEqualTo(result.lines());
    assertThat(replay.replayed()).isEqualTo(applied > 0);
    assertThat(billing.ledger().transactions(TENANT, ACCOUNT)).isEqualTo(ledger);
  }

  static Map<GrantId, GrantBalance> grantsOf(Billing billing) {
    Map<GrantId, GrantBalance> byId = new HashMap<>();
    for (GrantBalance g : billing.credits().grants(TENANT, ACCOUNT)) {
      byId.put(g.grant().id(), g);
    }
    return byId;
  }
}
