package dev.billingsdk.report;

import static dev.billingsdk.report.RevenueWorld.ACME;
import static dev.billingsdk.report.RevenueWorld.FINANCE;
import static dev.billingsdk.report.RevenueWorld.query;
import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.CostBasis;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.InsufficientCreditException;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.Price;
import dev.billingsdk.money.Rational;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * For random grants (paid at random cost bases, and free), charges and partial reversals, the true
 * revenue report equals what an independent reading of the ledger gives: per item, the credit that
 * left (or came back to) paid grants' postings, times each grant's cost basis, exactly.
 */
class TrueRevenuePropertiesTest {
  static final YearMonth MARCH = YearMonth.of(2026, 3);
  static final List<String> ITEMS = List.of("llm-tokens", "gpu", "storage");

  /** One step: kind 0 grant, 1 charge, 2 reversal; the numbers mean what the kind needs. */
  record Step(int kind, int a, int b, int c) {}

  @Provide
  Arbitrary<List<Step>> scripts() {
    Arbitrary<Step> step =
        Combinators.combine(
                Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 600),
                Arbitraries.integers().between(0, 3_000),
                Arbitraries.integers().between(1, 700))
            .as(Step::new);
    return step.list().ofMinSize(1).ofMaxSize(30);
  }

  @Property(tries = 200)
  void trueRevenueIsPaidCreditsConsumedTimesCostBasis(@ForAll("scripts") List<Step> steps) {
    RevenueWorld w = new RevenueWorld(Instant.parse("2026-03-02T09:00:00Z"));
    w.settings("30", "10");
    w.open("agent");
    w.open("alice");
    w.refer("agent", "alice");
    w.reports().publishModule(ACME, "gpu", "partner-g", w.clock.instant(), RevenueWorld.ADMIN);
    List<ChargeResult> charges = new ArrayList<>();
    for (Step s : steps) {
      w.clock.advance(Duration.ofMinutes(7));
      switch (s.kind()) {
        case 0 -> {
          long credits = 1 + s.a();
          if (s.c() % 3 == 0) {
            w.grant("alice", credits, GrantCategory.PROMOTIONAL, CostBasis.free());
          } else {
            // cost in cents (may be zero: a paid grant at no cost is free), per 1..700 credits
            Price basis =
                Price.of(Amount.ofMinor(RevenueWorld.USD, s.b()), RevenueWorld.credits(s.c()));
            w.grant(
                "alice",
                credits,
                s.b() == 0 ? GrantCategory.ADJUSTMENT : GrantCategory.PURCHASED,
                CostBasis.paid(basis));
          }
        }
        case 1 -> {
          try {
            charges.add(w.use("alice", ITEMS.get(s.b() % ITEMS.size()), 1 + s.a() % 300));
          } catch (InsufficientCreditException e) {
            // nothing written
          }
        }
        default -> {
          if (!charges.isEmpty()) {
            ChargeResult original = charges.get(s.b() % charges.size());
            long charged = original.charged().minor();
            try {
              w.reverse("alice", original.transaction().id(), 1 + s.a() % Math.max(1, charged));
            } catch (dev.billingsdk.InvalidRequestException e) {
              // already reversed in full, or more than is left: nothing written
            }
          }
        }
      }
    }
    Map<String, Rational> exact = new HashMap<>();
    Map<String, Long> credits = new HashMap<>();
    Map<String, Set<String>> transactions = new HashMap<>();
    for (LedgerTransaction t : w.store.transactions(ACME, AccountId.of("alice"))) {
      if (t.type() != TransactionType.USAGE_DEBIT
          && t.type() != TransactionType.CHARGE
          && t.type() != TransactionType.REVERSAL) {
        continue;
      }
      LedgerTransaction debit =
          t.corrects().map(id -> w.store.findTransaction(ACME, id).orElseThrow()).orElse(t);
      String item = debit.references().get("billing.itemCode");
      for (Posting p : t.postings()) {
        if (p.account().kind() != LedgerAccount.Kind.GRANT) {
          continue;
        }
        Grant g = w.store.findGrant(ACME, p.account().grant()).orElseThrow().grant();
        if (g.costBasis().isFree()) {
          continue;
        }
        Price basis = g.costBasis().price().orElseThrow();
        long consumed = -p.amount().minor();
        exact.merge(
            item,
            Rational.of(
                BigInteger.valueOf(consumed).multiply(BigInteger.valueOf(basis.cost().minor())),
                BigInteger.valueOf(basis.per().minor())),
            Rational::plus);
        credits.merge(item, consumed, Long::sum);
        transactions.computeIfAbsent(item, k -> new HashSet<>()).add(t.id().value());
      }
    }
    List<RevenueRow> rows = w.reports().trueRevenue(query(MARCH, FINANCE));
    Map<String, RevenueRow> byItem = new HashMap<>();
    rows.forEach(r -> byItem.put(r.item(), r));
    assertThat(byItem.keySet()).isEqualTo(exact.keySet());
    for (String item : exact.keySet()) {
      RevenueRow r = byItem.get(item);
      assertThat(r.exactMinor()).as(item).isEqualTo(exact.get(item));
      assertThat(r.credits().minor()).as(item).isEqualTo(credits.get(item));
      assertThat(r.revenue().minor())
          .as(item)
          .isEqualTo(exact.get(item).round(RoundingMode.HALF_EVEN).longValueExact());
      assertThat(r.provenance().transactions()).as(item).isEqualTo(transactions.get(item).size());
    }
    // The partner's module and the referred account: the same exact sums, shared out exactly.
    Rational total = exact.values().stream().reduce(Rational.ZERO, Rational::plus);
    List<PartnerRevenueRow> partner = w.reports().partnerRevenue(query(MARCH, FINANCE));
    if (exact.containsKey("gpu")) {
      assertThat(partner).hasSize(1);
      assertThat(partner.get(0).exactMinor()).isEqualTo(exact.get("gpu"));
      assertThat(partner.get(0).partnerShare().minor())
          .isEqualTo(
              exact
                  .get("gpu")
                  .times(new java.math.BigDecimal("0.30"))
                  .round(RoundingMode.HALF_EVEN)
                  .longValueExact());
    } else {
      assertThat(partner).isEmpty();
    }
    List<AgentRevenueRow> agent = w.reports().agentRevenue(query(MARCH, FINANCE));
    if (exact.isEmpty()) {
      assertThat(agent).isEmpty();
    } else {
      assertThat(agent).hasSize(1);
      assertThat(agent.get(0).exactMinor()).isEqualTo(total);
    }
  }
}
