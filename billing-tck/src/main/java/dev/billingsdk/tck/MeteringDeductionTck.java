package dev.billingsdk.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.billingsdk.AccessPolicy;
import dev.billingsdk.AccountId;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdGenerator;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.metering.Aggregation;
import dev.billingsdk.metering.DeductionPosting;
import dev.billingsdk.metering.DeductionReport;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.MeterPrice;
import dev.billingsdk.metering.MeteringSettings;
import dev.billingsdk.metering.PriceBook;
import dev.billingsdk.metering.PriceModel;
import dev.billingsdk.metering.PriceModel.Tier;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.metering.UsageSummaryQuery;
import dev.billingsdk.metering.UsageSummaryRow;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.MeteringStore;
import dev.billingsdk.spi.RatingCursor;
import dev.billingsdk.tck.InterruptingStore.Crash;
import dev.billingsdk.tck.InterruptingStore.Point;
import dev.billingsdk.tck.InterruptingStore.When;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite for the periodic deduction on a store: the rules that only hold when the
 * store's rating cursors, usage reads and ledger work together. The deduction's watermark never
 * rates usage twice, late usage is rated exactly once, two instances racing the job post each
 * window once, a run cut off at any write is finished by another instance without a double posting,
 * summaries are the postings, and a dry run writes nothing. An adapter extends it and supplies the
 * same store twice, as a {@link BillingStore} and as a {@link MeteringStore}.
 *
 * <p>Every test uses a fresh tenant, so the store may be shared across tests. The deduction job
 * scans every tenant's cursors; the rules read only their own tenant's postings and failures. Each
 * rule stays small (tens of events, a few threads) so that it runs quickly on a database.
 */
public abstract class MeteringDeductionTck {
  /** For an adapter's subclass, which supplies the store under test. */
  protected MeteringDeductionTck() {}

  /** The store under test, as a ledger store; the same object as {@link #meteringStore()}. */
  protected abstract BillingStore store();

  /** The store under test, as a metering store; the same object as {@link #store()}. */
  protected abstract MeteringStore meteringStore();

  /** Threads running the deduction at once in the race rule (half on each instance). */
  protected int concurrentThreads() {
    return 4;
  }

  /** Hourly rounds of the race rule. */
  protected int raceRounds() {
    return 8;
  }

  /** The deduction's references on a posting (a usage debit, or a credit back's grant). */
  static final String REF_METER = "usage.meter";

  static final String REF_WINDOW_START = "usage.window.start";
  static final String REF_WINDOW_END = "usage.window.end";

  protected TckFixture f;

  @BeforeEach
  void newWorld() {
    assertThat((Object) meteringStore())
        .as("store() and meteringStore() must be the same object")
        .isSameAs(store());
    f = new TckFixture(store());
  }

  // ------------------------------------------------------------------ helpers

  /** A {@link Billing} with metering on {@code on}, at the fixture's clock, deducting hourly. */
  protected Billing instance(BillingStore on, PriceBook prices) {
    return Billing.builder()
        .store(on)
        .clock(f.clock)
        .ids(IdGenerator.randomUuids())
        .accessPolicy(AccessPolicy.allowAll())
        .maxAttempts(10_000)
        .metering(MeteringSettings.of(prices, Duration.ofHours(1)))
        .build();
  }

  protected Billing instance(PriceBook prices) {
    return instance(store(), prices);
  }

  static PriceBook perUnit(String meter, String price) {
    return PriceBook.builder(RoundingMode.HALF_EVEN)
        .meter(meter, MeterPrice.of(TckFixture.CREDIT, PriceModel.perUnit(price)))
        .build();
  }

  static Instant at(String iso) {
    return Instant.parse(iso);
  }

  protected void define(Billing b, Meter meter) {
    b.metering().defineMeter(meter, TckFixture.ADMIN);
  }

  protected UsageEvent event(
      String id,
      AccountId account,
      String meter,
      String quantity,
      Instant at,
      Map<String, String> dims) {
    return UsageEvent.builder(f.tenant, account, meter)
        .id(account.value() + "/" + id)
        .quantity(new BigDecimal(quantity))
        .occurredAt(at)
        .dimensions(dims)
        .build();
  }

  protected void ingest(Billing b, UsageEvent... events) {
    b.metering().ingest(List.of(events), TckFixture.ADMIN);
  }

