package dev.billingsdk.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.setup.Billing;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Two application instances run the deduction job at the same moment, each from two threads, every
 * hour for 100 hours, while a collector is still sending the last seconds of the hour being rated.
 * Each window is posted exactly once, whoever wins; the balance is the grants minus the exact
 * total; the summaries are the postings.
 *
 * <p>Every hour each of three accounts uses 3 x 1,000 API calls, plus 234 more stamped a second
 * before the hour ends and sent while the hour is being rated (they are rated with it or, if the
 * rating read the hour first, as late usage by the next run). At 0.0001 credits a call an hour is
 * 3,234 calls = 32.34 minor units: rounded differently hour by hour, but the 100 hours come to
 * exactly 3,234 minor units = 32.34 credits per account.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DeductionRaceStoryTest extends DeductionStory {
  static final String CALLS = "api-calls";
  static final Instant T0 = at("2026-11-02T00:00:00Z");
  static final int HOURS = 100;
  static final int RUNNERS_PER_INSTANCE = 2;

  ExecutorService pool;

  @AfterEach
  void stop_the_threads() throws InterruptedException {
    if (pool != null) {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void two_instances_racing_the_hourly_deduction_post_each_window_exactly_once() throws Exception {
    PriceBook prices =
        PriceBook.builder(RoundingMode.HALF_EVEN)
            .meter(CALLS, MeterPrice.of(CREDITS, PriceModel.perUnit("0.0001")))
            .build();
    start(T0, MeteringSettings.of(prices, Duration.ofHours(1)));
    Billing instanceA = billing;
    Billing instanceB = billingOn(store);
    List<AccountId> accounts = List.of(open("acct-a"), open("acct-b"), open("acct-c"));
    for (AccountId a : accounts) {
      grant(a, "1000.00");
    }
    define(
        Meter.builder(ACME, CALLS, Aggregation.SUM).unit("calls").dimensions("endpoint").build());

    List<DeductionReport> reports = Collections.synchronizedList(new ArrayList<>());
    int parties = 2 * RUNNERS_PER_INSTANCE + 2; // runners, the late collector, a dry run
    pool = Executors.newFixedThreadPool(parties);
    CyclicBarrier barrier = new CyclicBarrier(parties);

    for (int hour = 0; hour < HOURS; hour++) {
      Instant start = T0.plus(Duration.ofHours(hour));
      Instant end = start.plus(Duration.ofHours(1));
      clock.set(start.plus(Duration.ofMinutes(30)));
      List<UsageEvent> onTime = new ArrayList<>();
      List<UsageEvent> lastSecond = new ArrayList<>();
      for (AccountId a : accounts) {
        for (int i = 0; i < 3; i++) {
          onTime.add(call(a, "h" + hour + "-" + i, "1000", start.plus(Duration.ofMinutes(10 * i))));
        }
        lastSecond.add(call(a, "h" + hour + "-last", "234", end.minusSeconds(1)));
      }
      instanceA.metering().ingest(onTime, COLLECTOR);

      // A minute past the hour: the hour is due, and its last second is still on its way.
      clock.set(end.plus(Duration.ofMinutes(1)));
      List<Callable<Object>> tasks = new ArrayList<>();
      for (int r = 0; r < RUNNERS_PER_INSTANCE; r++) {
        tasks.add(run(barrier, instanceA, reports));
        tasks.add(run(barrier, instanceB, reports));
      }
      tasks.add(
          () -> {
            barrier.await();
            return instanceB.metering().ingest(lastSecond, COLLECTOR);
          });
      tasks.add(
          () -> {
            barrier.await();
            DeductionReport dry = instanceA.deductions().dryRun();
            assertThat(dry.failures()).isEmpty();
            assertThat(dry.postings()).noneMatch(DeductionPosting::posted);
            return dry;
          });
      List<Future<Object>> futures = new ArrayList<>();
      for (Callable<Object> t : tasks) {
        futures.add(pool.submit(t));
      }
      for (Future<Object> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    }
    // The last hour's last second may have arrived after its rating: one more run rates it.
    clock.set(T0.plus(Duration.ofHours(HOURS)).plus(Duration.ofMinutes(2)));
    reports.add(instanceB.deductions().run());
    assertThat(instanceA.deductions().run().postings()).as("nothing is left").isEmpty();

    assertThat(reports).allSatisfy(r -> assertThat(r.failures()).isEmpty());
    List<DeductionPosting> posted =
        reports.stream()
            .flatMap(r -> r.postings().stream())
            .filter(DeductionPosting::posted)
            .filter(p -> p.key().isPresent())
            .toList();

    for (AccountId a : accounts) {
      List<LedgerTransaction> ledger = usagePostings(a);
      List<DeductionPosting> mine = posted.stream().filter(p -> p.account().equals(a)).toList();
      // Exactly once: every reported posting is one ledger transaction, and the other way round.
      assertThat(mine).extracting(p -> p.key().get()).doesNotHaveDuplicates();
      assertThat(mine.stream().map(p -> p.key().get()).toList())
          .containsExactlyInAnyOrderElementsOf(
              ledger.stream().map(LedgerTransaction::idempotencyKey).toList());
      Map<IdempotencyKey, Long> reported = new HashMap<>();
      mine.forEach(p -> reported.put(p.key().get(), p.amount().minor()));
      for (LedgerTransaction t : ledger) {
        assertThat(signed(t)).isEqualTo(reported.get(t.idempotencyKey()));
      }
      // No window twice: the windows the ledger names never overlap.
      Set<String> windows = new HashSet<>();
      Instant lastEnd = Instant.MIN;
      for (LedgerTransaction t : ledger) {
        Instant from = Instant.parse(t.references().get(REF_WINDOW_START));
        Instant to = Instant.parse(t.references().get(REF_WINDOW_END));
        assertThat(windows.add(from + ".." + to)).as("window %s..%s once", from, to).isTrue();
        assertThat(from).as("windows follow each other").isAfterOrEqualTo(lastEnd);
        lastEnd = to;
      }
      assertThat(lastEnd).isEqualTo(T0.plus(Duration.ofHours(HOURS)));

      // 100 hours * 3,234 calls * 0.0001 = 32.34 credits, whatever the interleaving.
      long total = ledger.stream().mapToLong(DeductionStory::signed).sum();
      assertThat(total).isEqualTo(3234L);
      assertThat(available(a)).isEqualTo(credits("967.66"));
      List<UsageSummaryRow> rows = summaries(a, CALLS);
      assertThat(creditsOf(rows)).as("summaries = postings").isEqualTo(total);
      assertThat(
              rows.stream().map(UsageSummaryRow::quantity).reduce(BigDecimal.ZERO, BigDecimal::add))
          .isEqualByComparingTo("323400");
    }
  }

  private static Callable<Object> run(
      CyclicBarrier barrier, Billing instance, List<DeductionReport> reports) {
    return () -> {
      barrier.await();
      DeductionReport r = instance.deductions().run();
      reports.add(r);
      return r;
    };
  }

  private static UsageEvent call(AccountId account, String id, String n, Instant at) {
    return usage(account.value() + "/" + id, account, CALLS, n, at, Map.of("endpoint", "/v1/chat"));
  }
}
