package dev.billingsdk.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.billingsdk.AccountId;
import dev.billingsdk.metering.PriceModel.Tier;
import dev.billingsdk.spi.RatingCursor;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Usage events arrive late: a collector's queue backs up, a mobile client syncs after being
 * offline. An event that arrives after its window was rated, but within the late-arrival window (3
 * days), is rated by the next run, in its own month, and counted once; an older one is refused.
 *
 * <p>Tokens are priced in graduated tiers per calendar month: the first 3,000 at 0.001 credits, the
 * rest at 0.0005. So where a late event lands (which month's aggregate it joins) changes its price.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LateUsageStoryTest extends DeductionStory {
  static final String TOKENS = "llm-tokens";

  AccountId team;

  @BeforeEach
  void a_team_with_credits_on_october_31st() {
    PriceBook prices =
        PriceBook.builder(RoundingMode.HALF_EVEN)
            .meter(
                TOKENS,
                MeterPrice.of(
                    CREDITS, PriceModel.graduated(Tier.upTo("3000", "0.001"), Tier.rest("0.0005"))))
            .build();
    start(at("2026-10-31T23:00:00Z"), MeteringSettings.of(prices, Duration.ofHours(1)));
    team = open("team-mobile");
    grant(team, "100.00");
    define(Meter.builder(ACME, TOKENS, Aggregation.SUM).unit("tokens").dimensions("model").build());
  }

  UsageEvent tokens(String id, String occurredAt, String n) {
    return usage(id, team, TOKENS, n, at(occurredAt), Map.of("model", "gpt-4o"));
  }

  RatingCursor cursor() {
    return store.findRatingCursor(ACME, team, TOKENS).orElseThrow();
  }

  @Test
  void a_late_october_event_rated_in_november_lands_in_octobers_summary_once() {
    clock.set(at("2026-10-31T23:10:00Z"));
    send(tokens("oct-1", "2026-10-31T23:10:00Z", "1000"));

    // 00:05: [23:10, 00:00) is rated: 1000 tokens in the first tier = 1.00.
    DeductionReport october = runAt(at("2026-11-01T00:05:00Z"));
    assertThat(amounts(october)).containsExactly(100L);

    // 00:20: the event of 23:40 that was stuck in a queue arrives, with one of 00:20.
    clock.set(at("2026-11-01T00:20:00Z"));
    assertThat(send(tokens("oct-late", "2026-10-31T23:40:00Z", "2500")).duplicate()).isFalse();
    send(tokens("nov-1", "2026-11-01T00:20:00Z", "500"));

    // 01:05: the late event is rated with [00:00, 01:00), each in its own month. October's
    // aggregate goes 1000 -> 3500: cost(3500) - cost(1000) = (3.00 + 500 * 0.0005) - 1.00 = 2.25.
    // November starts its own tiers: 500 * 0.001 = 0.50. One posting of 2.75.
    DeductionReport next = runAt(at("2026-11-01T01:05:00Z"));
    assertThat(next.failures()).isEmpty();
    assertThat(next.postings()).hasSize(1);
    DeductionPosting p = next.postings().get(0);
    assertThat(p.windowStart()).isEqualTo(at("2026-11-01T00:00:00Z"));
    assertThat(p.windowEnd()).isEqualTo(at("2026-11-01T01:00:00Z"));
    assertThat(p.events()).isEqualTo(2);
    assertThat(p.amount()).isEqualTo(credits("2.75"));
    assertThat(p.lines())
        .extracting(
            DeductionPosting.UsageLine::period,
            DeductionPosting.UsageLine::quantity,
            DeductionPosting.UsageLine::credits)
        .containsExactly(
            tuple(YearMonth.of(2026, 10), new BigDecimal("2500"), credits("2.25")),
            tuple(YearMonth.of(2026, 11), new BigDecimal("500"), credits("0.50")));

    // Never twice: a second run finds nothing, the event sent again is a duplicate, and the run
    // after that still finds nothing.
    assertThat(runAt(at("2026-11-01T01:30:00Z")).postings()).isEmpty();
    assertThat(send(tokens("oct-late", "2026-10-31T23:40:00Z", "2500")).duplicate()).isTrue();
    assertThat(runAt(at("2026-11-01T01:35:00Z")).postings()).isEmpty();

    // 01:40: an event of 00:50 arrives after its window was rated; nothing else is due until 02:00,
    // but the run at 01:45 rates it at once, on its own: November 500 -> 800 tokens, 0.30.
    clock.set(at("2026-11-01T01:40:00Z"));
    send(tokens("nov-late", "2026-11-01T00:50:00Z", "300"));
    DeductionReport alone = runAt(at("2026-11-01T01:45:00Z"));
    assertThat(alone.postings()).hasSize(1);
    DeductionPosting q = alone.postings().get(0);
    assertThat(q.windowStart()).isEqualTo(at("2026-11-01T01:00:00Z"));
    assertThat(q.windowEnd()).isEqualTo(at("2026-11-01T01:00:00Z"));
    assertThat(q.amount()).isEqualTo(credits("0.30"));
    assertThat(q.events()).isEqualTo(1);
    assertThat(runAt(at("2026-11-01T02:05:00Z")).postings()).isEmpty();

    // October: 3500 tokens for 3.25 (the tiers of its whole aggregate); November: 800 for 0.80.
    assertThat(summaries(team, TOKENS))
        .extracting(UsageSummaryRow::month, UsageSummaryRow::quantity, UsageSummaryRow::credits)
        .containsExactly(
            tuple(10, new BigDecimal("3500"), credits("3.25")),
            tuple(11, new BigDecimal("800"), credits("0.80")));
    assertThat(postedAmounts(team)).containsExactly(100L, 275L, 30L);
    assertThat(creditsOf(summaries(team, TOKENS))).isEqualTo(405L);
    assertThat(available(team)).isEqualTo(credits("95.95"));
  }

  @Test
  void an_event_older_than_the_late_arrival_window_is_refused_and_nothing_of_its_batch_is_stored() {
    clock.set(at("2026-11-01T00:20:00Z"));
    send(tokens("first", "2026-11-01T00:20:00Z", "1000"));
    assertThat(amounts(runAt(at("2026-11-04T00:05:00Z")))).containsExactly(100L);
    RatingCursor before = cursor();

    // On November 5th at 00:20 the oldest acceptable time is November 2nd 00:20 (3 days), the
    // newest 00:25 (5 minutes of clock skew).
    clock.set(at("2026-11-05T00:20:00Z"));
    UsageTimeOutOfRangeException tooOld =
        catchThrowableOfType(
            UsageTimeOutOfRangeException.class,
            () ->
                billing
                    .metering()
                    .ingest(
                        List.of(
                            tokens("fresh", "2026-11-05T00:10:00Z", "100"),
                            tokens("stale", "2026-11-02T00:19:59Z", "100")),
                        COLLECTOR));
    assertThat(tooOld).isNotNull();
    assertThat(tooOld.field()).isEqualTo("occurredAt");
    assertThat(tooOld.earliest()).isEqualTo(at("2026-11-02T00:20:00Z"));
    assertThat(tooOld.latest()).isEqualTo(at("2026-11-05T00:25:00Z"));
    UsageTimeOutOfRangeException tooNew =
        catchThrowableOfType(
            UsageTimeOutOfRangeException.class,
            () -> send(tokens("future", "2026-11-05T00:25:01Z", "100")));
    assertThat(tooNew).isNotNull();

    // Nothing was stored: not the stale event, not the fresh one of its batch, not the future one;
    // the cursor did not move.
    assertThat(store.findUsageEvent(ACME, "stale")).isEmpty();
    assertThat(store.findUsageEvent(ACME, "fresh")).isEmpty();
    assertThat(store.findUsageEvent(ACME, "future")).isEmpty();
    assertThat(cursor()).isEqualTo(before);
    assertThat(runAt(at("2026-11-05T00:30:00Z")).postings()).isEmpty();

    // Exactly at the edge is still in time: it is late (its window was rated on the 4th) and is
    // rated by the next run, into November: 1000 -> 1200 tokens, 0.20.
    clock.set(at("2026-11-05T00:20:00Z"));
    assertThat(send(tokens("edge", "2026-11-02T00:20:00Z", "200")).duplicate()).isFalse();
    DeductionReport r = runAt(at("2026-11-05T00:30:00Z"));
    assertThat(amounts(r)).containsExactly(20L);
    assertThat(r.postings().get(0).lines())
        .extracting(DeductionPosting.UsageLine::period)
        .containsExactly(YearMonth.of(2026, 11));
    assertThat(summaries(team, TOKENS))
        .extracting(UsageSummaryRow::quantity, UsageSummaryRow::credits)
        .containsExactly(tuple(new BigDecimal("1200"), credits("1.20")));
  }
}