  /** Moves the clock and runs the deduction on {@code b}. */
  protected DeductionReport runAt(Billing b, Instant when) {
    f.clock.set(when);
    return b.deductions().run();
  }

  /** This tenant's postings of a report, posted or not. */
  protected List<DeductionPosting> mine(DeductionReport r) {
    return r.postings().stream().filter(p -> p.tenant().equals(f.tenant)).toList();
  }

  /** This tenant's postings that the run wrote. */
  protected List<DeductionPosting> posted(DeductionReport r) {
    return mine(r).stream().filter(DeductionPosting::posted).toList();
  }

  protected List<Long> amounts(List<DeductionPosting> postings) {
    return postings.stream().map(p -> p.amount().minor()).toList();
  }

  protected List<DeductionReport.Failure> failures(DeductionReport r) {
    return r.failures().stream().filter(x -> x.tenant().equals(f.tenant)).toList();
  }

  /**
   * The deduction's references of a transaction: a usage debit carries them; a credit back is a
   * grant whose metadata carries them.
   */
  protected Map<String, String> usageReferences(LedgerTransaction t) {
    if (t.type() == TransactionType.GRANT) {
      String grant = t.references().get("billing.grant");
      if (grant == null) {
        return Map.of();
      }
      return store()
          .findGrant(t.tenant(), GrantId.of(grant))
          .map(g -> g.grant().metadata())
          .orElse(Map.of());
    }
    return t.references();
  }

  /** The deduction's transactions of the account for {@code meter}, in ledger order. */
  protected List<LedgerTransaction> deductions(AccountId account, String meter) {
    return store().transactions(f.tenant, account).stream()
        .filter(t -> meter.equals(usageReferences(t).get(REF_METER)))
        .toList();
  }

  /** A deduction transaction's amount as the run reports it: a credit back is negative. */
  protected static long signed(LedgerTransaction t) {
    if (t.type() == TransactionType.USAGE_DEBIT) {
      return t.minorOn(LedgerAccount.counter(LedgerAccount.Kind.CONSUMED));
    }
    assertThat(t.type()).as("a credit back is a grant").isEqualTo(TransactionType.GRANT);
    return t.minorOn(LedgerAccount.counter(LedgerAccount.Kind.ISSUED));
  }

  protected List<Long> signedAmounts(AccountId account, String meter) {
    return deductions(account, meter).stream().map(MeteringDeductionTck::signed).toList();
  }

  protected List<UsageSummaryRow> summaries(Billing b, AccountId account, String meter) {
    return b.metering()
        .monthlySummaries(UsageSummaryQuery.of(f.tenant).account(account).meter(meter));
  }

  protected static long credits(List<UsageSummaryRow> rows) {
    return rows.stream().mapToLong(r -> r.credits().minor()).sum();
  }

