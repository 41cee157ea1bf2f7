package dev.billingsdk.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.metering.PriceModel.Tier;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.Rational;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.testing.TestClock;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Ledger rule 6 (docs/architecture.md), "rounding never leaks", under random usage and random
 * prices. Each try builds two separate in-memory stores with the same account, meter, price book
 * and usage, ingested in the same batches at the same clock times; only the deduction schedule
 * differs:
 *
 * <ul>
 *   <li>(a) "in one piece": a 24-hour deduction interval, run once after the span (a few windows);
 *   <li>(b) "in many pieces": a short interval, run after every interval (some runs randomly
 *       skipped, so a later run catches up several windows at once).
 * </ul>
 *
 * The expected total is computed here, independently of the rating engine: per calendar month and
 * price rule (first match) the period aggregate (SUM, COUNT, MAX, UNIQUE_COUNT, LATEST), less the
 * allowance drawn in rating order (by time, then ingest order), priced with the rule's {@link
 * PriceModel#cost}, summed over rules and months, in minor units, rounded once with the book's
 * mode.
 *
 * <p>The properties:
 *
 * <ol>
 *   <li>{@link #two_days_rated_in_one_piece_or_in_many_post_the_same_exact_total} (1000 tries): a
 *       48-hour span starting at the beginning, middle or end of a month (three of the five start
 *       days cross a month boundary and its tier reset, one also a year), up to 60 events (at
 *       random microseconds or on the hour and a microsecond either side, quantities with up to 12
 *       decimals, sent in random order within a batch), random price rules (per unit with sub-minor
 *       prices, graduated and volume tiers with flats, package, flat fee, per hour, dimension-keyed
 *       with a catch-all), optional allowance, any rounding mode but UNNECESSARY, unit scale 0, 2
 *       or 4; (b) every 15 minutes, 30 minutes, 1 hour or 2 hours. Asserts: no run fails; after
 *       every run of (b) its postings so far are exactly the one rounding of the exact cost of the
 *       usage so far (the remainder is carried, never dropped or double counted); (a) and (b) post
 *       the same total, equal to the independent one rounding; in both stores the ledger agrees
 *       (consumed minus credited back is that total, the available balance is the grant less it); a
 *       dry run in (a) previews exactly what the real run posts; the monthly summaries' credits sum
 *       to the postings; per month and rule, the summaries' quantities sum to the period aggregate;
 *       both stores' summaries have the same quantities row by row. Not asserted, because it is not
 *       so: equal credits row by row (where a posting's carried remainder lands among the rows of a
 *       month depends on the windows; the month's total does not), and equal gross CONSUMED (a
 *       volume tier or a falling LATEST value is given back as a credit, more often when rated in
 *       many pieces; the net is equal).
 *   <li>{@link #a_month_rated_hourly_or_in_one_piece_posts_the_same_exact_total} (50 tries, each
 *       720 hourly runs in (b)): the same assertions over one whole calendar month (November 2026,
 *       30 days), up to 150 events.
 *   <li>{@link #running_time_rated_in_one_piece_or_in_many_posts_the_same_exact_total} (500 tries,
 *       each up to 192 runs in (b)): the same assertions for a RUNNING_TIME meter: up to 40 level
 *       events (zero stops) of up to 4 instances on two models, with or without a heartbeat
 *       timeout, priced by rules keyed on the model and the instance; the oracle bills each
 *       instance at its level to the second and, while the allowance lasts, draws it in time order
 *       (see {@link #expectedRunning}).
 *   <li>{@link #tiny_charges_carry_their_remainder_until_it_posts} (100 tries): one event an hour
 *       whose cost is a small fraction of the smallest unit (for example 1 token at 0.0001 credits
 *       with 2 decimals), rated hourly for up to 720 hours: after every hour the posted total is
 *       exactly the rounding of the exact running cost, so with DOWN it eventually posts {@code
 *       floor(total)} instead of zero, and with UP it posts {@code ceil(total)} rather than one
 *       minor unit an hour.
 * </ol>
 *
 * {@link #running_time_allowance_is_shared_by_time_not_by_window} pins the bug the running-time
 * property found: the allowance went to whichever instance was billed first in a window, so daily
 * and hourly rating charged different totals.
 */
class RatingPropertiesTest {
  static final TenantId ACME = TenantId.of("acme");
  static final AccountId TEAM = AccountId.of("team");
  static final Actor ADMIN = Actor.of("alice", Role.ADMIN);
  static final Actor APP = Actor.system("gateway");
  static final String METER = "usage";
  static final String INSTANCE = "instance";
  static final long GRANTED = 1_000_000_000_000_000L;
  static final List<String> MODELS = List.of("a", "b", "c");
  static final List<String> USERS = List.of("u1", "u2", "u3", "u4");
  static final LedgerAccount CONSUMED = LedgerAccount.counter(LedgerAccount.Kind.CONSUMED);
  static final LedgerAccount ISSUED = LedgerAccount.counter(LedgerAccount.Kind.ISSUED);

  // ------------------------------------------------------------------ scenarios

  /** One usage event: when (micros after the span's start), how much, and its dimensions. */
  record Ev(long atMicros, BigDecimal quantity, String model, String user) {}

  /**
   * A try: the unit's scale, the meter's aggregation, its price rules (the last matches all), the
   * allowance per month, the rounding, the span, (b)'s interval, the usage and which of (b)'s runs
   * are skipped (by tick number modulo the list's size).
   */
  record Scenario(
      int scale,
      Aggregation aggregation,
      List<PriceRule> rules,
      BigDecimal included,
      RoundingMode rounding,
      Instant start,
      int hours,
      Duration fine,
      List<Ev> events,
      List<Boolean> skips,
      Optional<Duration> heartbeat) {

    CreditUnit unit() {
      return CreditUnit.of("CREDIT", scale);
    }

    MeterPrice price() {
      return new MeterPrice(unit(), rules, included);
    }

    Meter meter() {
      Meter.Builder b = Meter.builder(ACME, METER, aggregation);
      switch (aggregation) {
        case UNIQUE_COUNT -> b.unit("users").dimensions("user", "model").keyDimension("user");
        case RUNNING_TIME -> {
          b.unit("seconds").dimensions(INSTANCE, "model").keyDimension(INSTANCE);
          heartbeat.ifPresent(b::heartbeatTimeout);
        }
        default -> b.unit("units").dimensions("model", "user");
      }
      return b.build();
    }

    /** The event's dimensions: on a running-time meter its "user" names the running instance. */
    Map<String, String> dimensionsOf(Ev e) {
      return Map.of("model", e.model(), second(), e.user());
    }

    String second() {
      return aggregation == Aggregation.RUNNING_TIME ? INSTANCE : "user";
    }

    Instant end() {
      return start.plus(Duration.ofHours(hours));
    }

    Instant timeOf(Ev e) {
      return start.plusNanos(e.atMicros() * 1000);
    }
  }

  // ------------------------------------------------------------------ generators

  static final List<Aggregation> COUNTED =
      List.of(
          Aggregation.SUM,
          Aggregation.COUNT,
          Aggregation.MAX,
          Aggregation.UNIQUE_COUNT,
          Aggregation.LATEST);

  static Arbitrary<Instant> twoDayStarts() {
    return Arbitraries.of(
        Instant.parse("2026-11-01T00:00:00Z"),
        Instant.parse("2026-11-14T00:00:00Z"),
        Instant.parse("2026-10-31T00:00:00Z"),
        Instant.parse("2026-02-28T00:00:00Z"),
        Instant.parse("2026-12-31T00:00:00Z"));
  }

  static Arbitrary<Duration> fineIntervals() {
    return Arbitraries.of(
        Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2));
  }

  @Provide
  Arbitrary<Scenario> twoDays() {
    return scenarios(
        twoDayStarts(),
        Arbitraries.just(48),
        fineIntervals(),
        60,
        Arbitraries.of(COUNTED),
        Arbitraries.just(Optional.empty()),
        quantities());
  }

  @Provide
  Arbitrary<Scenario> month() {
    return scenarios(
        Arbitraries.just(Instant.parse("2026-11-01T00:00:00Z")),
        Arbitraries.just(720),
        Arbitraries.just(Duration.ofHours(1)),
        150,
        Arbitraries.of(COUNTED),
        Arbitraries.just(Optional.empty()),
        quantities());
  }

  @Provide
  Arbitrary<Scenario> runningTwoDays() {
    Arbitrary<Optional<Duration>> heartbeats =
        Arbitraries.of(
            Optional.empty(),
            Optional.of(Duration.ofSeconds(301)),
            Optional.of(Duration.ofMinutes(30)),
            Optional.of(Duration.ofMinutes(90)));
    Arbitrary<BigDecimal> levels =
        Arbitraries.frequencyOf(
            Tuple.of(1, Arbitraries.just(BigDecimal.ZERO)),
            Tuple.of(2, Arbitraries.of("1", "2", "0.5", "1.25").map(BigDecimal::new)),
            Tuple.of(2, decimals(new BigDecimal("8"), 3)));
    return scenarios(
        twoDayStarts(),
        Arbitraries.just(48),
        fineIntervals(),
        40,
        Arbitraries.just(Aggregation.RUNNING_TIME),
        heartbeats,
        levels);
  }

  Arbitrary<Scenario> scenarios(
      Arbitrary<Instant> starts,
      Arbitrary<Integer> hours,
      Arbitrary<Duration> fine,
      int maxEvents,
      Arbitrary<Aggregation> aggregations,
      Arbitrary<Optional<Duration>> heartbeats,
      Arbitrary<BigDecimal> quantities) {
    Arbitrary<Integer> scales = Arbitraries.of(0, 2, 4);
    Arbitrary<RoundingMode> modes =
        Arbitraries.of(RoundingMode.class).filter(m -> m != RoundingMode.UNNECESSARY);
    Arbitrary<BigDecimal> included =
        Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.just(BigDecimal.ZERO)),
            Tuple.of(1, Arbitraries.integers().between(1, 10).map(BigDecimal::valueOf)),
            Tuple.of(2, decimals(new BigDecimal("20000"), 3)));
    Arbitrary<List<Boolean>> skips =
        Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(false)), Tuple.of(1, Arbitraries.just(true)))
            .list()
            .ofMinSize(1)
            .ofMaxSize(20);
    Arbitrary<Tuple.Tuple3<Instant, Integer, Duration>> spans =
        Combinators.combine(starts, hours, fine).as(Tuple::of);
    Arbitrary<Tuple.Tuple2<Aggregation, List<PriceRule>>> pricing =
        aggregations.flatMap(
            a ->
                rules(a == Aggregation.RUNNING_TIME ? INSTANCE : "user")
                    .map(rs -> Tuple.of(a, rs)));
    return Combinators.combine(scales, pricing, included, modes, spans, skips, heartbeats)
        .flatAs(
            (scale, p, incl, mode, span, sk, hb) ->
                events(span.get2(), maxEvents, quantities)
                    .map(
                        evs ->
                            new Scenario(
                                scale,
                                p.get1(),
                                p.get2(),
                                incl,
                                mode,
                                span.get1(),
                                span.get2(),
                                span.get3(),
                                evs,
                                sk,
                                p.get1() == Aggregation.RUNNING_TIME ? hb : Optional.empty())));
  }

  /** A non-negative decimal below {@code max} with up to {@code maxScale} decimals. */
  static Arbitrary<BigDecimal> decimals(BigDecimal max, int maxScale) {
    return Arbitraries.integers()
        .between(0, maxScale)
        .flatMap(s -> Arbitraries.bigDecimals().between(BigDecimal.ZERO, max).ofScale(s))
        .map(d -> d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros());
  }

  Arbitrary<BigDecimal> quantities() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, decimals(new BigDecimal("5000"), 12)),
        Tuple.of(2, Arbitraries.integers().between(0, 20).map(BigDecimal::valueOf)),
        Tuple.of(1, Arbitraries.integers().between(1, 1000).map(i -> BigDecimal.valueOf(i, 12))));
  }

  Arbitrary<List<Ev>> events(int hours, int maxEvents, Arbitrary<BigDecimal> quantities) {
    long span = hours * 3_600_000_000L;
    Arbitrary<Long> at =
        Arbitraries.oneOf(
            Arbitraries.longs().between(0, span - 1),
            // on the hour, or a microsecond either side of it
            Arbitraries.integers()
                .between(1, hours - 1)
                .flatMap(h -> Arbitraries.of(-1L, 0L, 1L).map(d -> h * 3_600_000_000L + d)));
    return Combinators.combine(at, quantities, Arbitraries.of(MODELS), Arbitraries.of(USERS))
        .as(Ev::new)
        .list()
        .ofMaxSize(maxEvents);
  }

  /**
   * 0 to 3 rules keyed on the model and on {@code second} (the user, or the running instance), then
   * one that prices all other usage.
   */
  Arbitrary<List<PriceRule>> rules(String second) {
    Arbitrary<Map<String, String>> when =
        Arbitraries.of(
            Map.of("model", "a"),
            Map.of("model", "b"),
            Map.of("model", "a", second, "u1"),
            Map.of(second, "u2"));
    Arbitrary<PriceRule> keyed = Combinators.combine(when, models()).as(PriceRule::new);
    return Combinators.combine(keyed.list().ofMaxSize(3), models())
        .as(
            (ks, otherwise) -> {
              List<PriceRule> all = new ArrayList<>(ks);
              all.add(new PriceRule(Map.of(), otherwise));
              return List.copyOf(all);
            });
  }

  /** Prices per unit of quantity: sub-minor ones, odd ones, zero, and random ones. */
  Arbitrary<BigDecimal> prices() {
    return Arbitraries.oneOf(
        Arbitraries.of("0", "0.0001", "0.0002", "0.0025", "0.013", "0.333333", "1.7", "2")
            .map(BigDecimal::new),
        decimals(new BigDecimal("3"), 6));
  }

  Arbitrary<PriceModel> models() {
    Arbitrary<BigDecimal> flats =
        Arbitraries.oneOf(Arbitraries.just(BigDecimal.ZERO), decimals(new BigDecimal("100"), 3));
    Arbitrary<PriceModel> perUnit = prices().map(PriceModel.PerUnit::new);
    Arbitrary<PriceModel> graduated = tiers(flats).map(PriceModel.Graduated::new);
    Arbitrary<PriceModel> volume = tiers(flats).map(PriceModel.Volume::new);
    Arbitrary<PriceModel> pack =
        Combinators.combine(
                Arbitraries.of("1", "0.5", "7", "1000", "123.456").map(BigDecimal::new), prices())
            .as(PriceModel.Package::new);
    Arbitrary<PriceModel> flatFee = decimals(new BigDecimal("50"), 4).map(PriceModel.FlatFee::new);
    Arbitrary<PriceModel> perHour = decimals(new BigDecimal("20"), 4).map(PriceModel.PerHour::new);
    return Arbitraries.oneOf(perUnit, graduated, volume, pack, flatFee, perHour);
  }

  /** 1 to 3 bounded tiers with increasing bounds, then the unbounded one. */
  Arbitrary<List<Tier>> tiers(Arbitrary<BigDecimal> flats) {
    Arbitrary<BigDecimal> bounds =
        Arbitraries.oneOf(
            Arbitraries.of("1", "2", "3", "10", "50", "100", "1000", "5000", "20000")
                .map(BigDecimal::new),
            decimals(new BigDecimal("20000"), 3).filter(d -> d.signum() > 0));
    Arbitrary<Tier> rest =
        Combinators.combine(prices(), flats).as((p, f) -> new Tier(Optional.empty(), p, f));
    return Combinators.combine(
            bounds.set().ofMinSize(1).ofMaxSize(3),
            prices().list().ofSize(3),
            flats.list().ofSize(3),
            rest)
        .as(
            (bs, ps, fs, last) -> {
              List<BigDecimal> sorted = new ArrayList<>(new TreeSet<>(bs));
              List<Tier> tiers = new ArrayList<>();
              BigDecimal previous = BigDecimal.ZERO;
              for (int i = 0; i < sorted.size(); i++) {
                if (sorted.get(i).compareTo(previous) <= 0) {
                  continue; // 1 and 1.000 are one bound
                }
                previous = sorted.get(i);
                tiers.add(new Tier(Optional.of(sorted.get(i)), ps.get(i), fs.get(i)));
              }
              tiers.add(last);
              return tiers;
            });
  }

  // ------------------------------------------------------------------ the properties

  @Property(tries = 1000)
  void two_days_rated_in_one_piece_or_in_many_post_the_same_exact_total(
      @ForAll("twoDays") Scenario s) {
    check(s);
  }

  @Property(tries = 50)
  void a_month_rated_hourly_or_in_one_piece_posts_the_same_exact_total(
      @ForAll("month") Scenario s) {
    check(s);
  }

  @Property(tries = 500)
  void running_time_rated_in_one_piece_or_in_many_posts_the_same_exact_total(
      @ForAll("runningTwoDays") Scenario s) {
    check(s);
  }

  /**
   * Regression. Two GPU deployments start together on November 1 at 00:00 and stop at 02:00, both
   * at level 1: "a" on an A100 at 36 credits an hour, "b" on a T4 at 3.60 an hour; two hours (7,200
   * level-seconds) a month are included. Drawn by time, the allowance covers the first hour of
   * each; the second hours cost 36 + 3.60 = 39.60 credits, hourly or daily. It used to be drawn by
   * whichever instance a window billed first: hourly, the first hour of each (39.60); daily, both
   * hours of "a", whose stop event is rated first (7,200 s of "b" at 0.001 a second: 7.20).
   */
  @Example
  void running_time_allowance_is_shared_by_time_not_by_window() {
    long twoHours = 2 * 3_600_000_000L;
    Scenario s =
        new Scenario(
            2,
            Aggregation.RUNNING_TIME,
            List.of(
                new PriceRule(Map.of("model", "a"), PriceModel.perHour("36")),
                new PriceRule(Map.of(), PriceModel.perHour("3.6"))),
            new BigDecimal("7200"),
            RoundingMode.HALF_EVEN,
            Instant.parse("2026-11-01T00:00:00Z"),
            24,
            Duration.ofHours(1),
            List.of(
                new Ev(0, BigDecimal.ONE, "a", "u1"),
                new Ev(0, BigDecimal.ONE, "b", "u2"),
                new Ev(twoHours, BigDecimal.ZERO, "a", "u1"),
                new Ev(twoHours, BigDecimal.ZERO, "b", "u2")),
            List.of(false),
            Optional.empty());

    Result r = check(s);

    assertThat(r.onePiecePosted()).isEqualTo(3960);
    assertThat(r.manyPosted()).isEqualTo(3960);
  }

  /**
   * An hourly cost of {@code quantity × price} that is a small fraction of one minor unit (1 token
   * at 0.0001 credits, 2 decimals: 1/100 of a minor unit an hour).
   */
  @Property(tries = 100)
  void tiny_charges_carry_their_remainder_until_it_posts(
      @ForAll("tinyPrices") BigDecimal price,
      @ForAll("modes") RoundingMode mode,
      @ForAll("scales") int scale,
      @ForAll("hourCounts") int hours) {
    List<PriceRule> rules = List.of(new PriceRule(Map.of(), new PriceModel.PerUnit(price)));
    List<Ev> events = new ArrayList<>();
    for (int h = 0; h < hours; h++) {
      events.add(new Ev(h * 3_600_000_000L + 1_800_000_000L, BigDecimal.ONE, "a", "u1"));
    }
    Scenario s =
        new Scenario(
            scale,
            Aggregation.SUM,
            rules,
            BigDecimal.ZERO,
            mode,
            Instant.parse("2026-11-01T00:00:00Z"),
            hours,
            Duration.ofHours(1),
            events,
            List.of(false),
            Optional.empty());
    Rational perHour = Rational.of(price).times(tenTo(scale));
    assertThat(perHour.compareTo(Rational.ONE))
        .as("each hour costs under one minor unit")
        .isLessThan(0);

    Result r = check(s);

    Rational total = perHour.times(Rational.of(hours));
    assertThat(BigInteger.valueOf(r.manyPosted())).isEqualTo(total.round(mode));
    if (total.compareTo(Rational.ONE) >= 0) {
      assertThat(r.manyPosted()).as("the carried remainder posts eventually").isPositive();
    }
  }

  @Provide
  Arbitrary<BigDecimal> tinyPrices() {
    return Arbitraries.oneOf(
        Arbitraries.of("0.0001", "0.00001", "0.00003", "0.000333", "0.0000007")
            .map(BigDecimal::new),
        Arbitraries.integers().between(1, 999_999).map(i -> BigDecimal.valueOf(i, 10)));
  }

  @Provide
  Arbitrary<RoundingMode> modes() {
    return Arbitraries.of(RoundingMode.class).filter(m -> m != RoundingMode.UNNECESSARY);
  }

  @Provide
  Arbitrary<Integer> scales() {
    return Arbitraries.of(0, 2);
  }

  @Provide
  Arbitrary<Integer> hourCounts() {
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.just(720)), Tuple.of(3, Arbitraries.integers().between(1, 720)));
  }

  // ------------------------------------------------------------------ the check

  /** What the two stores posted. */
  record Result(long onePiecePosted, long manyPosted) {}

  static Result check(Scenario s) {
    World onePiece = new World(s, Duration.ofDays(1));
    World many = new World(s, s.fine());
    long fineSeconds = s.fine().toSeconds();
    int ticks = (int) (s.hours() * 3600L / fineSeconds);
    // The usage sent at each tick (what occurred in the interval before it), and when (b) runs.
    List<List<UsageEvent>> batches = new ArrayList<>();
    List<Ingested> ingested = new ArrayList<>();
    List<Instant> runs = new ArrayList<>();
    for (int k = 1; k <= ticks; k++) {
      Instant tick = s.start().plusSeconds(k * fineSeconds);
      Instant from = tick.minusSeconds(fineSeconds);
      List<UsageEvent> batch = new ArrayList<>();
      for (int i = 0; i < s.events().size(); i++) {
        Ev e = s.events().get(i);
        Instant at = s.timeOf(e);
        if (!at.isBefore(from) && at.isBefore(tick)) {
          batch.add(
              UsageEvent.builder(ACME, TEAM, METER)
                  .id("e" + i)
                  .quantity(e.quantity())
                  .occurredAt(at)
                  .dimensions(s.dimensionsOf(e))
                  .build());
          ingested.add(new Ingested(at, ingested.size(), e));
        }
      }
      batches.add(batch);
      if (k == ticks || !s.skips().get(k % s.skips().size())) {
        runs.add(tick);
      }
    }
    Map<Instant, Rational> soFar = expectedAt(s, ingested, runs);
    for (int k = 1; k <= ticks; k++) {
      Instant tick = s.start().plusSeconds(k * fineSeconds);
      onePiece.clock.set(tick);
      many.clock.set(tick);
      List<UsageEvent> batch = batches.get(k - 1);
      if (!batch.isEmpty()) {
        onePiece.ingest(batch);
        many.ingest(batch);
      }
      if (soFar.containsKey(tick)) {
        many.run(false);
        assertThat(BigInteger.valueOf(many.posted))
            .as(
                "(b) after the run at %s: the one rounding of the exact cost so far %s",
                tick, soFar.get(tick))
            .isEqualTo(soFar.get(tick).round(s.rounding()));
      }
    }
    // The first midnight at or after the span's end: (a)'s daily windows reach it too.
    Instant after = s.end().truncatedTo(ChronoUnit.DAYS);
    after = after.isBefore(s.end()) ? after.plus(Duration.ofDays(1)) : after;
    onePiece.clock.set(after);
    many.clock.set(after);
    DeductionReport preview = onePiece.billing.deductions().dryRun();
    List<Long> previewed = amounts(preview);
    DeductionReport real = onePiece.run(true);
    assertThat(amounts(real)).as("the dry run previews the real run").isEqualTo(previewed);
    many.run(false);

    Expected expected = expected(s, ingested, after);
    assertThat(many.posted)
        .as("(b) in many pieces posts what (a) in one piece posts")
        .isEqualTo(onePiece.posted);
    long rounded = expected.exact().round(s.rounding()).longValueExact();
    assertThat(onePiece.posted)
        .as("(a) in one piece: the one rounding of the exact total %s", expected.exact())
        .isEqualTo(rounded);
    assertThat(many.posted)
        .as("(b) in many pieces: the one rounding of the exact total %s", expected.exact())
        .isEqualTo(rounded);
    Map<String, BigDecimal> onePieceRows = onePiece.checkBooks(s, expected);
    Map<String, BigDecimal> manyRows = many.checkBooks(s, expected);
    assertThat(manyRows).as("summary quantities row by row").isEqualTo(onePieceRows);
    return new Result(onePiece.posted, many.posted);
  }

  static List<Long> amounts(DeductionReport report) {
    return report.postings().stream().map(p -> p.amount().minor()).toList();
  }

  static Rational tenTo(int scale) {
    return Rational.of(BigInteger.TEN.pow(scale), BigInteger.ONE);
  }

  // ------------------------------------------------------------------ one store

  /** One store with the scenario's account, meter and prices, deducting every {@code interval}. */
  static final class World {
    final TestClock clock;
    final Billing billing;
    final CreditUnit unit;
    long posted;

    World(Scenario s, Duration interval) {
      clock = new TestClock(s.start());
      unit = s.unit();
      PriceBook book = PriceBook.builder(s.rounding()).meter(METER, s.price()).build();
      billing =
          Billing.builder()
              .store(InMemoryBillingStore.create())
              .clock(clock)
              .metering(MeteringSettings.of(book, interval))
              .build();
      billing
          .credits()
          .openAccount(OpenAccountRequest.builder(ACME, TEAM, unit).actor(ADMIN).build());
      billing
          .credits()
          .grant(
              GrantRequest.builder(ACME, TEAM, Amount.ofMinor(unit, GRANTED))
                  .idempotencyKey(IdempotencyKey.of("plenty"))
                  .actor(ADMIN)
                  .reason("enough credit that no charge is refused")
                  .build());
      billing.metering().defineMeter(s.meter(), ADMIN);
    }

    void ingest(List<UsageEvent> batch) {
      assertThat(billing.metering().ingest(batch, APP)).noneMatch(IngestResult::duplicate);
    }

    DeductionReport run(boolean lastRun) {
      DeductionReport report = billing.deductions().run();
      assertThat(report.failures()).as("failures of the run at %s", clock.instant()).isEmpty();
      for (DeductionPosting p : report.postings()) {
        assertThat(p.posted()).isTrue();
        assertThat(p.amount().unit()).isEqualTo(unit);
        long lines = p.lines().stream().mapToLong(l -> l.credits().minor()).sum();
        assertThat(lines).as("a posting's lines sum to it").isEqualTo(p.amount().minor());
        assertThat(p.key().isPresent()).isEqualTo(p.amount().minor() != 0);
        posted = Math.addExact(posted, p.amount().minor());
      }
      if (!lastRun) {
        return report;
      }
      assertThat(billing.deductions().run().postings()).as("a second run finds nothing").isEmpty();
      return report;
    }

    /**
     * Checks the ledger and the monthly summaries against the postings and the expected aggregates;
     * returns the summary quantities by period and dimension values.
     */
    Map<String, BigDecimal> checkBooks(Scenario s, Expected expected) {
      long consumed = 0;
      long issued = 0;
      for (LedgerTransaction t : billing.ledger().transactions(ACME, TEAM)) {
        consumed = Math.addExact(consumed, t.minorOn(CONSUMED));
        issued = Math.addExact(issued, -t.minorOn(ISSUED));
      }
      long creditedBack = issued - GRANTED;
      assertThat(consumed - creditedBack)
          .as("consumed %s less credited back %s", consumed, creditedBack)
          .isEqualTo(posted);
      assertThat(billing.credits().balance(ACME, TEAM).available())
          .isEqualTo(Amount.ofMinor(unit, GRANTED - posted));

      List<UsageSummaryRow> rows =
          billing.metering().monthlySummaries(UsageSummaryQuery.of(ACME).account(TEAM));
      long credits = rows.stream().mapToLong(r -> r.credits().minor()).sum();
      assertThat(credits).as("summary credits sum to the postings").isEqualTo(posted);

      MeterPrice price = s.price();
      Map<String, BigDecimal> byRule = new TreeMap<>();
      Map<String, BigDecimal> byRow = new TreeMap<>();
      for (UsageSummaryRow r : rows) {
        assertThat(r.meter()).isEqualTo(METER);
        String period = YearMonth.of(r.year(), r.month()).toString();
        int rule = price.ruleFor(r.dimensions()).orElseThrow();
        byRule.merge(period + "#" + rule, r.quantity(), BigDecimal::add);
        byRow.merge(period + " " + new TreeMap<>(r.dimensions()), r.quantity(), BigDecimal::add);
      }
      assertThat(strip(byRule))
          .as("summary quantities per month and rule")
          .isEqualTo(strip(expected.aggregates()));
      return strip(byRow);
    }
  }

  /** The map without zero values and with canonical decimals, to compare by value. */
  static Map<String, BigDecimal> strip(Map<String, BigDecimal> m) {
    Map<String, BigDecimal> out = new TreeMap<>();
    m.forEach(
        (k, v) -> {
          if (v.signum() != 0) {
            BigDecimal c = v.stripTrailingZeros();
            out.put(k, c.scale() < 0 ? c.setScale(0) : c);
          }
        });
    return out;
  }

  // ------------------------------------------------------------------ the independent oracle

  /** An event as ingested: its time and its place in ingest order. */
  record Ingested(Instant at, int sequence, Ev ev) {}

  /** The exact cost in minor units (not rounded) and the aggregate per "period#rule". */
  record Expected(Rational exact, Map<String, BigDecimal> aggregates) {}

  /** One rule's aggregate in one month. */
  static final class Agg {
    BigDecimal sum = BigDecimal.ZERO;
    BigDecimal max = BigDecimal.ZERO;
    BigDecimal latest = BigDecimal.ZERO;
    final Set<String> users = new HashSet<>();
    BigDecimal drawn = BigDecimal.ZERO;

    BigDecimal value(Aggregation a) {
      return switch (a) {
        case SUM, COUNT -> sum;
        case MAX -> max;
        case LATEST -> latest;
        case UNIQUE_COUNT -> BigDecimal.valueOf(users.size());
        case RUNNING_TIME -> throw new IllegalArgumentException("not generated here");
      };
    }
  }

  /**
   * The exact cost of the usage before each of {@code checkpoints} (ascending), billed up to it:
   * what (b) has rated after its run there.
   */
  static Map<Instant, Rational> expectedAt(
      Scenario s, List<Ingested> usage, List<Instant> checkpoints) {
    Map<Instant, Rational> out = new HashMap<>();
    if (s.aggregation() == Aggregation.RUNNING_TIME) {
      expectedRunning(s, usage, checkpoints.get(checkpoints.size() - 1), checkpoints, out);
      return out;
    }
    expectedCounted(s, usage, checkpoints, out);
    return out;
  }

  static Expected expected(Scenario s, List<Ingested> usage, Instant billedTo) {
    if (s.aggregation() == Aggregation.RUNNING_TIME) {
      return expectedRunning(s, usage, billedTo, List.of(), new HashMap<>());
    }
    return expectedCounted(s, usage, List.of(), new HashMap<>());
  }

  /**
   * Folds the usage in rating order (time, then ingest order) into per-month, per-rule aggregates;
   * an increase draws on the month's allowance while any is left. The cost is each rule's model
   * applied to its aggregate less what it drew. The cost of the usage before each of {@code
   * checkpoints} (ascending) goes to {@code costAt}.
   */
  static Expected expectedCounted(
      Scenario s, List<Ingested> usage, List<Instant> checkpoints, Map<Instant, Rational> costAt) {
    List<Ingested> order = new ArrayList<>(usage);
    order.sort(
        (x, y) -> {
          int c = x.at().compareTo(y.at());
          return c != 0 ? c : Integer.compare(x.sequence(), y.sequence());
        });
    MeterPrice price = s.price();
    Map<YearMonth, Map<Integer, Agg>> periods = new TreeMap<>();
    Map<YearMonth, BigDecimal> allowanceUsed = new HashMap<>();
    int nextCheckpoint = 0;
    Rational cost = Rational.ZERO; // of the usage folded so far
    boolean folded = false; // since cost was taken
    for (Ingested i : order) {
      while (nextCheckpoint < checkpoints.size()
          && !checkpoints.get(nextCheckpoint).isAfter(i.at())) {
        cost = folded ? countedCost(s, periods) : cost;
        folded = false;
        costAt.put(checkpoints.get(nextCheckpoint++), cost);
      }
      folded = true;
      YearMonth period = YearMonth.from(i.at().atOffset(ZoneOffset.UTC));
      int rule = price.ruleFor(s.dimensionsOf(i.ev())).orElseThrow();
      Agg a =
          periods
              .computeIfAbsent(period, p -> new TreeMap<>())
              .computeIfAbsent(rule, r -> new Agg());
      BigDecimal before = a.value(s.aggregation());
      BigDecimal q = i.ev().quantity();
      switch (s.aggregation()) {
        case SUM -> a.sum = a.sum.add(q);
        case COUNT -> a.sum = a.sum.add(BigDecimal.ONE);
        case MAX -> a.max = a.max.max(q);
        case LATEST -> a.latest = q;
        case UNIQUE_COUNT -> a.users.add(i.ev().user());
        case RUNNING_TIME -> throw new IllegalArgumentException("not generated here");
      }
      BigDecimal delta = a.value(s.aggregation()).subtract(before);
      if (delta.signum() > 0) {
        BigDecimal left =
            s.included().subtract(allowanceUsed.getOrDefault(period, BigDecimal.ZERO));
        BigDecimal draw = left.max(BigDecimal.ZERO).min(delta);
        a.drawn = a.drawn.add(draw);
        allowanceUsed.merge(period, draw, BigDecimal::add);
      }
    }
    cost = countedCost(s, periods);
    while (nextCheckpoint < checkpoints.size()) {
      costAt.put(checkpoints.get(nextCheckpoint++), cost);
    }
    Map<String, BigDecimal> aggregates = new TreeMap<>();
    periods.forEach(
        (p, rules) ->
            rules.forEach((r, a) -> aggregates.put(p + "#" + r, a.value(s.aggregation()))));
    return new Expected(cost, aggregates);
  }

  /** Each rule's model applied to its aggregate less what it drew, in minor units. */
  static Rational countedCost(Scenario s, Map<YearMonth, Map<Integer, Agg>> periods) {
    Rational exact = Rational.ZERO;
    for (Map<Integer, Agg> rules : periods.values()) {
      for (Map.Entry<Integer, Agg> r : rules.entrySet()) {
        Agg a = r.getValue();
        BigDecimal priced = a.value(s.aggregation()).subtract(a.drawn).max(BigDecimal.ZERO);
        exact = exact.plus(s.rules().get(r.getKey()).model().cost(priced));
      }
    }
    return exact.times(tenTo(s.scale()));
  }

  /** One running instance in the oracle. */
  static final class Run {
    BigDecimal level = BigDecimal.ZERO;
    Instant billedUntil;
    Instant lastSeen;
    Map<String, String> dimensions;
  }

  /**
   * Running time: each instance runs at the level of its latest event from that event's time until
   * its next event, its heartbeat timeout after that event, or {@code billedTo}, whichever is first
   * (a level of zero runs nothing), in whole seconds (epoch second of the end less that of the
   * start), split at month boundaries, under the rule of the event that set the level. Time is
   * billed in time order: at every event, and at every whole minute while the month's allowance
   * lasts, all instances are billed up to that instant, in instance order; each such piece draws
   * what it can of the allowance left. (Once the allowance is used up the order no longer matters,
   * so the oracle then bills from event to event.) The exact cost at each of {@code checkpoints}
   * (before the events at that instant) goes to {@code costAt}.
   */
  static Expected expectedRunning(
      Scenario s,
      List<Ingested> usage,
      Instant billedTo,
      List<Instant> checkpoints,
      Map<Instant, Rational> costAt) {
    MeterPrice price = s.price();
    List<Ingested> order = new ArrayList<>(usage);
    order.sort(
        (x, y) -> {
          int c = x.at().compareTo(y.at());
          return c != 0 ? c : Integer.compare(x.sequence(), y.sequence());
        });
    Map<YearMonth, Map<Integer, Agg>> periods = new TreeMap<>();
    Map<YearMonth, BigDecimal> allowanceUsed = new HashMap<>();
    TreeMap<String, Run> runs = new TreeMap<>();
    Instant now = s.start();
    int next = 0;
    int nextCheckpoint = 0;
    while (true) {
      while (nextCheckpoint < checkpoints.size() && !checkpoints.get(nextCheckpoint).isAfter(now)) {
        if (checkpoints.get(nextCheckpoint).equals(now)) {
          costAt.put(now, runningCost(s, periods));
        }
        nextCheckpoint++;
      }
      // Apply every event at this instant, in ingest order.
      while (next < order.size() && !order.get(next).at().isAfter(now)) {
        Ingested e = order.get(next++);
        Run r = runs.computeIfAbsent(e.ev().user(), k -> new Run());
        r.level = e.ev().quantity();
        r.billedUntil = e.at();
        r.lastSeen = e.at();
        r.dimensions = s.dimensionsOf(e.ev());
      }
      if (!now.isBefore(billedTo)) {
        break;
      }
      YearMonth period = YearMonth.from(now.atOffset(ZoneOffset.UTC));
      Instant cut = next < order.size() ? order.get(next).at() : billedTo;
      cut = cut.isAfter(billedTo) ? billedTo : cut;
      if (nextCheckpoint < checkpoints.size() && checkpoints.get(nextCheckpoint).isBefore(cut)) {
        cut = checkpoints.get(nextCheckpoint);
      }
      Instant periodEnd = period.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
      cut = periodEnd.isBefore(cut) ? periodEnd : cut;
      BigDecimal used = allowanceUsed.getOrDefault(period, BigDecimal.ZERO);
      if (s.included().compareTo(used) > 0) {
        Instant minute = now.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
        cut = minute.isBefore(cut) ? minute : cut;
      }
      for (Run r : runs.values()) {
        Instant end = cut;
        if (s.heartbeat().isPresent() && r.lastSeen.plus(s.heartbeat().get()).isBefore(end)) {
          end = r.lastSeen.plus(s.heartbeat().get());
        }
        long seconds = end.getEpochSecond() - r.billedUntil.getEpochSecond();
        if (r.level.signum() > 0 && seconds > 0) {
          int rule = price.ruleFor(r.dimensions).orElseThrow();
          Agg a =
              periods
                  .computeIfAbsent(period, p -> new TreeMap<>())
                  .computeIfAbsent(rule, k -> new Agg());
          BigDecimal delta = r.level.multiply(BigDecimal.valueOf(seconds));
          a.sum = a.sum.add(delta);
          BigDecimal left =
              s.included().subtract(allowanceUsed.getOrDefault(period, BigDecimal.ZERO));
          BigDecimal draw = left.max(BigDecimal.ZERO).min(delta);
          a.drawn = a.drawn.add(draw);
          allowanceUsed.merge(period, draw, BigDecimal::add);
        }
        if (cut.isAfter(r.billedUntil)) {
          r.billedUntil = cut;
        }
      }
      now = cut;
    }
    Map<String, BigDecimal> aggregates = new TreeMap<>();
    periods.forEach((p, rules) -> rules.forEach((r, a) -> aggregates.put(p + "#" + r, a.sum)));
    return new Expected(runningCost(s, periods), aggregates);
  }

  /** Each rule's model applied to its running time less what it drew, in minor units. */
  static Rational runningCost(Scenario s, Map<YearMonth, Map<Integer, Agg>> periods) {
    Rational exact = Rational.ZERO;
    for (Map<Integer, Agg> rules : periods.values()) {
      for (Map.Entry<Integer, Agg> r : rules.entrySet()) {
        BigDecimal priced = r.getValue().sum.subtract(r.getValue().drawn).max(BigDecimal.ZERO);
        exact = exact.plus(s.rules().get(r.getKey()).model().cost(priced));
      }
    }
    return exact.times(tenTo(s.scale()));
  }
}
