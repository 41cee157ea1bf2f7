package dev.billingsdk.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.billingsdk.AccountId;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.TransactionType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * A GPU cloud bills running deployments at 12 credits an hour, prorated to the second, and deducts
 * every hour. Each deployment sends a start event, heartbeats while it runs, and a stop event (or,
 * on the meter with a heartbeat timeout, simply falls silent).
 *
 * <p>12 credits an hour is 1200 minor units per 3600 seconds: a third of a minor unit a second, so
 * most windows cost a fraction that the rounding (HALF_EVEN) carries to the next posting.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DeploymentBilledHourlyStoryTest extends DeductionStory {
  static final String DEPLOYMENTS = "deployments";
  static final String ENDPOINTS = "endpoint-time";

  final PriceBook prices =
      PriceBook.builder(RoundingMode.HALF_EVEN)
          .meter(DEPLOYMENTS, MeterPrice.of(CREDITS, PriceModel.perHour("12")))
          .meter(ENDPOINTS, MeterPrice.of(CREDITS, PriceModel.perHour("12")))
          .build();

  AccountId team;

  void startAt(Instant start) {
    start(start, MeteringSettings.of(prices, Duration.ofHours(1)));
    team = open("team-vision");
    grant(team, "100.00");
    define(Meter.runningTime(ACME, DEPLOYMENTS, "deployment"));
    define(
        Meter.builder(ACME, ENDPOINTS, Aggregation.RUNNING_TIME)
            .unit("seconds")
            .dimensions("deployment")
            .keyDimension("deployment")
            .heartbeatTimeout(Duration.ofMinutes(10))
            .build());
  }

  /** The deployment reports its level (replicas) now; zero stops it. */
  void report(String meter, String deployment, int level) {
    String id = deployment + "@" + clock.instant();
    assertThat(
            send(usage(
                    id,
                    team,
                    meter,
                    Integer.toString(level),
                    clock.instant(),
                    Map.of("deployment", deployment)))
                .duplicate())
        .isFalse();
  }

  void reportAt(String when, String meter, String deployment, int level) {
    clock.set(at(when));
    report(meter, deployment, level);
  }

  /** The single posting of a run: its window and amount, and that the ledger has it. */
  DeductionPosting onlyPosting(DeductionReport report) {
    assertThat(report.failures()).isEmpty();
    assertThat(report.postings()).hasSize(1);
    DeductionPosting p = report.postings().get(0);
    assertThat(p.posted()).isTrue();
    assertThat(p.key()).isPresent();
    LedgerTransaction t = billing.ledger().find(ACME, p.key().get()).orElseThrow();
    assertThat(t.type()).isEqualTo(TransactionType.USAGE_DEBIT);
    assertThat(signed(t)).isEqualTo(p.amount().minor());
    assertThat(t.references())
        .containsEntry(REF_WINDOW_START, p.windowStart().toString())
        .containsEntry(REF_WINDOW_END, p.windowEnd().toString());
    assertThat(p.lines().stream().mapToLong(l -> l.credits().minor()).sum())
        .as("the lines add up to the posting")
        .isEqualTo(p.amount().minor());
    return p;
  }

  @Test
  void a_deployment_running_across_midnight_is_billed_every_hour_to_the_second() {
    startAt(at("2026-10-31T21:30:17Z"));
    report(DEPLOYMENTS, "llama-70b", 1);

    // 22:05: [21:30:17, 22:00) ran 29 min 43 s = 1783 s; 1783 / 3 = 594 1/3 minor -> 5.94,
    // a third of a minor unit carried.
    DeductionPosting first = onlyPosting(runAt(at("2026-10-31T22:05:00Z")));
    assertThat(first.windowStart()).isEqualTo(at("2026-10-31T21:30:17Z"));
    assertThat(first.windowEnd()).isEqualTo(at("2026-10-31T22:00:00Z"));
    assertThat(first.amount()).isEqualTo(credits("5.94"));
    assertThat(first.events()).isEqualTo(1);
    assertThat(first.lines())
        .extracting(
            DeductionPosting.UsageLine::period,
            DeductionPosting.UsageLine::dimensions,
            DeductionPosting.UsageLine::quantity,
            DeductionPosting.UsageLine::credits)
        .containsExactly(
            tuple(
                YearMonth.of(2026, 10),
                Map.of("deployment", "llama-70b"),
                new BigDecimal("1783"),
                credits("5.94")));

    // It heartbeats a quarter past every hour; each full hour is 3600 s = 12.00 exactly, and the
    // carried third stays carried (lifetime 1794 1/3, 2994 1/3, 4194 1/3, 5394 1/3).
    reportAt("2026-10-31T22:15:00Z", DEPLOYMENTS, "llama-70b", 1);
    DeductionPosting second = onlyPosting(runAt(at("2026-10-31T23:05:00Z")));
    assertThat(second.windowStart()).isEqualTo(at("2026-10-31T22:00:00Z"));
    assertThat(second.windowEnd()).isEqualTo(at("2026-10-31T23:00:00Z"));
    assertThat(second.amount()).isEqualTo(credits("12.00"));
    assertThat(second.lines())
        .extracting(l -> l.quantity())
        .containsExactly(new BigDecimal("3600"));

    // The last October hour, [23:00, 00:00), is rated at 00:05 on November 1st: October's.
    reportAt("2026-10-31T23:15:00Z", DEPLOYMENTS, "llama-70b", 1);
    DeductionPosting third = onlyPosting(runAt(at("2026-11-01T00:05:00Z")));
    assertThat(third.windowEnd()).isEqualTo(at("2026-11-01T00:00:00Z"));
    assertThat(third.amount()).isEqualTo(credits("12.00"));
    assertThat(third.lines()).extracting(l -> l.period()).containsExactly(YearMonth.of(2026, 10));

    reportAt("2026-11-01T00:15:00Z", DEPLOYMENTS, "llama-70b", 1);
    DeductionPosting fourth = onlyPosting(runAt(at("2026-11-01T01:05:00Z")));
    assertThat(fourth.windowStart()).isEqualTo(at("2026-11-01T00:00:00Z"));
    assertThat(fourth.amount()).isEqualTo(credits("12.00"));
    assertThat(fourth.lines()).extracting(l -> l.period()).containsExactly(YearMonth.of(2026, 11));

    reportAt("2026-11-01T01:15:00Z", DEPLOYMENTS, "llama-70b", 1);
    DeductionPosting fifth = onlyPosting(runAt(at("2026-11-01T02:05:00Z")));
    assertThat(fifth.amount()).isEqualTo(credits("12.00"));

    // Stopped at 02:10:05: [02:00, 02:10:05) is 605 s = 201 2/3 minor; with the carried third the
    // lifetime is 5596 exactly, so this posting is 2.02 and nothing is carried any more.
    reportAt("2026-11-01T02:10:05Z", DEPLOYMENTS, "llama-70b", 0);
    DeductionPosting last = onlyPosting(runAt(at("2026-11-01T03:05:00Z")));
    assertThat(last.windowStart()).isEqualTo(at("2026-11-01T02:00:00Z"));
    assertThat(last.windowEnd()).isEqualTo(at("2026-11-01T03:00:00Z"));
    assertThat(last.amount()).isEqualTo(credits("2.02"));
    assertThat(last.lines()).extracting(l -> l.quantity()).containsExactly(new BigDecimal("605"));

    // Stopped means stopped: later runs post nothing.
    assertThat(runAt(at("2026-11-01T04:05:00Z")).postings()).isEmpty();
    assertThat(runAt(at("2026-11-02T04:05:00Z")).postings()).isEmpty();

    assertThat(postedAmounts(team)).containsExactly(594L, 1200L, 1200L, 1200L, 1200L, 202L);

    // The monthly summaries split exactly at midnight UTC: October ran 21:30:17 to 24:00 = 8983 s,
    // November 00:00 to 02:10:05 = 7805 s. Credits follow the postings' lines: 5.94 + 12.00 +
    // 12.00 = 29.94 for October, 12.00 + 12.00 + 2.02 = 26.02 for November.
    assertThat(summaries(team, DEPLOYMENTS))
        .extracting(
            UsageSummaryRow::year,
            UsageSummaryRow::month,
            UsageSummaryRow::dimensions,
            UsageSummaryRow::quantity,
            UsageSummaryRow::credits)
        .containsExactly(
            tuple(
                2026,
                10,
                Map.of("deployment", "llama-70b"),
                new BigDecimal("8983"),
                credits("29.94")),
            tuple(
                2026,
                11,
                Map.of("deployment", "llama-70b"),
                new BigDecimal("7805"),
                credits("26.02")));

    // In total 16788 s * 12 / 3600 = 55.96 credits, exactly what the postings took.
    assertThat(creditsOf(summaries(team, DEPLOYMENTS))).isEqualTo(5596L);
    assertThat(available(team)).isEqualTo(credits("44.04"));
  }

  @Test
  void a_deployment_that_stops_sending_heartbeats_is_billed_until_its_last_one_plus_the_timeout() {
    startAt(at("2026-11-02T10:00:00Z"));
    // The endpoint meter stops an instance 10 minutes after its last event.
    report(ENDPOINTS, "gateway", 1);
    for (int minute = 5; minute <= 50; minute += 5) {
      reportAt(String.format("2026-11-02T10:%02d:00Z", minute), ENDPOINTS, "gateway", 1);
    }
    reportAt("2026-11-02T10:52:40Z", ENDPOINTS, "gateway", 1);
    // ... and then nothing: the endpoint died without saying so. Billing stops at 11:02:40.

    // [10:00, 11:00): the full hour, 3600 s = 12.00.
    DeductionPosting hour = onlyPosting(runAt(at("2026-11-02T11:05:00Z")));
    assertThat(hour.amount()).isEqualTo(credits("12.00"));
    assertThat(hour.events()).isEqualTo(12);

    // [11:00, 12:00): only up to 11:02:40, 160 s = 53 1/3 minor -> 0.53, a third carried.
    DeductionPosting tail = onlyPosting(runAt(at("2026-11-02T12:05:00Z")));
    assertThat(tail.windowStart()).isEqualTo(at("2026-11-02T11:00:00Z"));
    assertThat(tail.windowEnd()).isEqualTo(at("2026-11-02T12:00:00Z"));
    assertThat(tail.amount()).isEqualTo(credits("0.53"));
    assertThat(tail.events()).isZero();
    assertThat(tail.lines()).extracting(l -> l.quantity()).containsExactly(new BigDecimal("160"));

    // Silent means stopped: nothing more is billed.
    assertThat(runAt(at("2026-11-02T13:05:00Z")).postings()).isEmpty();
    assertThat(runAt(at("2026-11-02T14:05:00Z")).postings()).isEmpty();

    // It comes back at 14:20 and is stopped properly at 14:50: 1800 s = 6.00 (lifetime
    // 1253 1/3 + 600 = 1853 1/3 -> 1853), billed from its return, not from its silence.
    // (Heartbeats every 5 minutes in between: a gap longer than the timeout would stop it.)
    for (int minute = 20; minute <= 45; minute += 5) {
      reportAt(String.format("2026-11-02T14:%02d:00Z", minute), ENDPOINTS, "gateway", 1);
    }
    reportAt("2026-11-02T14:50:00Z", ENDPOINTS, "gateway", 0);
    DeductionPosting back = onlyPosting(runAt(at("2026-11-02T15:05:00Z")));
    assertThat(back.windowStart()).isEqualTo(at("2026-11-02T14:00:00Z"));
    assertThat(back.windowEnd()).isEqualTo(at("2026-11-02T15:00:00Z"));
    assertThat(back.amount()).isEqualTo(credits("6.00"));
    assertThat(back.lines()).extracting(l -> l.quantity()).containsExactly(new BigDecimal("1800"));

    // November: 3600 + 160 + 1800 = 5560 s, 12.00 + 0.53 + 6.00 = 18.53 credits.
    assertThat(summaries(team, ENDPOINTS))
        .extracting(UsageSummaryRow::month, UsageSummaryRow::quantity, UsageSummaryRow::credits)
        .containsExactly(tuple(11, new BigDecimal("5560"), credits("18.53")));
    assertThat(postedAmounts(team)).containsExactly(1200L, 53L, 600L);
    assertThat(available(team)).isEqualTo(credits("81.47"));
  }

  @Test
  void two_replicas_are_billed_at_twice_the_rate() {
    startAt(at("2026-11-03T10:00:00Z"));
    report(DEPLOYMENTS, "web", 2); // two replicas from the start
    report(DEPLOYMENTS, "worker", 1); // one replica ...
    reportAt("2026-11-03T10:30:00Z", DEPLOYMENTS, "worker", 2); // ... scaled to two at 10:30
    reportAt("2026-11-03T10:45:00Z", DEPLOYMENTS, "web", 0);
    report(DEPLOYMENTS, "worker", 0);

    // web: 2 replicas * 2700 s = 5400 replica-seconds = 18.00, twice the 9.00 of one replica.
    // worker: 1 * 1800 s + 2 * 900 s = 3600 replica-seconds = 12.00.
    DeductionPosting p = onlyPosting(runAt(at("2026-11-03T11:05:00Z")));
    assertThat(p.amount()).isEqualTo(credits("30.00"));
    assertThat(p.events()).isEqualTo(5);
    assertThat(p.lines())
        .extracting(l -> l.dimensions().get("deployment"), l -> l.quantity(), l -> l.credits())
        .containsExactly(
            tuple("web", new BigDecimal("5400"), credits("18.00")),
            tuple("worker", new BigDecimal("3600"), credits("12.00")));
    assertThat(runAt(at("2026-11-03T12:05:00Z")).postings()).isEmpty();

    assertThat(summaries(team, DEPLOYMENTS))
        .extracting(r -> r.dimensions().get("deployment"), UsageSummaryRow::credits)
        .containsExactly(tuple("web", credits("18.00")), tuple("worker", credits("12.00")));
    assertThat(available(team)).isEqualTo(credits("70.00"));
  }

  /** Sends an event that was stuck in a queue: it occurred at {@code occurred}, arrives now. */
  void lateReport(String occurred, String meter, String deployment, int level) {
    assertThat(
            send(usage(
                    deployment + "@" + occurred + "/late",
                    team,
                    meter,
                    Integer.toString(level),
                    at(occurred),
                    Map.of("deployment", deployment)))
                .duplicate())
        .isFalse();
  }

  // Regression: a heartbeat older than a deployment's stop used to start it again, billed from the
  // heartbeat's time (twice for the time already billed) and then every hour for ever; and a late
  // event used to set the level over a newer one.
  @Test
  void a_late_heartbeat_never_restarts_a_stopped_deployment_nor_overrides_a_newer_level() {
    startAt(at("2026-11-04T10:00:00Z"));
    report(DEPLOYMENTS, "web", 1);
    reportAt("2026-11-04T10:40:00Z", DEPLOYMENTS, "web", 0);
    report(DEPLOYMENTS, "batch", 1);
    reportAt("2026-11-04T10:50:00Z", DEPLOYMENTS, "batch", 1);
    // web: 10:00-10:40 = 2400 s = 8.00; batch: 10:40-11:00 = 1200 s = 4.00.
    assertThat(onlyPosting(runAt(at("2026-11-04T11:05:00Z"))).amount()).isEqualTo(credits("12.00"));

    // Two events that were stuck in a queue arrive at 11:20: web's heartbeat from 10:20 (before it
    // stopped) and a scale-up of batch to 3 replicas from 10:45, older than its 10:50 heartbeat
    // that says 1 replica.
    clock.set(at("2026-11-04T11:20:00Z"));
    lateReport("2026-11-04T10:20:00Z", DEPLOYMENTS, "web", 1);
    lateReport("2026-11-04T10:45:00Z", DEPLOYMENTS, "batch", 3);
    reportAt("2026-11-04T11:30:00Z", DEPLOYMENTS, "batch", 0);

    // [11:00, 12:00): web stays stopped; batch runs 11:00-11:30 at the level of its newest event
    // (1 replica): 1800 s = 6.00. Both late events are rated, once, and change nothing.
    DeductionPosting next = onlyPosting(runAt(at("2026-11-04T12:05:00Z")));
    assertThat(next.amount()).isEqualTo(credits("6.00"));
    assertThat(next.events()).isEqualTo(3);
    assertThat(next.lines())
        .extracting(l -> l.dimensions().get("deployment"), l -> l.quantity(), l -> l.credits())
        .containsExactly(tuple("batch", new BigDecimal("1800"), credits("6.00")));
    assertThat(runAt(at("2026-11-04T13:05:00Z")).postings()).isEmpty();
    assertThat(runAt(at("2026-11-05T13:05:00Z")).postings()).isEmpty();

    assertThat(summaries(team, DEPLOYMENTS))
        .extracting(r -> r.dimensions().get("deployment"), UsageSummaryRow::quantity)
        .containsExactly(
            tuple("batch", new BigDecimal("3000")), tuple("web", new BigDecimal("2400")));
    assertThat(available(team)).isEqualTo(credits("82.00"));
  }

  // Regression: the same for an instance that the heartbeat timeout stopped.
  @Test
  void a_late_heartbeat_never_restarts_a_deployment_its_timeout_stopped() {
    startAt(at("2026-11-04T10:00:00Z"));
    report(ENDPOINTS, "gateway", 1);
    for (int minute = 5; minute <= 50; minute += 5) {
      reportAt(String.format("2026-11-04T10:%02d:00Z", minute), ENDPOINTS, "gateway", 1);
    }
    // Silent after 10:50: stopped at 11:00. [10:00, 11:00) = 12.00.
    assertThat(onlyPosting(runAt(at("2026-11-04T11:05:00Z"))).amount()).isEqualTo(credits("12.00"));

    // The 10:45 heartbeat was delayed and arrives at 11:20: it says nothing newer than 10:50.
    clock.set(at("2026-11-04T11:20:00Z"));
    lateReport("2026-11-04T10:45:00Z", ENDPOINTS, "gateway", 1);
    DeductionReport late = runAt(at("2026-11-04T12:05:00Z"));
    assertThat(late.failures()).isEmpty();
    assertThat(amounts(late)).containsExactly(0L);
    assertThat(late.postings().get(0).events()).isEqualTo(1);
    assertThat(runAt(at("2026-11-04T13:05:00Z")).postings()).isEmpty();

    assertThat(postedAmounts(team)).containsExactly(1200L);
    assertThat(summaries(team, ENDPOINTS))
        .extracting(UsageSummaryRow::quantity, UsageSummaryRow::credits)
        .containsExactly(tuple(new BigDecimal("3600"), credits("12.00")));
  }
}
