package dev.billingsdk.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.billingsdk.AccountId;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.metering.CrashingMeteringStore.Crash;
import dev.billingsdk.metering.CrashingMeteringStore.Point;
import dev.billingsdk.metering.CrashingMeteringStore.When;
import dev.billingsdk.metering.PriceModel.Tier;
import dev.billingsdk.money.Amount;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.RatingCursor;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The deduction job dies mid-run, at every write a step makes, and the next run (another process: a
 * new {@link Billing} on the same store) finishes the work. Whatever the point of the crash, each
 * window is posted exactly once and the ledger, the summaries and the watermark end exactly as in a
 * run that never crashed.
 *
 * <p>The usage: tokens with 1,000 included a month, then volume tiers (up to 5,000 priced tokens at
 * 0.0011 credits each, all of them at 0.0005 beyond that), five hourly windows rated by one
 * catch-up run at 15:05:
 *
 * <pre>
 *   window        tokens  aggregate  priced  exact cost    rounded  posting
 *   10:00-11:00      800        800       0     0             0         0 (free: allowance)
 *   11:00-12:00    2,345      3,145   2,145   235.95 minor    236      +236
 *   12:00-13:00    1,777      4,922   3,922   431.42          431      +195
 *   13:00-14:00    2,500      7,422   6,422   321.10          321      -110 (a cheaper tier)
 *   14:00-15:00      999      8,421   7,421   371.05          371       +50
 * </pre>
 *
 * So a step writes: decide (compare-and-set), commit (ledger), confirm (compare-and-set); the free
 * step writes only its confirm. The run makes 4 decides, 4 commits and 5 confirms.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DeductionRecoveryStoryTest extends DeductionStory {
  static final String TOKENS = "llm-tokens";
  static final Instant RUN = at("2026-11-02T15:05:00Z");

  static final PriceBook PRICES =
      PriceBook.builder(RoundingMode.HALF_EVEN)
          .meter(
              TOKENS,
              MeterPrice.of(
                      CREDITS, PriceModel.volume(Tier.upTo("5000", "0.0011"), Tier.rest("0.0005")))
                  .withIncluded(new BigDecimal("1000")))
          .build();

  AccountId team;
  CrashingMeteringStore crashing;

  /** A fresh world: the team, its credits, the meter and the five windows' usage, not yet rated. */
  void aDayOfTokens() {
    start(at("2026-11-02T10:00:00Z"), MeteringSettings.of(PRICES, Duration.ofHours(1)));
    crashing = new CrashingMeteringStore(store);
    billing = billingOn(crashing);
    team = open("team-research");
    grant(team, "100.00");
    define(Meter.builder(ACME, TOKENS, Aggregation.SUM).unit("tokens").dimensions("model").build());
    String[] perHour = {"800", "2345", "1777", "2500", "999"};
    for (int h = 0; h < perHour.length; h++) {
      Instant when = at("2026-11-02T10:30:00Z").plus(Duration.ofHours(h));
      clock.set(when);
      send(usage("e" + h, team, TOKENS, perHour[h], when, Map.of("model", "gpt-4o")));
    }
    crashing.countFromNow();
  }

  /** What a finished deduction leaves behind, without the ids a crash may have used up. */
  record Outcome(
      List<PostingView> ledger,
      List<UsageSummaryRow> summaries,
      RatingCursor cursor,
      Amount available) {}

  /** One deduction transaction: its key, what it did and for which window. */
  record PostingView(
      String key,
      TransactionType type,
      long signed,
      String windowStart,
      String windowEnd,
      List<String> postingKinds) {}

  Outcome outcome() {
    List<PostingView> ledger = new ArrayList<>();
    for (LedgerTransaction t : usagePostings(team)) {
      ledger.add(
          new PostingView(
              t.idempotencyKey().value(),
              t.type(),
              signed(t),
              usageReferences(t).get(REF_WINDOW_START),
              usageReferences(t).get(REF_WINDOW_END),
              t.postings().stream()
                  .map(Posting::account)
                  .map(a -> a.kind() + " " + t.minorOn(a))
                  .sorted()
                  .toList()));
    }
    return new Outcome(
        List.copyOf(ledger),
        summaries(team, TOKENS),
        store.findRatingCursor(ACME, team, TOKENS).orElseThrow(),
        available(team));
  }

  /** The world that never crashed, rated by one run. */
  Outcome reference() {
    aDayOfTokens();
    DeductionReport report = runAt(RUN);
    assertThat(report.failures()).isEmpty();
    return outcome();
  }

  @Test
  void the_run_that_never_crashes_posts_each_window_once_and_nets_the_volume_price() {
    aDayOfTokens();
    DeductionReport report = runAt(RUN);
    assertThat(report.failures()).isEmpty();
    assertThat(report.ratedUntil()).isEqualTo(at("2026-11-02T15:00:00Z"));
    assertThat(report.postings())
        .extracting(
            p -> p.windowStart().toString(), p -> p.amount().minor(), p -> p.key().isPresent())
        .containsExactly(
            tuple("2026-11-02T10:30:00Z", 0L, false),
            tuple("2026-11-02T11:00:00Z", 236L, true),
            tuple("2026-11-02T12:00:00Z", 195L, true),
            tuple("2026-11-02T13:00:00Z", -110L, true),
            tuple("2026-11-02T14:00:00Z", 50L, true));
    assertThat(crashing.calls())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(Point.DECIDE, 4, Point.COMMIT, 4, Point.CONFIRM, 5));

    Outcome o = outcome();
    assertThat(o.ledger())
        .extracting(PostingView::type, PostingView::signed, PostingView::windowStart)
        .containsExactly(
            tuple(TransactionType.USAGE_DEBIT, 236L, "2026-11-02T11:00:00Z"),
            tuple(TransactionType.USAGE_DEBIT, 195L, "2026-11-02T12:00:00Z"),
            tuple(TransactionType.GRANT, -110L, "2026-11-02T13:00:00Z"),
            tuple(TransactionType.USAGE_DEBIT, 50L, "2026-11-02T14:00:00Z"));
    // The credit back is an ADJUSTMENT grant that pays only for this meter.
    GrantBalance back =
        billing.credits().grants(ACME, team).stream()
            .filter(g -> g.grant().category() == GrantCategory.ADJUSTMENT)
            .findFirst()
            .orElseThrow();
    assertThat(back.grant().amount()).isEqualTo(credits("1.10"));
    assertThat(back.grant().scope()).isEqualTo(Scope.meters(TOKENS));
    // The month nets the volume price of its priced total: 7,421 * 0.0005 = 3.7105 -> 3.71.
    assertThat(o.summaries())
        .extracting(UsageSummaryRow::quantity, UsageSummaryRow::credits)
        .containsExactly(tuple(new BigDecimal("8421"), credits("3.71")));
    assertThat(o.available()).isEqualTo(credits("96.29"));
    assertThat(o.cursor().ratedUntil()).isEqualTo(at("2026-11-02T15:00:00Z"));
    assertThat(runAt(RUN.plusSeconds(60)).postings()).isEmpty();
  }

  static Stream<Arguments> everyWriteOfEveryStep() {
    List<Arguments> all = new ArrayList<>();
    Map<Point, Integer> counts = Map.of(Point.DECIDE, 4, Point.COMMIT, 4, Point.CONFIRM, 5);
    for (Point point : Point.values()) {
      for (int nth = 1; nth <= counts.get(point); nth++) {
        for (When when : When.values()) {
          all.add(Arguments.of(point, nth, when));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "crash {2} {0} #{1}")
  @MethodSource("everyWriteOfEveryStep")
  void a_crash_at_any_write_of_any_step_is_finished_by_the_next_run_exactly_once(
      Point point, int nth, When when) {
    Outcome expected = reference();

    aDayOfTokens();
    clock.set(RUN);
    crashing.crashAt(point, nth, when);
    assertThatThrownBy(() -> billing.deductions().run()).isInstanceOf(Crash.class);
    assertThat(crashing.crashed()).isTrue();

    // Another process takes over: a new Billing on the same store, at the same hour.
    Billing restarted = billingOn(crashing);
    DeductionReport resumed = restarted.deductions().run();
    assertThat(resumed.failures()).isEmpty();
    assertThat(restarted.deductions().run().postings()).as("nothing left").isEmpty();

    Outcome after = outcome();
    assertThat(after.ledger())
        .extracting(PostingView::windowStart)
        .as("one posting per window")
        .doesNotHaveDuplicates()
        .hasSize(4);
    assertThat(after).isEqualTo(expected);
  }

  @Test
  void a_dry_run_writes_nothing_and_shows_exactly_what_the_run_then_posts() {
    aDayOfTokens();
    clock.set(RUN);
    RatingCursor before = store.findRatingCursor(ACME, team, TOKENS).orElseThrow();
    List<LedgerTransaction> ledgerBefore = billing.ledger().transactions(ACME, team);

    DeductionReport dry = billing.deductions().dryRun();
    assertThat(dry.dryRun()).isTrue();
    assertThat(dry.failures()).isEmpty();
    assertThat(dry.postings()).noneMatch(DeductionPosting::posted);
    assertThat(dry.postings())
        .extracting(p -> p.amount().minor())
        .containsExactly(0L, 236L, 195L, -110L, 50L);
    assertThat(store.findRatingCursor(ACME, team, TOKENS)).contains(before);
    assertThat(billing.ledger().transactions(ACME, team)).isEqualTo(ledgerBefore);
    assertThat(summaries(team, TOKENS)).isEmpty();
    assertThat(billing.deductions().dryRun()).as("and again").isEqualTo(dry);

    DeductionReport real = billing.deductions().run();
    assertThat(real.postings()).allMatch(DeductionPosting::posted);
    assertThat(real.postings().stream().map(DeductionRecoveryStoryTest::unposted).toList())
        .isEqualTo(dry.postings());
  }

  @Test
  void a_dry_run_after_a_crash_shows_the_decided_posting_first_and_writes_nothing() {
    aDayOfTokens();
    clock.set(RUN);
    // The run dies right after deciding the 12:00 window (+195): decided, not yet posted.
    crashing.crashAt(Point.DECIDE, 2, When.AFTER);
    assertThatThrownBy(() -> billing.deductions().run()).isInstanceOf(Crash.class);
    assertThat(postedAmounts(team)).containsExactly(236L);
    RatingCursor decided = store.findRatingCursor(ACME, team, TOKENS).orElseThrow();
    assertThat(decided.ratedUntil()).isEqualTo(at("2026-11-02T13:00:00Z"));

    DeductionReport dry = billingOn(crashing).deductions().dryRun();
    assertThat(dry.postings())
        .extracting(p -> p.windowStart().toString(), p -> p.amount().minor())
        .containsExactly(
            tuple("2026-11-02T12:00:00Z", 195L),
            tuple("2026-11-02T13:00:00Z", -110L),
            tuple("2026-11-02T14:00:00Z", 50L));
    assertThat(store.findRatingCursor(ACME, team, TOKENS)).contains(decided);
    assertThat(postedAmounts(team)).containsExactly(236L);

    DeductionReport real = billingOn(crashing).deductions().run();
    assertThat(real.postings().stream().map(DeductionRecoveryStoryTest::unposted).toList())
        .isEqualTo(dry.postings());
    assertThat(postedAmounts(team)).containsExactly(236L, 195L, -110L, 50L);
  }

  /** The posting as a dry run reports it. */
  static DeductionPosting unposted(DeductionPosting p) {
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
}