  protected static BigDecimal quantity(List<UsageSummaryRow> rows) {
    return rows.stream().map(UsageSummaryRow::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  protected long available(AccountId account) {
    return f.credits().balance(f.tenant, account).available().minor();
  }

  protected RatingCursor cursor(AccountId account, String meter) {
    return meteringStore().findRatingCursor(f.tenant, account, meter).orElseThrow();
  }

  /** The posting as a dry run reports it. */
  protected static DeductionPosting unposted(DeductionPosting p) {
    return new DeductionPosting(
        p.tenant(),
        p.account(),
        p.meter(),
        p.windowStart(),
        p.windowEnd(),
        p.amount(),
        p.key(),
        p.lines(),
        p.events(),
        false);
  }

  // ------------------------------------------------------------------ a day of tokens

  static final String TOKENS = "tokens";

  /**
   * Volume-priced tokens (up to 5,000 at 0.0011 credits, all at 0.0005 beyond), four hourly windows
   * on January 1st, one catch-up run at 14:05:
   *
   * <pre>
   *   window        tokens  aggregate  exact cost (minor)  rounded  posting
   *   10:30-11:00    2,345      2,345      257.95             258      +258
   *   11:00-12:00    1,777      4,122      453.42             453      +195
   *   12:00-13:00    2,500      6,622      331.10             331      -122 (a cheaper tier)
   *   13:00-14:00      999      7,621      381.05             381       +50
   * </pre>
   */
  static final PriceBook VOLUME_TOKENS =
      PriceBook.builder(RoundingMode.HALF_EVEN)
          .meter(
              TOKENS,
              MeterPrice.of(
                  TckFixture.CREDIT,
                  PriceModel.volume(Tier.upTo("5000", "0.0011"), Tier.rest("0.0005"))))
          .build();

  static final Instant DAY_RUN = at("2026-01-01T14:05:00Z");
  static final List<Long> DAY_POSTINGS = List.of(258L, 195L, -122L, 50L);

  /** Opens the account with 100.00, defines the meter and ingests the four windows' tokens. */
  protected AccountId aDayOfTokens(Billing b, String name) {
    AccountId account = f.open(name);
    f.grant(account, 10_000);
    define(
        b,
        Meter.builder(f.tenant, TOKENS, Aggregation.SUM)
            .unit("tokens")
            .dimensions("model")
            .build());
    f.clock.set(at("2026-01-01T13:30:00Z"));
    String[] perHour = {"2345", "1777", "2500", "999"};
    for (int h = 0; h < perHour.length; h++) {
      Instant when = at("2026-01-01T10:30:00Z").plus(Duration.ofHours(h));
      ingest(b, event("e" + h, account, TOKENS, perHour[h], when, Map.of("model", "m")));
    }
    return account;
  }

  /** The account ends as after a run that rated the day once and never stopped. */
  protected void assertTheDayPostedOnce(Billing b, AccountId account) {
    List<LedgerTransaction> ledger = deductions(account, TOKENS);
    assertThat(ledger.stream().map(MeteringDeductionTck::signed).toList())
        .as("one posting per window, each once")
        .isEqualTo(DAY_POSTINGS);
    assertThat(ledger.stream().map(t -> usageReferences(t).get(REF_WINDOW_START)).toList())
        .containsExactly(
            "2026-01-01T10:30:00Z",
            "2026-01-01T11:00:00Z",
            "2026-01-01T12:00:00Z",
            "2026-01-01T13:00:00Z");
    List<UsageSummaryRow> rows = summaries(b, account, TOKENS);
    assertThat(credits(rows)).as("summaries = postings").isEqualTo(381L);
    assertThat(quantity(rows)).isEqualByComparingTo("7621");
    assertThat(available(account)).isEqualTo(10_000L - 381L);
    assertThat(cursor(account, TOKENS).ratedUntil()).isEqualTo(at("2026-01-01T14:00:00Z"));
  }

  // ------------------------------------------------------------------ the rules

  @Nested
  @DisplayName("Watermark: usage is rated once, up to the last window due")
  class Watermark {
    @Test
    void required_aSecondRunPostsNothingNew() {
      // 0.0007 credits a call: 1,000 = 70 minor; 1,234 = 86.38; 999 = 69.93; 3,000 = 210.
      Billing b = instance(perUnit("calls", "0.0007"));
      AccountId a = f.open("watermark");
      f.grant(a, 10_000);
      define(b, Meter.builder(f.tenant, "calls", Aggregation.SUM).unit("calls").build());
      f.clock.set(at("2026-01-01T12:10:00Z"));
      ingest(
          b,
          event("1", a, "calls", "1000", at("2026-01-01T10:10:00Z"), Map.of()),
          event("2", a, "calls", "1234", at("2026-01-01T11:10:00Z"), Map.of()),
          event("3", a, "calls", "999", at("2026-01-01T12:10:00Z"), Map.of()));

      // Lifetime exact 70, 156.38, 226.31 -> rounded 70, 156, 226: postings 70, 86, 70.
      DeductionReport first = runAt(b, at("2026-01-01T13:05:00Z"));
      assertThat(failures(first)).isEmpty();
      assertThat(amounts(posted(first))).containsExactly(70L, 86L, 70L);
      RatingCursor rated = cursor(a, "calls");
      assertThat(rated.ratedUntil()).isEqualTo(at("2026-01-01T13:00:00Z"));

      // Again in the same hour, and at its last second: nothing new, the watermark stays.
      assertThat(mine(runAt(b, at("2026-01-01T13:05:00Z")))).isEmpty();
      assertThat(mine(runAt(b, at("2026-01-01T13:59:59Z")))).isEmpty();
      assertThat(cursor(a, "calls")).isEqualTo(rated);
      // Another instance sees the same watermark.
      assertThat(mine(instance(perUnit("calls", "0.0007")).deductions().run())).isEmpty();

      // New usage is rated from the watermark on: 226.31 + 210 = 436.31 -> 436, posting 210.
      ingest(b, event("4", a, "calls", "3000", at("2026-01-01T13:30:00Z"), Map.of()));
      DeductionReport next = runAt(b, at("2026-01-01T14:05:00Z"));
      assertThat(posted(next))
          .extracting(p -> p.windowStart(), p -> p.windowEnd(), p -> p.amount().minor())
          .containsExactly(tuple(at("2026-01-01T13:00:00Z"), at("2026-01-01T14:00:00Z"), 210L));
      assertThat(signedAmounts(a, "calls")).containsExactly(70L, 86L, 70L, 210L);
      assertThat(available(a)).isEqualTo(10_000L - 436L);
    }
  }

  @Nested
  @DisplayName("Late usage: rated exactly once, by the next run, in its own month")
  class LateUsage {
    @Test
    void required_lateEventsWithinTheWindowAreRatedExactlyOnceInTheNextRun() {
      // 0.001 credits a token: 1,000 = 100 minor.
      Billing b = instance(perUnit(TOKENS, "0.001"));
      AccountId a = f.open("late");
      f.grant(a, 10_000);
      define(b, Meter.builder(f.tenant, TOKENS, Aggregation.SUM).unit("tokens").build());
      f.clock.set(at("2026-01-31T23:10:00Z"));
      ingest(b, event("jan", a, TOKENS, "1000", at("2026-01-31T23:10:00Z"), Map.of()));
      assertThat(amounts(posted(runAt(b, at("2026-02-01T00:05:00Z"))))).containsExactly(100L);

      // At 00:20 an event of 23:40 arrives, after its window was rated, with one of 00:20.
      f.clock.set(at("2026-02-01T00:20:00Z"));
      UsageEvent late = event("late", a, TOKENS, "500", at("2026-01-31T23:40:00Z"), Map.of());
      ingest(b, late, event("feb", a, TOKENS, "200", at("2026-02-01T00:20:00Z"), Map.of()));

      // The next run rates it with [00:00, 01:00), in January: 0.50 + 0.20 in one posting.
      DeductionReport next = runAt(b, at("2026-02-01T01:05:00Z"));
      assertThat(failures(next)).isEmpty();
      assertThat(posted(next)).hasSize(1);
      DeductionPosting p = posted(next).get(0);
      assertThat(p.amount().minor()).isEqualTo(70L);
      assertThat(p.events()).isEqualTo(2);
      assertThat(p.lines())
          .extracting(l -> l.period().toString(), l -> l.credits().minor())
          .containsExactly(tuple("2026-01", 50L), tuple("2026-02", 20L));

      // Once: the run after it, the same event sent again, and the run after that add nothing.
      assertThat(mine(runAt(b, at("2026-02-01T01:10:00Z")))).isEmpty();
      assertThat(b.metering().ingest(late, TckFixture.ADMIN).duplicate()).isTrue();
      assertThat(mine(runAt(b, at("2026-02-01T02:05:00Z")))).isEmpty();

      assertThat(signedAmounts(a, TOKENS)).containsExactly(100L, 70L);
      assertThat(summaries(b, a, TOKENS))
          .extracting(
              UsageSummaryRow::month, r -> r.quantity().intValueExact(), r -> r.credits().minor())
          .containsExactly(tuple(1, 1500, 150L), tuple(2, 200, 20L));
    }
  }

  @Nested
  @DisplayName("Rule 5: each (account, meter, window) is posted exactly once")
  class ExactlyOnce {
    @Test
    void required_twoInstancesRacingTheDeductionPostEachWindowOnce() throws Exception {
      // 0.0001 credits a call. Each hour each account uses 2 x 1,000 calls, plus 234 stamped in
      // the hour's last second and sent while the hour is being rated: 2,234 calls = 22.34 minor.
      PriceBook prices = perUnit("calls", "0.0001");
      Billing one = instance(prices);
      Billing two = instance(prices);
      define(one, Meter.builder(f.tenant, "calls", Aggregation.SUM).unit("calls").build());
      List<AccountId> accounts = List.of(f.open("race-1"), f.open("race-2"));
      for (AccountId a : accounts) {
        f.grant(a, 10_000);
      }
      int runners = Math.max(2, concurrentThreads());
      int rounds = raceRounds();
      Instant t0 = at("2026-01-02T00:00:00Z");
      List<DeductionReport> reports = Collections.synchronizedList(new ArrayList<>());
      ExecutorService pool = Executors.newFixedThreadPool(runners + 1);
      try {
        CyclicBarrier barrier = new CyclicBarrier(runners + 1);
        for (int round = 0; round < rounds; round++) {
          Instant start = t0.plus(Duration.ofHours(round));
          Instant end = start.plus(Duration.ofHours(1));
          f.clock.set(start.plus(Duration.ofMinutes(30)));
          List<UsageEvent> lastSecond = new ArrayList<>();
          for (AccountId a : accounts) {
            ingest(
                one,
                event("r" + round + "a", a, "calls", "1000", start.plusSeconds(600), Map.of()),
                event("r" + round + "b", a, "calls", "1000", start.plusSeconds(1200), Map.of()));
            lastSecond.add(
                event("r" + round + "z", a, "calls", "234", end.minusSeconds(1), Map.of()));
          }
          f.clock.set(end.plus(Duration.ofMinutes(1)));
          List<Callable<Object>> tasks = new ArrayList<>();
          for (int r = 0; r < runners; r++) {
            Billing b = r % 2 == 0 ? one : two;
            tasks.add(
                () -> {
                  barrier.await();
                  DeductionReport report = b.deductions().run();
                  reports.add(report);
                  return report;
                });
          }
          tasks.add(
              () -> {
                barrier.await();
                return two.metering().ingest(lastSecond, TckFixture.ADMIN);
              });
          List<Future<Object>> futures = new ArrayList<>();
          for (Callable<Object> task : tasks) {
            futures.add(pool.submit(task));
          }
          for (Future<Object> fu : futures) {
            fu.get(5, TimeUnit.MINUTES);
          }
        }
      } finally {
        pool.shutdownNow();
      }
      // A last second that arrived after its hour was rated is rated by the next run.
      reports.add(runAt(two, t0.plus(Duration.ofHours(rounds)).plus(Duration.ofMinutes(2))));
      assertThat(mine(one.deductions().run())).as("nothing left").isEmpty();
      assertThat(reports).allSatisfy(r -> assertThat(failures(r)).isEmpty());

      long exact =
          BigDecimal.valueOf(2234L * rounds)
              .multiply(new BigDecimal("0.01"))
              .setScale(0, RoundingMode.HALF_EVEN)
              .longValueExact();
      List<DeductionPosting> all = reports.stream().flatMap(r -> posted(r).stream()).toList();
      for (AccountId a : accounts) {
        List<LedgerTransaction> ledger = deductions(a, "calls");
        List<DeductionPosting> reported =
            all.stream().filter(p -> p.account().equals(a) && p.key().isPresent()).toList();
        // Every reported posting is one ledger transaction, and the other way round.
        assertThat(reported).extracting(p -> p.key().get()).doesNotHaveDuplicates();
        assertThat(reported.stream().map(p -> p.key().get()).toList())
            .containsExactlyInAnyOrderElementsOf(
                ledger.stream().map(LedgerTransaction::idempotencyKey).toList());
        Map<IdempotencyKey, Long> amount = new HashMap<>();
        reported.forEach(p -> amount.put(p.key().get(), p.amount().minor()));
        Set<String> windows = new HashSet<>();
        Instant lastEnd = Instant.MIN;
        for (LedgerTransaction t : ledger) {
          assertThat(signed(t)).isEqualTo(amount.get(t.idempotencyKey()));
          Instant from = Instant.parse(usageReferences(t).get(REF_WINDOW_START));
          Instant to = Instant.parse(usageReferences(t).get(REF_WINDOW_END));
          assertThat(windows.add(from + ".." + to)).as("window %s..%s once", from, to).isTrue();
          assertThat(from).as("windows never overlap").isAfterOrEqualTo(lastEnd);
          lastEnd = to;
        }
        long total = ledger.stream().mapToLong(MeteringDeductionTck::signed).sum();
        assertThat(total).as("the exact total").isEqualTo(exact);
        assertThat(available(a)).as("grants - exact total").isEqualTo(10_000L - exact);
        List<UsageSummaryRow> rows = summaries(one, a, "calls");
        assertThat(credits(rows)).as("summaries = postings").isEqualTo(total);
        assertThat(quantity(rows)).isEqualByComparingTo(BigDecimal.valueOf(2234L * rounds));
      }
    }

    @Test
    void required_aRunCutOffAtAnyWriteIsFinishedByAnotherInstanceWithoutDoublePosting() {
      // Each case in its own tenant: cut off before or after the 2nd or 3rd decide, ledger commit
      // or confirm (the 3rd step gives credit back), then another instance runs.
      for (Point point : Point.values()) {
        for (When when : When.values()) {
          for (int nth = 2; nth <= 3; nth++) {
            f = new TckFixture(store());
            InterruptingStore dying = new InterruptingStore(store(), meteringStore(), f.tenant);
            Billing first = instance(dying, VOLUME_TOKENS);
            AccountId a = aDayOfTokens(first, "cut-off");
            dying.crashAt(point, nth, when);
            f.clock.set(DAY_RUN);
            assertThatThrownBy(() -> first.deductions().run())
                .as("%s the %s #%d", when, point, nth)
                .isInstanceOf(Crash.class);

            Billing second = instance(VOLUME_TOKENS);
            DeductionReport finished = second.deductions().run();
            assertThat(failures(finished)).isEmpty();
            assertThat(mine(second.deductions().run())).as("nothing left").isEmpty();
            assertTheDayPostedOnce(second, a);
          }
        }
      }
    }
  }

  @Nested
  @DisplayName("Summaries: the monthly usage summaries are the sum of the postings")
  class Summaries {
    @Test
    void required_summariesEqualTheSumOfPostings() {
      // Tokens: model a at 0.0003, model b at 0.0007 credits. Renders: volume, up to 10 at 0.5,
      // all at 0.3 beyond. Two accounts, January 31st 22:00 to February 1st 02:00.
      PriceBook prices =
          PriceBook.builder(RoundingMode.HALF_EVEN)
              .meter(
                  TOKENS,
                  MeterPrice.in(TckFixture.CREDIT)
                      .when(Map.of("model", "a"), PriceModel.perUnit("0.0003"))
                      .when(Map.of("model", "b"), PriceModel.perUnit("0.0007"))
                      .build())
              .meter(
                  "renders",
                  MeterPrice.of(
                      TckFixture.CREDIT,
                      PriceModel.volume(Tier.upTo("10", "0.5"), Tier.rest("0.3"))))
              .build();
      Billing b = instance(prices);
      define(
          b,
          Meter.builder(f.tenant, TOKENS, Aggregation.SUM)
              .unit("tokens")
              .dimensions("model")
              .build());
      define(b, Meter.builder(f.tenant, "renders", Aggregation.SUM).unit("renders").build());
      AccountId x = f.open("sum-x");
      AccountId y = f.open("sum-y");
      f.grant(x, 10_000);
      f.grant(y, 10_000);
      Map<String, String> a = Map.of("model", "a");
      Map<String, String> bb = Map.of("model", "b");

      f.clock.set(at("2026-01-31T23:50:00Z"));
      ingest(
          b,
          event("t1", x, TOKENS, "1234", at("2026-01-31T22:30:00Z"), a),
          event("t2", x, TOKENS, "999", at("2026-01-31T22:40:00Z"), bb),
          event("t3", x, TOKENS, "4321", at("2026-01-31T23:30:00Z"), a),
          event("r1", x, "renders", "6", at("2026-01-31T22:30:00Z"), Map.of()),
          event("r2", x, "renders", "5", at("2026-01-31T23:30:00Z"), Map.of()),
          event("t1", y, TOKENS, "12345", at("2026-01-31T23:45:00Z"), bb),
          event("r1", y, "renders", "10", at("2026-01-31T22:10:00Z"), Map.of()),
          event("r2", y, "renders", "2", at("2026-01-31T23:10:00Z"), Map.of()));
      assertThat(failures(runAt(b, at("2026-02-01T00:05:00Z")))).isEmpty();
      f.clock.set(at("2026-02-01T01:30:00Z"));
      ingest(
          b,
          event("t4", x, TOKENS, "777", at("2026-02-01T00:30:00Z"), bb),
          event("t5", x, TOKENS, "10", at("2026-02-01T01:30:00Z"), a),
          event("r3", x, "renders", "12", at("2026-02-01T00:30:00Z"), Map.of()),
          event("t2", y, TOKENS, "1", at("2026-02-01T01:15:00Z"), a));
      assertThat(failures(runAt(b, at("2026-02-01T02:05:00Z")))).isEmpty();

      // x tokens: 37.02 + 69.93 -> 107; +129.63 -> 237 (130); +54.39 -> 291 (54); +0.3 -> 291 (0).
      assertThat(signedAmounts(x, TOKENS)).containsExactly(107L, 130L, 54L);
      // x renders: 6 * 0.5 = 300; 11 * 0.3 = 330 (+30); February 12 * 0.3 = 360.
      assertThat(signedAmounts(x, "renders")).containsExactly(300L, 30L, 360L);
      // y tokens: 12,345 * 0.0007 = 864.15 -> 864; then 0.03 more -> still 864 (nothing posted).
      assertThat(signedAmounts(y, TOKENS)).containsExactly(864L);
      // y renders: 10 * 0.5 = 500; 12 * 0.3 = 360: 140 given back.
      assertThat(signedAmounts(y, "renders")).containsExactly(500L, -140L);

      for (AccountId acct : List.of(x, y)) {
        for (String meter : List.of(TOKENS, "renders")) {
          long posted = signedAmounts(acct, meter).stream().mapToLong(Long::longValue).sum();
          assertThat(credits(summaries(b, acct, meter)))
              .as("summaries of %s %s = its postings", acct, meter)
              .isEqualTo(posted);
        }
      }
      assertThat(summaries(b, x, TOKENS))
          .extracting(
              UsageSummaryRow::month,
              r -> r.dimensions().get("model"),
              r -> r.quantity().intValueExact(),
              r -> r.credits().minor())
          .containsExactly(
              tuple(1, "a", 5555, 167L),
              tuple(1, "b", 999, 70L),
              tuple(2, "a", 10, 0L),
              tuple(2, "b", 777, 54L));
      assertThat(summaries(b, y, "renders"))
          .extracting(
              UsageSummaryRow::month, r -> r.quantity().intValueExact(), r -> r.credits().minor())
          .containsExactly(tuple(1, 12, 360L));
      List<UsageSummaryRow> january =
          b.metering().monthlySummaries(UsageSummaryQuery.of(f.tenant).month(2026, 1));
      assertThat(credits(january)).isEqualTo(237L + 330L + 864L + 360L);
      assertThat(available(x)).isEqualTo(10_000L - 291L - 690L);
      assertThat(available(y)).isEqualTo(10_000L - 864L - 360L);
    }
  }

  @Nested
  @DisplayName("Dry run: shows what the run will post and writes nothing")
  class DryRun {
    @Test
    void required_aDryRunWritesNothingAndShowsWhatTheRunPosts() {
      Billing b = instance(VOLUME_TOKENS);
      AccountId a = aDayOfTokens(b, "dry");
      f.clock.set(DAY_RUN);
      RatingCursor before = cursor(a, TOKENS);
      List<LedgerTransaction> ledgerBefore = store().transactions(f.tenant, a);

      DeductionReport dry = b.deductions().dryRun();
      assertThat(dry.dryRun()).isTrue();
      assertThat(failures(dry)).isEmpty();
      assertThat(mine(dry)).noneMatch(DeductionPosting::posted);
      assertThat(amounts(mine(dry))).isEqualTo(DAY_POSTINGS);
      assertThat(cursor(a, TOKENS)).as("the watermark did not move").isEqualTo(before);
      assertThat(store().transactions(f.tenant, a)).isEqualTo(ledgerBefore);
      assertThat(summaries(b, a, TOKENS)).isEmpty();
      assertThat(mine(b.deductions().dryRun())).as("and again").isEqualTo(mine(dry));

      DeductionReport real = b.deductions().run();
      assertThat(mine(real)).allMatch(DeductionPosting::posted);
      assertThat(mine(real).stream().map(MeteringDeductionTck::unposted).toList())
          .isEqualTo(mine(dry));
      assertTheDayPostedOnce(b, a);
    }
  }
}
