package dev.billingsdk.statement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.BillingException;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.ReverseRequest;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerAccount.Kind;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.money.Amount;
import dev.billingsdk.statement.StatementLine.Section;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The statement chain over random months of grants (some expiring), charges, reversals, usage
 * reported up to two days late, deductions, expiry sweeps and month closes at random times:
 *
 * <ul>
 *   <li>opening(m + 1) = closing(m), and the last closing is the account's balance;
 *   <li>closing = opening + credits - charges + reversals - expiries - voids;
 *   <li>every transaction is on exactly one statement, the one the rule of {@link StatementWindow}
 *       names (recomputed here from the closed statements' watermarks), and each section of each
 *       statement sums its transactions' postings on its counter.
 * </ul>
 */
class StatementChainPropertiesTest {

  /**
   * The chain starts a month before the account opened: usage reported late on its first day may
   * have occurred before it (a rating window then starts in September).
   */
  static final YearMonth FIRST = YearMonth.of(2026, 9);

  /** One step of the story: what happens, and how far the clock moves first. */
  record Step(int action, int amount, int hoursLater, int lateHours) {}

  @Provide
  Arbitrary<List<Step>> stories() {
    Arbitrary<Step> step =
        net.jqwik.api.Combinators.combine(
                Arbitraries.integers().between(0, 8),
                Arbitraries.integers().between(1, 4_000),
                Arbitraries.integers().between(0, 60),
                Arbitraries.integers().between(0, 47))
            .as(Step::new);
    return step.list().ofMinSize(5).ofMaxSize(60);
  }

  @Property(tries = 300)
  void theChainHoldsAndEveryTransactionIsOnExactlyOneStatement(
      @ForAll("stories") List<Step> story) {
    StatementWorld w = new StatementWorld(Instant.parse("2026-10-01T00:00:00Z"));
    AccountId a = w.open("licence", "uma");
    List<LedgerTransaction> charges = new ArrayList<>();
    int n = 0;
    for (Step s : story) {
      w.clock.advance(Duration.ofHours(s.hoursLater()));
      Instant now = w.clock.instant();
      String key = "k" + n++;
      try {
        switch (s.action()) {
          case 0, 1 ->
              grant(
                  w,
                  a,
                  s.amount(),
                  s.action() == 1 ? now.plus(Duration.ofDays(s.lateHours() % 9 + 1)) : null,
                  key);
          case 2 -> charges.add(charge(w, a, s.amount(), key).transaction());
          case 3 -> {
            if (!charges.isEmpty()) {
              LedgerTransaction t = charges.get(s.amount() % charges.size());
              w.billing
                  .credits()
                  .reverse(
                      ReverseRequest.builder(StatementWorld.ACME, a, t.id())
                          .amount(Amount.ofMinor(StatementWorld.CREDITS, 1 + s.amount() % 100))
                          .idempotencyKey(IdempotencyKey.of(key))
                          .actor(StatementWorld.FINANCE)
                          .reason("correction")
                          .build());
            }
          }
          case 4 ->
              w.machine(
                  a,
                  "m" + s.amount() % 3,
                  "p" + s.amount() % 2,
                  "t",
                  "r",
                  s.amount() % 2,
                  now.minus(Duration.ofHours(s.lateHours())));
          case 5 -> w.deductAt(now);
          case 6 ->
              w.billing.sweeps().expireGrants(StatementWorld.ACME, StatementWorld.JOBS, false);
          default -> {
            YearMonth previous = YearMonth.from(now.atZone(ZoneOffset.UTC)).minusMonths(1);
            if (!previous.isBefore(FIRST)) {
              w.statements()
                  .close(
                      StatementCloseRequest.of(StatementWorld.ACME, previous, StatementWorld.JOBS));
            }
          }
        }
      } catch (BillingException refused) {
        // A charge beyond the balance, a reversal beyond what is left, usage out of range: the
        // story goes on.
      }
    }
    YearMonth last = YearMonth.from(w.clock.instant().atZone(ZoneOffset.UTC));
    List<Statement> chain = new ArrayList<>();
    for (YearMonth m = FIRST; !m.isAfter(last); m = m.plusMonths(1)) {
      chain.add(w.statements().statement(StatementWorld.ACME, a, m, StatementWorld.FINANCE));
    }
    List<LedgerTransaction> ledger = w.ledger(a);

    assertThat(chain.get(0).opening().isZero()).isTrue();
    for (int i = 1; i < chain.size(); i++) {
      assertThat(chain.get(i).opening()).isEqualTo(chain.get(i - 1).closing());
    }
    assertThat(chain.get(chain.size() - 1).closing().minor()).isEqualTo(balance(ledger));

    Map<YearMonth, List<LedgerTransaction>> byMonth = assign(ledger, chain);
    for (Statement s : chain) {
      List<LedgerTransaction> mine = byMonth.getOrDefault(s.month(), List.of());
      assertThat(s.transactions()).as("transactions of %s", s.month()).isEqualTo(mine.size());
      assertThat(s.closing().minor() - s.opening().minor()).isEqualTo(balance(mine));
      assertThat(s.charges().minor() - s.reversals().minor())
          .isEqualTo(sum(mine, Kind.CONSUMED) - usageCreditsBack(mine));
      assertThat(s.total(Section.EXPIRY).minor()).isEqualTo(sum(mine, Kind.EXPIRED));
      assertThat(s.total(Section.VOID).minor() + s.total(Section.REFUND).minor())
          .isEqualTo(sum(mine, Kind.VOIDED));
      assertThat(s.credits().minor()).isEqualTo(-sum(mine, Kind.ISSUED) - usageCreditsBack(mine));
      long usageCells = s.usage().stream().mapToLong(c -> c.credits().minor()).sum();
      assertThat(usageCells).isEqualTo(s.total(Section.USAGE).minor());
    }
  }

  private static void grant(
      StatementWorld w, AccountId a, int minor, Instant expiresAt, String key) {
    GrantRequest.Builder b =
        GrantRequest.builder(StatementWorld.ACME, a, Amount.ofMinor(StatementWorld.CREDITS, minor))
            .category(GrantCategory.PROMOTIONAL)
            .idempotencyKey(IdempotencyKey.of(key))
            .actor(StatementWorld.ADMIN)
            .reason("credits");
    if (expiresAt != null) {
      b.expiresAt(expiresAt);
    }
    w.billing.credits().grant(b.build());
  }

  private static ChargeResult charge(StatementWorld w, AccountId a, int minor, String key) {
    return w.billing
        .credits()
        .charge(
            ChargeRequest.builder(
                    StatementWorld.ACME,
                    a,
                    Charge.of(
                        ChargeKind.FIXED_FEE, "fee", Amount.ofMinor(StatementWorld.CREDITS, minor)))
                .idempotencyKey(IdempotencyKey.of(key))
                .actor(StatementWorld.JOBS)
                .reason("fee")
                .build());
  }

  /** Each transaction's month by the rule, from the closed statements' watermarks alone. */
  private static Map<YearMonth, List<LedgerTransaction>> assign(
      List<LedgerTransaction> ledger, List<Statement> chain) {
    Map<YearMonth, List<LedgerTransaction>> byMonth = new HashMap<>();
    for (LedgerTransaction t : ledger) {
      YearMonth month = null;
      for (Statement s : chain) {
        boolean effectiveBy =
            t.effectiveAt().isBefore(StatementWindow.start(s.month().plusMonths(1)));
        boolean open = s.status() == Statement.Status.OPEN;
        if (effectiveBy && (open || t.sequence() <= s.window().watermark())) {
          month = s.month();
          break;
        }
      }
      assertThat(month).as("transaction %s is on a statement", t.id()).isNotNull();
      byMonth.computeIfAbsent(month, m -> new ArrayList<>()).add(t);
    }
    return byMonth;
  }

  private static long balance(List<LedgerTransaction> ts) {
    return ts.stream()
        .flatMap(t -> t.postings().stream())
        .filter(
            p ->
                p.account().kind() == Kind.GRANT
                    || p.account().kind() == Kind.RESERVED
                    || p.account().kind() == Kind.OVERDRAFT)
        .mapToLong(p -> p.amount().minor())
        .sum();
  }

  private static long sum(List<LedgerTransaction> ts, Kind kind) {
    return ts.stream().mapToLong(t -> t.minorOn(LedgerAccount.counter(kind))).sum();
  }

  /** Credit given back for usage re-rated down: issued, but a negative usage charge. */
  private static long usageCreditsBack(List<LedgerTransaction> ts) {
    return ts.stream()
        .filter(t -> t.references().containsKey("usage.meter"))
        .mapToLong(t -> -t.minorOn(LedgerAccount.counter(Kind.ISSUED)))
        .sum();
  }
}
