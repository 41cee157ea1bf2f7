package dev.billingsdk.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccountId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.AccountNotFoundException;
import dev.billingsdk.metering.Aggregation;
import dev.billingsdk.metering.IngestResult;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.Metering;
import dev.billingsdk.metering.MeteringSettings;
import dev.billingsdk.metering.PriceBook;
import dev.billingsdk.metering.UnknownMeterException;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.metering.UsageEventConflictException;
import dev.billingsdk.metering.UsageSummaryQuery;
import dev.billingsdk.metering.UsageSummaryRow;
import dev.billingsdk.metering.UsageTimeOutOfRangeException;
import dev.billingsdk.money.Amount;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.IngestOutcome;
import dev.billingsdk.spi.MeteringStore;
import dev.billingsdk.spi.MeteringStore.UsagePosition;
import dev.billingsdk.spi.RatedLine;
import dev.billingsdk.spi.RatingCursor;
import dev.billingsdk.spi.StoredUsageEvent;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite for a {@link MeteringStore}: meters, deduplicated ingest, rating cursors
 * moved by compare-and-set, rated lines and their summaries, and the ingest rules of {@code
 * Billing.metering()} on top of the store. An adapter extends it and supplies the same store twice,
 * as a {@link BillingStore} and as a {@link MeteringStore}.
 *
 * <p>Every test uses a fresh tenant, so the store may be shared across tests and hold other tests'
 * data. The cursor scan is cross-tenant: the rules about it page through the store and keep their
 * own tenant's cursors.
 */
public abstract class MeteringStoreTck extends MeteringKitFixtures {
  /** For an adapter's subclass, which supplies the store under test. */
  protected MeteringStoreTck() {}

  /** The store under test, as a ledger store; the same object as {@link #meteringStore()}. */
  @Override
  protected abstract BillingStore store();

  /** The store under test, as a metering store; the same object as {@link #store()}. */
  @Override
  protected abstract MeteringStore meteringStore();

  /** Threads in the concurrency rules (at least 8 in the kit's own runs). */
  protected int concurrentThreads() {
    return 8;
  }

  // ------------------------------------------------------------------ meters

  @Nested
  @DisplayName("Meters: defined once per tenant and key, listed by key")
  class Meters {
    @Test
    void required_insertMeterIfAbsentKeepsTheFirstDefinitionAndReturnsIt() {
      Meter first =
          Meter.builder(f.tenant, "active-users", Aggregation.UNIQUE_COUNT)
              .unit("users")
              .dimensions("user", "region")
              .keyDimension("user")
              .build();
      assertThat(m.insertMeterIfAbsent(first)).isEqualTo(first);
      Meter second = Meter.builder(f.tenant, "active-users", Aggregation.MAX).unit("seats").build();
      assertThat(m.insertMeterIfAbsent(second)).as("the first definition stands").isEqualTo(first);
      assertThat(m.findMeter(f.tenant, "active-users")).contains(first);
      assertThat(m.meters(f.tenant)).containsExactly(first);
    }

    @Test
    void required_metersReadBackAsDefined() {
      List<Meter> defined =
          List.of(
              Meter.builder(f.tenant, "tokens", Aggregation.SUM)
                  .unit("tokens")
                  .dimensions("model", "region")
                  .build(),
              Meter.builder(f.tenant, "requests", Aggregation.COUNT).unit("requests").build(),
              Meter.builder(f.tenant, "storage", Aggregation.MAX)
                  .unit("GB")
                  .dimensions("bucket")
                  .build(),
              Meter.builder(f.tenant, "seats", Aggregation.LATEST).unit("seats").build(),
              Meter.builder(f.tenant, "users", Aggregation.UNIQUE_COUNT)
                  .unit("users")
                  .dimensions("user", "plan")
                  .keyDimension("user")
                  .build(),
              Meter.builder(f.tenant, "gpu", Aggregation.RUNNING_TIME)
                  .unit("seconds")
                  .dimensions("machine", "gpu-type")
                  .keyDimension("machine")
                  .heartbeatTimeout(Duration.ofSeconds(90))
                  .build(),
              Meter.runningTime(f.tenant, "vm", "instance"));
      for (Meter meter : defined) {
        assertThat(m.insertMeterIfAbsent(meter)).isEqualTo(meter);
      }
      for (Meter meter : defined) {
        assertThat(m.findMeter(f.tenant, meter.key())).contains(meter);
      }
      assertThat(m.findMeter(f.tenant, "never-defined")).isEmpty();
    }

    @Test
    void required_metersAreListedByKey() {
      List<String> keys = List.of("zeta", "alpha", "mid", "alpha-2", "beta");
      for (String k : keys) {
        m.insertMeterIfAbsent(Meter.builder(f.tenant, k, Aggregation.SUM).unit("units").build());
      }
      assertThat(m.meters(f.tenant))
          .extracting(Meter::key)
          .containsExactly("alpha", "alpha-2", "beta", "mid", "zeta");
    }

    @Test
    void required_metersAreTenantScoped() {
      TckFixture other = new TckFixture(store());
      Meter mine =
          Meter.builder(f.tenant, "tokens", Aggregation.SUM)
              .unit("tokens")
              .dimensions("model")
              .build();
      Meter theirs = Meter.builder(other.tenant, "tokens", Aggregation.MAX).unit("GB").build();
      assertThat(m.insertMeterIfAbsent(mine)).isEqualTo(mine);
      assertThat(m.insertMeterIfAbsent(theirs))
          .as("the same key in another tenant is another meter")
          .isEqualTo(theirs);
      m.insertMeterIfAbsent(
          Meter.builder(other.tenant, "only-theirs", Aggregation.SUM).unit("units").build());
      assertThat(m.findMeter(f.tenant, "tokens")).contains(mine);
      assertThat(m.findMeter(other.tenant, "tokens")).contains(theirs);
      assertThat(m.findMeter(f.tenant, "only-theirs")).isEmpty();
      assertThat(m.meters(f.tenant)).containsExactly(mine);
      assertThat(m.meters(other.tenant))
          .extracting(Meter::key)
          .containsExactly("only-theirs", "tokens");
      assertThat(m.meters(new TckFixture(store()).tenant)).isEmpty();
    }

    @Test
    void required_concurrentDefinitionsOfAKeyAgreeOnOneMeter() {
      int threads = concurrentThreads();
      List<Meter> returned =
          Races.race(
              threads,
              i ->
                  () ->
                      m.insertMeterIfAbsent(
                          Meter.builder(f.tenant, "contested", Aggregation.SUM)
                              .unit("unit-" + i)
                              .build()));
      Meter stored = m.findMeter(f.tenant, "contested").orElseThrow();
      assertThat(returned).as("every caller is told the one stored meter").containsOnly(stored);
      assertThat(m.meters(f.tenant)).containsExactly(stored);
    }
  }

  // ------------------------------------------------------------------ ingest

  @Nested
  @DisplayName(
      "Ingest: new ids are sequenced per triple, repeats are duplicates, conflicts write nothing")
  class Ingest {
    @Test
    void required_newEventsGetSequencesOneToNPerTripleInListOrder() {
      AccountId a = account("a");
      AccountId b = account("b");
      String m1 = meter("m1");
      String m2 = meter("m2");
      List<StoredUsageEvent> stored =
          ingestNew(
              sent("e1", a, m1, "1", at(50)),
              sent("e2", a, m2, "2", at(10)),
              sent("e3", a, m1, "3", at(5)),
              sent("e4", b, m1, "4", at(20)),
              sent("e5", a, m1, "5", at(40)),
              sent("e6", b, m1, "6", at(30)));
      assertThat(sequences(stored))
          .as("a:m1 gets 1,2,3; a:m2 gets 1; b:m1 gets 1,2, in list order")
          .containsExactly(1L, 1L, 2L, 1L, 3L, 2L);
      for (StoredUsageEvent s : stored) {
        assertThat(m.findUsageEvent(f.tenant, s.event().id())).contains(s);
      }
      assertThat(ids(all(a, m1))).containsExactly("e1", "e3", "e5");
      assertThat(ids(all(a, m2))).containsExactly("e2");
      assertThat(ids(all(b, m1))).containsExactly("e4", "e6");
      assertThat(all(b, m2)).isEmpty();
      List<StoredUsageEvent> more =
          ingestNew(sent("e7", a, m1, "7", at(60)), sent("e8", b, m2, "8", at(60)));
      assertThat(sequences(more)).as("a later call continues each triple").containsExactly(4L, 1L);
      assertThat(sequences(all(a, m1))).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void required_theFirstEventOfATripleCreatesItsCursor() {
      AccountId a = account("a");
      String m1 = meter("m1");
      assertThat(m.findRatingCursor(f.tenant, a, m1)).as("no usage, no cursor").isEmpty();
      ingestNew(sent("e1", a, m1, "1", at(300)), sent("e2", a, m1, "1", at(60)));
      assertThat(cursor(a, m1))
          .as("version 0, rated until the first event's time, nothing rated, 2 ingested")
          .isEqualTo(new RatingCursor(f.tenant, a, m1, 0, at(300), 0, 2, ""));
      ingestNew(sent("e3", a, m1, "1", at(-600)));
      assertThat(cursor(a, m1))
          .as("later ingest raises only ingestedSequence")
          .isEqualTo(new RatingCursor(f.tenant, a, m1, 0, at(300), 0, 3, ""));
    }

    @Test
    void required_aResentIdWithTheSameFingerprintIsADuplicateAndChangesNothing() {
      AccountId a = account("a");
      String m1 = meter("m1", "model");
      StoredUsageEvent e1 = sent(f.tenant, "e1", a, m1, "12.5", at(10), Map.of("model", "large"));
      List<StoredUsageEvent> first = ingestNew(e1, sent("e2", a, m1, "1", at(20)));
      RatingCursor before = cursor(a, m1);
      StoredUsageEvent again =
          new StoredUsageEvent(e1.event(), e1.fingerprint(), 0, RECEIVED.plusSeconds(3600));
      List<IngestOutcome> outcomes = m.ingest(List.of(again));
      assertThat(outcomes).hasSize(1);
      assertThat(duplicateOf(outcomes.get(0)))
          .as("the duplicate names the event stored first")
          .isEqualTo(first.get(0));
      assertThat(cursor(a, m1)).as("a duplicate leaves the cursor alone").isEqualTo(before);
      assertThat(m.findUsageEvent(f.tenant, "e1")).contains(first.get(0));
      assertThat(all(a, m1)).isEqualTo(first);
      assertThat(inserted(m.ingest(List.of(sent("e3", a, m1, "1", at(30)))).get(0)).sequence())
          .as("a duplicate consumes no sequence")
          .isEqualTo(3);
    }

    @Test
    void required_anIdRepeatedWithinOneListIsADuplicateOfItsFirstOccurrence() {
      AccountId a = account("a");
      String m1 = meter("m1");
      StoredUsageEvent e1 = sent("e1", a, m1, "1", at(10));
      List<IngestOutcome> outcomes =
          m.ingest(List.of(e1, sent("e2", a, m1, "2", at(20)), e1, sent("e3", a, m1, "3", at(30))));
      assertThat(outcomes).hasSize(4);
      StoredUsageEvent s1 = inserted(outcomes.get(0));
      assertThat(s1.sequence()).isEqualTo(1);
      assertThat(inserted(outcomes.get(1)).sequence()).isEqualTo(2);
      assertThat(duplicateOf(outcomes.get(2))).isEqualTo(s1);
      assertThat(inserted(outcomes.get(3)).sequence()).isEqualTo(3);
      assertThat(ids(all(a, m1))).containsExactly("e1", "e2", "e3");
      assertThat(cursor(a, m1).ingestedSequence()).isEqualTo(3);
    }

    @Test
    void required_anIdResentWithADifferentFingerprintWritesNothingOfItsList() {
      AccountId a = account("a");
      AccountId b = account("b");
      String m1 = meter("m1");
      String m2 = meter("m2");
      StoredUsageEvent e1 = ingestNew(sent("e1", a, m1, "5", at(10))).get(0);
      RatingCursor before = cursor(a, m1);
      StoredUsageEvent refused = changed(sent("e1", a, m1, "5", at(10)), "6");
      List<IngestOutcome> outcomes =
          m.ingest(
              List.of(
                  sent("n1", a, m1, "1", at(20)),
                  sent("n2", b, m2, "1", at(20)),
                  refused,
                  sent("n3", a, m1, "1", at(30))));
      assertThat(outcomes).as("only the conflicts are returned").hasSize(1);
      assertThat(outcomes.get(0)).isInstanceOf(IngestOutcome.Conflict.class);
      IngestOutcome.Conflict c = (IngestOutcome.Conflict) outcomes.get(0);
      assertThat(c.existing()).isEqualTo(e1);
      assertThat(c.refused().event()).isEqualTo(refused.event());
      assertThat(c.refused().fingerprint()).isEqualTo(refused.fingerprint());
      for (String id : List.of("n1", "n2", "n3")) {
        assertThat(m.findUsageEvent(f.tenant, id)).as("%s was not stored", id).isEmpty();
      }
      assertThat(m.findUsageEvent(f.tenant, "e1")).contains(e1);
      assertThat(cursor(a, m1)).as("the cursor did not move").isEqualTo(before);
      assertThat(m.findRatingCursor(f.tenant, b, m2)).as("no cursor was created").isEmpty();
      assertThat(all(a, m1)).containsExactly(e1);
      assertThat(
              m.windowUsage(f.tenant, a, m1, at(-3600), FAR, Long.MAX_VALUE, Optional.empty(), ALL))
          .containsExactly(e1);
      assertThat(all(b, m2)).isEmpty();
      assertThat(inserted(m.ingest(List.of(sent("n4", a, m1, "1", at(40)))).get(0)).sequence())
          .as("the refused list consumed no sequence")
          .isEqualTo(2);
      assertThat(inserted(m.ingest(List.of(sent("n5", b, m2, "1", at(40)))).get(0)).sequence())
          .isEqualTo(1);
    }

    @Test
    void required_anIdRepeatedWithinOneListWithADifferentFingerprintWritesNothing() {
      AccountId a = account("a");
      String m1 = meter("m1");
      StoredUsageEvent x = sent("x", a, m1, "1", at(10));
      StoredUsageEvent xChanged = changed(x, "2");
      List<IngestOutcome> outcomes = m.ingest(List.of(sent("y", a, m1, "1", at(5)), x, xChanged));
      assertThat(outcomes).hasSize(1);
      assertThat(outcomes.get(0)).isInstanceOf(IngestOutcome.Conflict.class);
      IngestOutcome.Conflict c = (IngestOutcome.Conflict) outcomes.get(0);
      assertThat(c.refused().event()).isEqualTo(xChanged.event());
      assertThat(c.existing().event()).isEqualTo(x.event());
      assertThat(m.findUsageEvent(f.tenant, "x")).isEmpty();
      assertThat(m.findUsageEvent(f.tenant, "y")).isEmpty();
      assertThat(m.findRatingCursor(f.tenant, a, m1)).isEmpty();
      assertThat(all(a, m1)).isEmpty();
    }

    @Test
    void required_theSameIdInTwoTenantsIsTwoEvents() {
      TckFixture other = new TckFixture(store());
      AccountId a = account("a");
      AccountId theirs = account(other, "a");
      String m1 = meter("m1");
      meter(other.tenant, "m1");
      StoredUsageEvent mine = ingestNew(sent("same-id", a, m1, "1", at(10))).get(0);
      StoredUsageEvent other1 =
          ingestNew(sent(other.tenant, "same-id", theirs, m1, "99", at(20), Map.of())).get(0);
      assertThat(other1.sequence()).isEqualTo(1);
      assertThat(m.findUsageEvent(f.tenant, "same-id")).contains(mine);
      assertThat(m.findUsageEvent(other.tenant, "same-id")).contains(other1);
      assertThat(all(a, m1)).containsExactly(mine);
      assertThat(all(other.tenant, theirs, m1)).containsExactly(other1);
      assertThat(m.findRatingCursor(other.tenant, theirs, m1).orElseThrow().ingestedSequence())
          .isEqualTo(1);
    }

    @Test
    void required_eventsReadBackEqualToWhatWasSent() {
      AccountId a = account("acct/ünïcødé \"quoted\"");
      String m1 = meter("m1", "model", "region", "note");
      List<StoredUsageEvent> sent =
          List.of(
              sent(
                  f.tenant,
                  "e-trailing-zeros",
                  a,
                  m1,
                  "1.500",
                  T0.plusNanos(123_456_789),
                  Map.of("model", "gpt-x", "region", "eu-west-1")),
              sent(f.tenant, "e-smallest", a, m1, "0.000000000001", at(1), Map.of()),
              sent(
                  f.tenant,
                  "e-largest",
                  a,
                  m1,
                  "999999999999999999.999999999999",
                  at(2).plusNanos(999_999_999),
                  Map.of()),
              sent(f.tenant, "e-zero", a, m1, "0.000", at(3), Map.of()),
              sent(f.tenant, "e-exponent", a, m1, "1E+3", at(4), Map.of()),
              sent(
                  f.tenant,
                  "e-text",
                  a,
                  m1,
                  "42",
                  Instant.parse("2025-12-31T23:59:59.999999999Z"),
                  Map.of("note", "a=b;c\\d \"q\" 日本 ' %_", "model", "x")));
      List<StoredUsageEvent> stored = ingestNew(sent.toArray(StoredUsageEvent[]::new));
      for (int i = 0; i < sent.size(); i++) {
        StoredUsageEvent expected = sent.get(i).withSequence(i + 1);
        assertThat(stored.get(i)).isEqualTo(expected);
        assertThat(m.findUsageEvent(f.tenant, expected.event().id()))
            .as("%s reads back as sent", expected.event().id())
            .contains(expected);
      }
      assertThat(sent.get(0).event().quantity()).isEqualTo(new BigDecimal("1.5"));
      assertThat(sent.get(0).event().occurredAt()).isEqualTo(T0.plusNanos(123_456_000));
      assertThat(sent.get(4).event().quantity()).isEqualTo(new BigDecimal("1000"));
      List<StoredUsageEvent> expected =
          LongStream.rangeClosed(1, sent.size())
              .mapToObj(s -> sent.get((int) s - 1).withSequence(s))
              .toList();
      assertThat(all(a, m1)).isEqualTo(expected);
      assertThat(
              m.windowUsage(
                  f.tenant,
                  a,
                  m1,
                  Instant.parse("2025-01-01T00:00:00Z"),
                  FAR,
                  Long.MAX_VALUE,
                  Optional.empty(),
                  ALL))
          .containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  // ------------------------------------------------------------------ concurrency

  @Nested
  @DisplayName(
      "Concurrency: each id stored exactly once, sequences gapless, readers never see a gap")
  class Concurrency {
    @Test
    void required_overlappingIngestFromManyThreadsStoresEachIdOnceWithGaplessSequences() {
      int threads = concurrentThreads();
      int perTriple = 50;
      List<AccountId> accounts = List.of(account("a"), account("b"));
      List<String> meters = List.of(meter("m1"), meter("m2"));
      List<StoredUsageEvent> events = new ArrayList<>();
      for (int i = 0; i < perTriple; i++) {
        for (AccountId a : accounts) {
          for (String meter : meters) {
            events.add(
                sent("u-" + a.value() + "-" + meter + "-" + i, a, meter, "1." + i, at(i % 17)));
          }
        }
      }
      List<List<IngestOutcome>> results =
          Races.race(
              threads,
              t ->
                  () -> {
                    List<StoredUsageEvent> mine = new ArrayList<>(events);
                    Collections.shuffle(mine, new Random(t));
                    List<IngestOutcome> outcomes = new ArrayList<>();
                    for (int from = 0; from < mine.size(); from += 8) {
                      List<StoredUsageEvent> batch =
                          mine.subList(from, Math.min(mine.size(), from + 8));
                      List<IngestOutcome> o = m.ingest(batch);
                      assertThat(o).hasSize(batch.size());
                      outcomes.addAll(o);
                    }
                    return outcomes;
                  });
      Map<String, StoredUsageEvent> insertedOnce = new HashMap<>();
      List<StoredUsageEvent> duplicates = new ArrayList<>();
      for (List<IngestOutcome> outcomes : results) {
        for (IngestOutcome o : outcomes) {
          if (o instanceof IngestOutcome.Inserted i) {
            assertThat(insertedOnce.put(i.stored().event().id(), i.stored()))
                .as("%s inserted once", i.stored().event().id())
                .isNull();
          } else {
            duplicates.add(duplicateOf(o));
          }
        }
      }
      assertThat(insertedOnce).hasSize(events.size());
      assertThat(duplicates).hasSize(events.size() * (threads - 1));
      for (StoredUsageEvent d : duplicates) {
        assertThat(d).isEqualTo(insertedOnce.get(d.event().id()));
      }
      for (AccountId a : accounts) {
        for (String meter : meters) {
          List<StoredUsageEvent> stored = all(a, meter);
          assertThat(sequences(stored))
              .as("%s:%s has sequences 1..%d", a, meter, perTriple)
              .isEqualTo(oneTo(perTriple));
          for (StoredUsageEvent s : stored) {
            assertThat(s).isEqualTo(insertedOnce.get(s.event().id()));
          }
          assertThat(cursor(a, meter).ingestedSequence()).isEqualTo(perTriple);
        }
      }
    }

    @Test
    void required_aReaderNeverSeesAGapBelowACommittedSequence() {
      int writers = concurrentThreads();
      int batches = 20;
      AccountId a = account("a");
      String m1 = meter("m1");
      ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
      try {
        CyclicBarrier start = new CyclicBarrier(writers + 1);
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong reads = new AtomicLong();
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          int writer = w;
          running.add(
              pool.submit(
                  () -> {
                    start.await();
                    for (int i = 0; i < batches; i++) {
                      List<StoredUsageEvent> batch = new ArrayList<>();
                      for (int j = 0; j < 3; j++) {
                        batch.add(sent("w" + writer + "-" + i + "-" + j, a, m1, "1", at(i)));
                      }
                      if (i > 0) {
                        batch.add(sent("w" + writer + "-" + (i - 1) + "-0", a, m1, "1", at(i - 1)));
                      }
                      m.ingest(batch);
                    }
                    return null;
                  }));
        }
        Future<?> reader =
            pool.submit(
                () -> {
                  start.await();
                  boolean last;
                  do {
                    last = done.get();
                    Optional<RatingCursor> c = m.findRatingCursor(f.tenant, a, m1);
                    if (c.isPresent()) {
                      long h = c.get().ingestedSequence();
                      List<StoredUsageEvent> seen =
                          m.lateUsage(f.tenant, a, m1, 0, h, FAR, (int) h + 1);
                      assertThat(sequences(seen))
                          .as("every sequence up to the cursor's %d is readable", h)
                          .isEqualTo(oneTo(h));
                    }
                    reads.incrementAndGet();
                  } while (!last);
                  return null;
                });
        for (Future<?> w : running) {
          Races.await(w);
        }
        done.set(true);
        Races.await(reader);
        assertThat(reads.get()).isPositive();
      } finally {
        pool.shutdownNow();
      }
      long total = (long) writers * batches * 3;
      assertThat(cursor(a, m1).ingestedSequence()).isEqualTo(total);
      assertThat(sequences(all(a, m1))).isEqualTo(oneTo(total));
    }
  }

  // ------------------------------------------------------------------ reads

  @Nested
  @DisplayName("Reads: window and late usage filter, order and page as documented")
  class Reads {
    @Test
    void required_windowUsageKeepsToItsWindowAndSequenceBoundInTimeThenSequenceOrder() {
      AccountId a = account("a");
      AccountId b = account("b");
      String m1 = meter("m1");
      String m2 = meter("m2");
      TckFixture other = new TckFixture(store());
      AccountId theirs = account(other, "a");
      meter(other.tenant, "m1");
      List<StoredUsageEvent> s =
          ingestNew(
              sent("before", a, m1, "1", at(-1)), // 1: before the window
              sent("late", a, m1, "1", at(30)), // 2
              sent("start", a, m1, "1", at(0)), // 3: at from, included
              sent("edge", a, m1, "1", at(60).minusNanos(1_000)), // 4: last microsecond in
              sent("to", a, m1, "1", at(60)), // 5: at to, excluded
              sent("tie-1", a, m1, "1", at(30)), // 6: same time as 2
              sent("early", a, m1, "1", at(10)), // 7
              sent("tie-2", a, m1, "1", at(30))); // 8
      ingestNew(sent("other-meter", a, m2, "1", at(10)), sent("other-account", b, m1, "1", at(10)));
      ingestNew(sent(other.tenant, "other-tenant", theirs, m1, "1", at(10), Map.of()));
      List<StoredUsageEvent> window =
          m.windowUsage(f.tenant, a, m1, at(0), at(60), Long.MAX_VALUE, Optional.empty(), ALL);
      assertThat(ids(window))
          .as("[from, to) by (occurredAt, sequence), only this triple")
          .containsExactly("start", "early", "late", "tie-1", "tie-2", "edge");
      assertThat(window.get(0)).isEqualTo(s.get(2));
      assertThat(ids(m.windowUsage(f.tenant, a, m1, at(0), at(60), 6, Optional.empty(), ALL)))
          .as("only sequences up to 6")
          .containsExactly("start", "late", "tie-1", "edge");
      assertThat(ids(m.windowUsage(f.tenant, a, m1, at(0), at(60), 0, Optional.empty(), ALL)))
          .isEmpty();
      assertThat(
              ids(
                  m.windowUsage(
                      f.tenant, a, m1, at(0), at(60), Long.MAX_VALUE, Optional.empty(), 3)))
          .as("at most limit")
          .containsExactly("start", "early", "late");
      assertThat(
              m.windowUsage(f.tenant, a, m1, at(20), at(20), Long.MAX_VALUE, Optional.empty(), ALL))
          .as("an empty window")
          .isEmpty();
    }

    @Test
    void required_windowUsagePagesFromAPositionGivingEveryEventOnce() {
      AccountId a = account("a");
      String m1 = meter("m1");
      List<StoredUsageEvent> batch = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        // many ties in time, out of sequence order
        batch.add(sent("p" + i, a, m1, "1", at((i * 7) % 5)));
      }
      ingestNew(batch.toArray(StoredUsageEvent[]::new));
      List<StoredUsageEvent> whole =
          m.windowUsage(f.tenant, a, m1, at(0), at(5), Long.MAX_VALUE, Optional.empty(), ALL);
      assertThat(whole).hasSize(25);
      for (int i = 1; i < whole.size(); i++) {
        StoredUsageEvent p = whole.get(i - 1);
        StoredUsageEvent n = whole.get(i);
        assertThat(
                p.event().occurredAt().isBefore(n.event().occurredAt())
                    || (p.event().occurredAt().equals(n.event().occurredAt())
                        && p.sequence() < n.sequence()))
            .as("(occurredAt, sequence) order at %d", i)
            .isTrue();
      }
      for (int size : List.of(1, 4, 7)) {
        List<StoredUsageEvent> paged = new ArrayList<>();
        Optional<UsagePosition> after = Optional.empty();
        for (int guard = 0; guard < 100; guard++) {
          List<StoredUsageEvent> page =
              m.windowUsage(f.tenant, a, m1, at(0), at(5), Long.MAX_VALUE, after, size);
          assertThat(page.size()).isLessThanOrEqualTo(size);
          if (page.isEmpty()) {
            break;
          }
          paged.addAll(page);
          StoredUsageEvent lastOne = page.get(page.size() - 1);
          after = Optional.of(new UsagePosition(lastOne.event().occurredAt(), lastOne.sequence()));
        }
        assertThat(paged).as("pages of %d", size).isEqualTo(whole);
      }
      StoredUsageEvent fifth = whole.get(4);
      assertThat(
              m.windowUsage(
                  f.tenant,
                  a,
                  m1,
                  at(0),
                  at(5),
                  Long.MAX_VALUE,
                  Optional.of(new UsagePosition(fifth.event().occurredAt(), fifth.sequence())),
                  ALL))
          .as("strictly after the position")
          .isEqualTo(whole.subList(5, whole.size()));
    }

    @Test
    void required_lateUsageKeepsToItsSequenceRangeAndTimeInSequenceOrder() {
      AccountId a = account("a");
      AccountId b = account("b");
      String m1 = meter("m1");
      String m2 = meter("m2");
      int[] times = {90, 10, 50, 100, 20, 99, 5, 100, 70, 30};
      List<StoredUsageEvent> batch = new ArrayList<>();
      for (int i = 0; i < times.length; i++) {
        batch.add(sent("l" + (i + 1), a, m1, "1", at(times[i])));
      }
      ingestNew(batch.toArray(StoredUsageEvent[]::new));
      ingestNew(sent("x1", a, m2, "1", at(1)), sent("x2", b, m1, "1", at(1)));
      TckFixture other = new TckFixture(store());
      AccountId theirs = account(other, "a");
      meter(other.tenant, "m1");
      ingestNew(
          sent(other.tenant, "x3", theirs, m1, "1", at(1), Map.of()),
          sent(other.tenant, "x4", theirs, m1, "1", at(2), Map.of()));
      assertThat(ids(m.lateUsage(f.tenant, a, m1, 2, 8, at(100), ALL)))
          .as("sequences (2, 8], occurred before 100s (exclusive), by sequence")
          .containsExactly("l3", "l5", "l6", "l7");
      assertThat(ids(m.lateUsage(f.tenant, a, m1, 2, 8, at(100), 2)))
          .as("at most limit, lowest sequences first")
          .containsExactly("l3", "l5");
      assertThat(ids(m.lateUsage(f.tenant, a, m1, 0, 10, FAR, ALL)))
          .containsExactly("l1", "l2", "l3", "l4", "l5", "l6", "l7", "l8", "l9", "l10");
      assertThat(m.lateUsage(f.tenant, a, m1, 5, 5, FAR, ALL)).as("an empty range").isEmpty();
      assertThat(m.lateUsage(f.tenant, a, m1, 8, 5, FAR, ALL)).as("a reversed range").isEmpty();
      assertThat(m.lateUsage(f.tenant, a, m1, 0, 10, at(5), ALL)).isEmpty();
      assertThat(ids(m.lateUsage(f.tenant, a, m1, 9, Long.MAX_VALUE, FAR, ALL)))
          .containsExactly("l10");
    }
  }

  // ------------------------------------------------------------------ cursors

  @Nested
  @DisplayName("Cursors: moved by compare-and-set with their lines, ingest keeps its sequence")
  class Cursors {
    /** A state text a store must keep verbatim. */
    private static String bigState() {
      StringBuilder b = new StringBuilder("{\"periods\":[");
      for (int i = 0; i < 400; i++) {
        b.append(i == 0 ? "" : ",")
            .append("{\"p\":\"2026-01\",\"k\":\"dim=v;ü\\\\\",\"n\":\"")
            .append(i)
            .append(".000000000001\"}");
      }
      return b.append("],\n\t\"note\": \"日本 ' \\\" %_\"}").toString();
    }

    @Test
    void required_advancingFromTheStoredVersionStoresTheStepKeepingIngestedSequence() {
      AccountId a = account("a");
      String m1 = meter("m1", "model");
      ingestNew(
          sent("e1", a, m1, "1", at(0)),
          sent("e2", a, m1, "1", at(10)),
          sent("e3", a, m1, "1", at(20)));
      RatingCursor read = cursor(a, m1);
      ingestNew(sent("e4", a, m1, "1", at(30)), sent("e5", a, m1, "1", at(40)));
      String state = bigState();
      RatingCursor next = read.advanced(at(3600), 3, state);
      YearMonth jan = YearMonth.of(2026, 1);
      List<RatedLine> lines =
          List.of(
              atVersion(line(a, m1, 2, jan, Map.of("model", "b"), "0.5", -3), 1),
              atVersion(line(a, m1, 0, jan, Map.of(), "1.25", 10), 1),
              atVersion(line(a, m1, 1, jan, Map.of("model", "a"), "1.000000000001", 7), 1));
      assertThat(m.advanceRatingCursor(next, lines)).isTrue();
      assertThat(cursor(a, m1))
          .as("moved to version 1; ingestedSequence is ingest's, raised after the cursor was read")
          .isEqualTo(new RatingCursor(f.tenant, a, m1, 1, at(3600), 3, 5, state));
      assertThat(canonical(m.ratedLines(f.tenant, a, m1, 1)))
          .as("the step's lines, by line number")
          .containsExactly(
              canonical(lines.get(1)), canonical(lines.get(2)), canonical(lines.get(0)));
      assertThat(m.ratedLines(f.tenant, a, m1, 0)).isEmpty();
      assertThat(m.ratedLines(f.tenant, a, m1, 2)).isEmpty();
      RatingCursor second = cursor(a, m1).advanced(at(7200), 5, "");
      assertThat(m.advanceRatingCursor(second, List.of())).as("a step without lines").isTrue();
      assertThat(cursor(a, m1)).isEqualTo(new RatingCursor(f.tenant, a, m1, 2, at(7200), 5, 5, ""));
      assertThat(m.ratedLines(f.tenant, a, m1, 2)).isEmpty();
      assertThat(canonical(m.ratedLines(f.tenant, a, m1, 1))).hasSize(3);
      ingestNew(sent("e6", a, m1, "1", at(50)));
      assertThat(cursor(a, m1))
          .as("ingest after a step raises only ingestedSequence")
          .isEqualTo(new RatingCursor(f.tenant, a, m1, 2, at(7200), 5, 6, ""));
    }

    @Test
    void required_aStaleVersionIsRefusedAndStoresNoLines() {
      AccountId a = account("a");
      String m1 = meter("m1");
      ingestNew(sent("e1", a, m1, "1", at(0)));
      RatingCursor v0 = cursor(a, m1);
      YearMonth jan = YearMonth.of(2026, 1);
      List<RatedLine> winner = List.of(atVersion(line(a, m1, 0, jan, Map.of(), "1", 5), 1));
      assertThat(m.advanceRatingCursor(v0.advanced(at(600), 1, "winner"), winner)).isTrue();
      RatingCursor v1 = cursor(a, m1);
      List<RatedLine> loser = List.of(atVersion(line(a, m1, 0, jan, Map.of(), "9", 900), 1));
      assertThat(m.advanceRatingCursor(v0.advanced(at(1200), 1, "stale"), loser))
          .as("the cursor moved on since v0 was read")
          .isFalse();
      assertThat(cursor(a, m1)).isEqualTo(v1);
      assertThat(canonical(m.ratedLines(f.tenant, a, m1, 1))).isEqualTo(canonical(winner));
      RatingCursor skipping =
          new RatingCursor(f.tenant, a, m1, 3, at(1800), 1, 1, "skips a version");
      List<RatedLine> skipped = List.of(atVersion(line(a, m1, 0, jan, Map.of(), "2", 2), 3));
      assertThat(m.advanceRatingCursor(skipping, skipped)).as("two steps at once").isFalse();
      assertThat(cursor(a, m1)).isEqualTo(v1);
      assertThat(m.ratedLines(f.tenant, a, m1, 3)).isEmpty();
      RatingCursor same = new RatingCursor(f.tenant, a, m1, 1, at(1800), 1, 1, "same version");
      assertThat(m.advanceRatingCursor(same, List.of())).as("no step at all").isFalse();
      assertThat(cursor(a, m1)).isEqualTo(v1);
      assertThat(summary(UsageSummaryQuery.of(f.tenant)))
          .as("refused steps add nothing to summaries")
          .containsExactly(
              new UsageSummaryRow(
                  f.tenant,
                  a,
                  2026,
                  1,
                  m1,
                  Map.of(),
                  BigDecimal.ONE,
                  TckFixture.credits(5),
                  Optional.empty()));
    }

    @Test
    void required_exactlyOneOfManyConcurrentAdvancesFromOneVersionWins() {
      int threads = concurrentThreads();
      AccountId a = account("a");
      String m1 = meter("m1");
      ingestNew(sent("e1", a, m1, "1", at(0)));
      YearMonth jan = YearMonth.of(2026, 1);
      for (int round = 0; round < 20; round++) {
        RatingCursor read = cursor(a, m1);
        long reached = read.version() + 1;
        List<Boolean> won =
            Races.race(
                threads,
                t ->
                    () ->
                        m.advanceRatingCursor(
                            read.advanced(at(600L * reached), 1, "thread-" + t),
                            List.of(
                                atVersion(line(a, m1, 0, jan, Map.of(), "1", t + 1), reached),
                                atVersion(
                                    line(a, m1, 1, jan, Map.of("t", "" + t), "2", t), reached))));
        assertThat(won.stream().filter(w -> w).count())
            .as("round %d: exactly one advance from version %d wins", round, read.version())
            .isEqualTo(1);
        int winner = won.indexOf(true);
        RatingCursor now = cursor(a, m1);
        assertThat(now.version()).isEqualTo(reached);
        assertThat(now.state()).isEqualTo("thread-" + winner);
        List<RatedLine> lines = m.ratedLines(f.tenant, a, m1, reached);
        assertThat(lines).as("only the winner's lines").hasSize(2);
        assertThat(lines.get(0).credits()).isEqualTo(TckFixture.credits(winner + 1));
        assertThat(lines.get(1).dimensions()).isEqualTo(Map.of("t", "" + winner));
      }
    }

    @Test
    void required_advancingAnUnknownCursorFails() {
      AccountId a = account("a");
      String m1 = meter("m1");
      RatingCursor ghost = RatingCursor.created(f.tenant, a, m1, at(0)).advanced(at(60), 0, "x");
      YearMonth jan = YearMonth.of(2026, 1);
      assertThat(
              m.advanceRatingCursor(
                  ghost, List.of(atVersion(line(a, m1, 0, jan, Map.of(), "1", 1), 1))))
          .isFalse();
      assertThat(m.findRatingCursor(f.tenant, a, m1)).as("no cursor was created").isEmpty();
      assertThat(m.ratedLines(f.tenant, a, m1, 1)).isEmpty();
      assertThat(summary(UsageSummaryQuery.of(f.tenant))).isEmpty();
    }
  }

  // ------------------------------------------------------------------ pending reads

  @Nested
  @DisplayName("Pending reads: a page's late usage and usage ahead in one call")
  class PendingReads {
    @Test
    void required_pendingUsageOfAPageIsEachCursorsOwnLateAndAheadReads() {
      AccountId a = account("a");
      AccountId b = account("b");
      AccountId c = account("c");
      String m1 = meter("m1");
      String m2 = meter("m2");
      ingestNew(
          sent("a1", a, m1, "1", at(0)),
          sent("a2", a, m1, "1", at(10)),
          sent("a3", a, m1, "1", at(20)),
          sent("a4", a, m1, "1", at(30)),
          sent("a5", a, m1, "1", at(40)));
      assertThat(m.advanceRatingCursor(cursor(a, m1).advanced(at(25), 5, "rated to 25"), List.of()))
          .isTrue();
      ingestNew(
          sent("a6-late", a, m1, "1", at(10)),
          sent("a7", a, m1, "1", at(30)),
          sent("a8-after-due", a, m1, "1", at(5000)),
          sent("c-other-meter", a, m2, "1", at(30)));
      RatingCursor ra = cursor(a, m1);
      ingestNew(sent("a9-after-the-read", a, m1, "1", at(35)));
      ingestNew(sent("b1", b, m1, "1", at(4000)));
      RatingCursor rb = cursor(b, m1);
      ingestNew(
          sent("c1", c, m2, "1", at(100)),
          sent("c2", c, m2, "1", at(200)),
          sent("c3", c, m2, "1", at(300)));
      RatingCursor rc = cursor(c, m2);
      Instant due = at(3600);

      List<MeteringStore.PendingUsage> pending = m.pendingUsage(List.of(rc, ra, rb), due, 2);

      assertThat(pending).as("one per cursor, in order").hasSize(3);
      assertThat(ids(pending.get(0).late())).isEmpty();
      assertThat(ids(pending.get(0).ahead())).as("limited to 2").containsExactly("c1", "c2");
      assertThat(ids(pending.get(1).late()))
          .as("after the rated sequence, before the rated time, up to the cursor's sequence")
          .containsExactly("a6-late");
      assertThat(ids(pending.get(1).ahead()))
          .as("from the rated time to due, by time then sequence, limited to 2")
          .containsExactly("a4", "a7");
      assertThat(ids(pending.get(2).late())).isEmpty();
      assertThat(ids(pending.get(2).ahead())).as("rated past due: nothing ahead").isEmpty();
      MeteringStore.PendingUsage roomy = m.pendingUsage(List.of(ra), due, 10).get(0);
      assertThat(ids(roomy.ahead()))
          .as("bound by the cursor as read (not a9, ingested after), not by the stored one")
          .containsExactly("a4", "a7", "a5");
      assertThat(roomy.ahead().get(1).sequence()).isEqualTo(7);
      assertThat(ids(roomy.late())).containsExactly("a6-late");
    }

    @Test
    void required_pendingUsageOfNoCursorsIsEmptyAndBadArgumentsAreRefused() {
      assertThat(m.pendingUsage(List.of(), at(60), 10)).isEmpty();
      AccountId a = account("a");
      String m1 = meter("m1");
      ingestNew(sent("a1", a, m1, "1", at(0)));
      RatingCursor ra = cursor(a, m1);
      assertThatThrownBy(() -> m.pendingUsage(List.of(ra), at(60), 0))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("limit");
      List<RatingCursor> withNull = new ArrayList<>();
      withNull.add(ra);
      withNull.add(null);
      assertThatThrownBy(() -> m.pendingUsage(withNull, at(60), 10))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("cursors[1]");
    }
  }

  // ------------------------------------------------------------------ cursor pages

  @Nested
  @DisplayName("Cursor pages: a page of steps, each its own compare-and-set")
  class CursorPages {
    private MeteringStore.CursorStep step(RatingCursor read, String state, long credits) {
      long v = read.version() + 1;
      YearMonth jan = YearMonth.of(2026, 1);
      return new MeteringStore.CursorStep(
          read.advanced(at(600 * v), read.ingestedSequence(), state),
          List.of(
              atVersion(line(read.account(), read.meter(), 0, jan, Map.of(), "1", credits), v),
              atVersion(
                  line(read.account(), read.meter(), 1, jan, Map.of("s", state), "2", 1), v)));
    }

    private RatingCursor readOf(Map<AccountId, RatingCursor> read, AccountId a) {
      RatingCursor c = read.get(a);
      assertThat(c).as("read before the round: %s", a).isNotNull();
      return java.util.Objects.requireNonNull(c);
    }

    @Test
    void required_aPageMovesEveryCursorAtItsVersionAndRefusesOnlyTheStaleStep() {
      AccountId a = account("a");
      AccountId b = account("b");
      AccountId c = account("c");
      String m1 = meter("m1", "s");
      ingestNew(sent("ea", a, m1, "1", at(0)), sent("eb", b, m1, "1", at(0)));
      ingestNew(sent("ec", c, m1, "1", at(0)), sent("ec2", c, m1, "1", at(5)));
      RatingCursor b0 = cursor(b, m1);
      assertThat(m.advanceRatingCursor(b0.advanced(at(60), 1, "b moved first"), List.of()))
          .isTrue();
      RatingCursor b1 = cursor(b, m1);
      List<Boolean> moved =
          m.advanceRatingCursors(
              List.of(
                  step(cursor(c, m1), "c1", 30),
                  step(b0, "b stale", 20),
                  step(cursor(a, m1), "a1", 10)));
      assertThat(moved).as("one flag per step, in order").containsExactly(true, false, true);
      assertThat(cursor(a, m1))
          .isEqualTo(new RatingCursor(f.tenant, a, m1, 1, at(600), 1, 1, "a1"));
      assertThat(cursor(c, m1))
          .as("ingest's sequence kept")
          .isEqualTo(new RatingCursor(f.tenant, c, m1, 1, at(600), 2, 2, "c1"));
      assertThat(cursor(b, m1)).as("the stale step wrote nothing").isEqualTo(b1);
      assertThat(m.ratedLines(f.tenant, a, m1, 1)).hasSize(2);
      assertThat(m.ratedLines(f.tenant, c, m1, 1)).hasSize(2);
      assertThat(m.ratedLines(f.tenant, c, m1, 1).get(0).credits())
          .isEqualTo(TckFixture.credits(30));
      assertThat(m.ratedLines(f.tenant, b, m1, 1)).as("no lines of the stale step").isEmpty();
      assertThat(m.advanceRatingCursors(List.of(step(cursor(a, m1), "a2", 5), step(b1, "b2", 6))))
          .as("a second page from the versions now stored")
          .containsExactly(true, true);
      assertThat(cursor(b, m1).state()).isEqualTo("b2");
      assertThat(m.advanceRatingCursors(List.of())).isEmpty();
    }

    @Test
    void required_aPageNamingACursorTwiceOrAnUnknownCursorIsRefusedAsSuch() {
      AccountId a = account("a");
      AccountId b = account("b");
      String m1 = meter("m1", "s");
      ingestNew(sent("ea", a, m1, "1", at(0)), sent("eb", b, m1, "1", at(0)));
      RatingCursor a0 = cursor(a, m1);
      RatingCursor b0 = cursor(b, m1);
      assertThatThrownBy(
              () ->
                  m.advanceRatingCursors(
                      List.of(step(b0, "b", 1), step(a0, "first", 1), step(a0, "second", 2))))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("steps[2]");
      assertThat(cursor(a, m1)).as("nothing of the page was written").isEqualTo(a0);
      assertThat(cursor(b, m1)).as("nothing of the page was written").isEqualTo(b0);
      assertThat(m.ratedLines(f.tenant, b, m1, 1)).isEmpty();
      AccountId ghost = account("ghost");
      RatingCursor none = RatingCursor.created(f.tenant, ghost, m1, at(0));
      assertThat(m.advanceRatingCursors(List.of(step(none, "ghost", 1), step(a0, "a", 1))))
          .as("an unknown cursor is a refused step, not a created one")
          .containsExactly(false, true);
      assertThat(m.findRatingCursor(f.tenant, ghost, m1)).isEmpty();
      assertThat(m.ratedLines(f.tenant, ghost, m1, 1)).isEmpty();
    }

    @Test
    void required_overlappingPagesFromManyThreadsMoveEachCursorOnceWithTheWinnersLines() {
      int threads = concurrentThreads();
      String m1 = meter("m1", "s");
      List<AccountId> accounts = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        AccountId a = account("p" + i);
        accounts.add(a);
        ingestNew(sent("e" + i, a, m1, "1", at(0)));
      }
      for (int round = 0; round < 10; round++) {
        Map<AccountId, RatingCursor> read = new HashMap<>();
        for (AccountId a : accounts) {
          read.put(a, cursor(a, m1));
        }
        int r = round;
        List<List<Boolean>> flags =
            Races.race(
                threads,
                t -> {
                  // Each thread sends the accounts in its own order, so pages cross.
                  List<AccountId> mine = new ArrayList<>(accounts);
                  Collections.rotate(mine, t);
                  if (t % 2 == 1) {
                    Collections.reverse(mine);
                  }
                  List<MeteringStore.CursorStep> page = new ArrayList<>();
                  for (AccountId a : mine) {
                    page.add(step(readOf(read, a), "r" + r + "-t" + t, t + 1));
                  }
                  return () -> {
                    List<Boolean> moved = m.advanceRatingCursors(page);
                    Map<AccountId, Boolean> byAccount = new HashMap<>();
                    for (int i = 0; i < mine.size(); i++) {
                      byAccount.put(mine.get(i), moved.get(i));
                    }
                    List<Boolean> inOrder = new ArrayList<>();
                    for (AccountId a : accounts) {
                      inOrder.add(byAccount.get(a));
                    }
                    return inOrder;
                  };
                });
        for (int i = 0; i < accounts.size(); i++) {
          AccountId a = accounts.get(i);
          int winners = 0;
          int winner = -1;
          for (int t = 0; t < threads; t++) {
            if (flags.get(t).get(i)) {
              winners++;
              winner = t;
            }
          }
          assertThat(winners).as("round %d, %s: exactly one step from one version", r, a).isOne();
          RatingCursor now = cursor(a, m1);
          assertThat(now.version()).isEqualTo(readOf(read, a).version() + 1);
          assertThat(now.state()).isEqualTo("r" + r + "-t" + winner);
          List<RatedLine> lines = m.ratedLines(f.tenant, a, m1, now.version());
          assertThat(lines).as("only the winner's lines").hasSize(2);
          assertThat(lines.get(0).credits()).isEqualTo(TckFixture.credits(winner + 1));
        }
      }
    }
  }

  // ------------------------------------------------------------------ cursor scan

  @Nested
  @DisplayName("Cursor scan: a stable order, every cursor once, whatever the page size")
  class CursorScan {
    @Test
    void required_ratingCursorsPagesInAStableOrderCoveringEveryCursorOnce() {
      List<AccountId> accounts = List.of(account("b"), account("a-b"), account("ab"), account("a"));
      List<String> meters = List.of(meter("m2"), meter("m10"), meter("m1"));
      Set<RatingCursor.Key> mine = new HashSet<>();
      int n = 0;
      for (AccountId a : accounts) {
        for (String meter : meters) {
          ingestNew(sent("c" + n++, a, meter, "1", at(n)));
          mine.add(new RatingCursor.Key(f.tenant, a, meter));
        }
      }
      // One pass with large pages finds where this tenant's cursors start in the store's order.
      Optional<RatingCursor.Key> before = Optional.empty();
      Optional<RatingCursor.Key> after = Optional.empty();
      List<RatingCursor.Key> order = new ArrayList<>();
      boolean passed = false;
      Set<RatingCursor.Key> scanned = new HashSet<>();
      while (!passed) {
        List<RatingCursor> page = page(after, 500, scanned);
        if (page.isEmpty()) {
          break;
        }
        for (RatingCursor c : page) {
          if (c.tenant().equals(f.tenant)) {
            order.add(c.key());
            assertThat(c).isEqualTo(m.findRatingCursor(f.tenant, c.account(), c.meter()).get());
          } else if (order.isEmpty()) {
            before = Optional.of(c.key());
          } else {
            passed = true;
          }
        }
        after = Optional.of(page.get(page.size() - 1).key());
      }
      assertThat(order).as("every cursor of the tenant once").hasSize(mine.size());
      assertThat(Set.copyOf(order)).isEqualTo(mine);
      for (int size : List.of(1, 2, 5)) {
        assertThat(scanFrom(before, size))
            .as("pages of %d give the same cursors in the same order", size)
            .isEqualTo(order);
      }
    }

    /**
     * This tenant's cursor keys from a scan that starts after {@code before} with pages of {@code
     * size}, up to the first cursor of another tenant after this tenant's (they are ordered by
     * tenant first).
     */
    private List<RatingCursor.Key> scanFrom(Optional<RatingCursor.Key> before, int size) {
      List<RatingCursor.Key> keys = new ArrayList<>();
      Optional<RatingCursor.Key> after = before;
      Set<RatingCursor.Key> scanned = new HashSet<>();
      while (true) {
        List<RatingCursor> page = page(after, size, scanned);
        if (page.isEmpty()) {
          return keys;
        }
        for (RatingCursor c : page) {
          if (c.tenant().equals(f.tenant)) {
            keys.add(c.key());
          } else if (!keys.isEmpty()) {
            return keys;
          }
        }
        after = Optional.of(page.get(page.size() - 1).key());
      }
    }

    /**
     * One page of the scan, which must keep to its limit and move forward: no cursor it has already
     * given ({@code scanned}, to which the page is added), so a broken scan fails instead of going
     * round for ever.
     */
    private List<RatingCursor> page(
        Optional<RatingCursor.Key> after, int limit, Set<RatingCursor.Key> scanned) {
      List<RatingCursor> page = m.ratingCursors(after, limit);
      assertThat(page.size()).as("at most the limit").isLessThanOrEqualTo(limit);
      for (RatingCursor c : page) {
        assertThat(scanned.add(c.key()))
            .as("the scan gives %s once, strictly after %s", c.key(), after)
            .isTrue();
      }
      return page;
    }
  }

  // ------------------------------------------------------------------ summaries

  /** The store's rows, without those the SPI lets it leave out (quantity and credits both 0). */
  private List<UsageSummaryRow> summary(UsageSummaryQuery q) {
    return m.usageSummary(q).stream()
        .filter(r -> r.quantity().signum() != 0 || !r.credits().isZero())
        .toList();
  }

  /** The rows the SPI promises for {@code lines}, restated here: sums per group of the query. */
  private static List<UsageSummaryRow> expected(List<RatedLine> lines, UsageSummaryQuery q) {
    record Group(AccountId account, YearMonth period, String meter, String dims) {}
    final class Sum {
      final Map<String, String> dims;
      BigDecimal quantity;
      long credits;

      Sum(Map<String, String> dims, BigDecimal quantity, long credits) {
        this.dims = dims;
        this.quantity = quantity;
        this.credits = credits;
      }
    }
    Map<Group, Sum> sums = new LinkedHashMap<>();
    for (RatedLine l : lines) {
      if (!l.tenant().equals(q.tenant())
          || q.account().filter(a -> !a.equals(l.account())).isPresent()
          || q.year().filter(y -> y != l.period().getYear()).isPresent()
          || q.month().filter(mo -> mo != l.period().getMonthValue()).isPresent()
          || q.meter().filter(me -> !me.equals(l.meter())).isPresent()) {
        continue;
      }
      Group g =
          new Group(l.account(), l.period(), l.meter(), RatedLine.dimensionKey(l.dimensions()));
      Sum sum = sums.get(g);
      if (sum == null) {
        sums.put(g, new Sum(l.dimensions(), l.quantity(), l.credits().minor()));
      } else {
        sum.quantity = sum.quantity.add(l.quantity());
        sum.credits += l.credits().minor();
      }
    }
    List<UsageSummaryRow> rows = new ArrayList<>();
    for (Map.Entry<Group, Sum> e : sums.entrySet()) {
      Group g = e.getKey();
      Sum sum = e.getValue();
      if (sum.quantity.signum() == 0 && sum.credits == 0) {
        continue;
      }
      rows.add(
          new UsageSummaryRow(
              q.tenant(),
              g.account(),
              g.period().getYear(),
              g.period().getMonthValue(),
              g.meter(),
              sum.dims,
              sum.quantity,
              Amount.ofMinor(TckFixture.CREDIT, sum.credits),
              Optional.empty()));
    }
    return rows;
  }

  @Nested
  @DisplayName("Summaries: sums of rated lines per account, month, meter and dimension values")
  class Summaries {
    private final YearMonth dec = YearMonth.of(2025, 12);
    private final YearMonth jan = YearMonth.of(2026, 1);
    private final YearMonth feb = YearMonth.of(2026, 2);

    /** Rated lines over two accounts, two meters, three months (two years) and dimensions. */
    private List<RatedLine> rate(TckFixture world) {
      TenantId t = world.tenant;
      AccountId a = account(world, "a");
      AccountId b = account(world, "b");
      meter(t, "tokens", "model");
      meter(t, "storage");
      List<RatedLine> all = new ArrayList<>();
      int n = 0;
      for (AccountId acc : List.of(a, b)) {
        for (String meter : List.of("tokens", "storage")) {
          m.ingest(List.of(sent(t, "s" + n++, acc, meter, "1", at(0), Map.of())));
        }
      }
      Map<String, String> large = Map.of("model", "large");
      Map<String, String> small = Map.of("model", "small");
      all.addAll(
          step(
              t,
              a,
              "tokens",
              List.of(
                  line(t, a, "tokens", 0, jan, large, "100.5", 1_005),
                  line(t, a, "tokens", 1, jan, small, "40", 40),
                  line(t, a, "tokens", 2, dec, large, "7.25", 73))));
      all.addAll(
          step(
              t,
              a,
              "tokens",
              List.of(
                  line(t, a, "tokens", 0, jan, large, "0.000000000001", 0),
                  line(t, a, "tokens", 1, feb, large, "3", 30),
                  line(t, a, "tokens", 2, jan, small, "-15.5", -155))));
      all.addAll(
          step(
              t,
              a,
              "storage",
              List.of(
                  line(t, a, "storage", 0, jan, Map.of(), "2.5", 250),
                  line(t, a, "storage", 1, feb, Map.of(), "1", 100))));
      all.addAll(
          step(
              t,
              b,
              "tokens",
              List.of(
                  line(t, b, "tokens", 0, jan, large, "999999999999.999999999999", 9_000_000),
                  line(t, b, "tokens", 1, jan, Map.of(), "5", 5))));
      all.addAll(step(t, b, "tokens", List.of(line(t, b, "tokens", 0, jan, large, "1", 1))));
      all.addAll(step(t, b, "storage", List.of(line(t, b, "storage", 0, dec, Map.of(), "4", 4))));
      return all;
    }

    @Test
    void required_usageSummarySumsLinesPerAccountMonthMeterAndDimensions() {
      List<RatedLine> lines = rate(f);
      UsageSummaryQuery all = UsageSummaryQuery.of(f.tenant);
      List<UsageSummaryRow> rows = summary(all);
      assertThat(rows).containsExactlyInAnyOrderElementsOf(expected(lines, all));
      AccountId a = AccountId.of("a");
      AccountId b = AccountId.of("b");
      assertThat(rows)
          .as("a's large-model tokens in January, summed over two steps")
          .contains(
              new UsageSummaryRow(
                  f.tenant,
                  a,
                  2026,
                  1,
                  "tokens",
                  Map.of("model", "large"),
                  new BigDecimal("100.500000000001"),
                  TckFixture.credits(1_005),
                  Optional.empty()),
              new UsageSummaryRow(
                  f.tenant,
                  b,
                  2026,
                  1,
                  "tokens",
                  Map.of("model", "large"),
                  new BigDecimal("1000000000000.999999999999"),
                  TckFixture.credits(9_000_001),
                  Optional.empty()));
      assertThat(rows).hasSize(9);
    }

    @Test
    void required_usageSummaryFiltersByAccountYearMonthAndMeter() {
      List<RatedLine> lines = rate(f);
      AccountId a = AccountId.of("a");
      AccountId b = AccountId.of("b");
      UsageSummaryQuery q = UsageSummaryQuery.of(f.tenant);
      List<UsageSummaryQuery> queries =
          List.of(
              q.account(a),
              q.account(b),
              q.year(2026),
              q.year(2025),
              q.year(2024),
              q.month(2026, 1),
              q.month(2026, 2),
              q.month(2025, 12),
              q.month(2026, 3),
              q.meter("tokens"),
              q.meter("storage"),
              q.meter("never-rated"),
              q.account(a).month(2026, 1).meter("tokens"),
              q.account(b).year(2025),
              q.account(AccountId.of("nobody")));
      for (UsageSummaryQuery query : queries) {
        assertThat(summary(query))
            .as("%s", query)
            .containsExactlyInAnyOrderElementsOf(expected(lines, query));
      }
      assertThat(summary(q.account(a).month(2026, 1).meter("tokens")))
          .as("a, January 2026, tokens: large and small")
          .hasSize(2);
      assertThat(summary(q.month(2026, 3))).isEmpty();
    }

    @Test
    void required_usageSummaryNeverReturnsAnotherTenantsLines() {
      TckFixture other = new TckFixture(store());
      List<RatedLine> mine = rate(f);
      List<RatedLine> theirs = rate(other);
      UsageSummaryQuery q = UsageSummaryQuery.of(f.tenant);
      for (UsageSummaryQuery query :
          List.of(q, q.account(AccountId.of("a")), q.month(2026, 1), q.meter("tokens"))) {
        List<UsageSummaryRow> rows = summary(query);
        assertThat(rows).extracting(UsageSummaryRow::tenant).containsOnly(f.tenant);
        assertThat(rows).containsExactlyInAnyOrderElementsOf(expected(mine, query));
      }
      assertThat(summary(UsageSummaryQuery.of(other.tenant)))
          .containsExactlyInAnyOrderElementsOf(
              expected(theirs, UsageSummaryQuery.of(other.tenant)));
      assertThat(summary(UsageSummaryQuery.of(new TckFixture(store()).tenant))).isEmpty();
    }

    @Test
    void required_negativeCreditsAndQuantitiesSumCorrectly() {
      AccountId a = account("a");
      String m1 = meter("m1");
      ingestNew(sent("e1", a, m1, "1", at(0)));
      step(f.tenant, a, m1, List.of(line(a, m1, 0, jan, Map.of(), "10.5", 500)));
      step(f.tenant, a, m1, List.of(line(a, m1, 0, jan, Map.of(), "-3.25", -700)));
      step(f.tenant, a, m1, List.of(line(a, m1, 0, feb, Map.of(), "-2", -30)));
      assertThat(summary(UsageSummaryQuery.of(f.tenant)))
          .containsExactlyInAnyOrder(
              new UsageSummaryRow(
                  f.tenant,
                  a,
                  2026,
                  1,
                  m1,
                  Map.of(),
                  new BigDecimal("7.25"),
                  TckFixture.credits(-200),
                  Optional.empty()),
              new UsageSummaryRow(
                  f.tenant,
                  a,
                  2026,
                  2,
                  m1,
                  Map.of(),
                  new BigDecimal("-2"),
                  TckFixture.credits(-30),
                  Optional.empty()));
      step(f.tenant, a, m1, List.of(line(a, m1, 0, feb, Map.of(), "2", 30)));
      assertThat(summary(UsageSummaryQuery.of(f.tenant).month(2026, 2)))
          .as("a month whose lines cancel out sums to nothing")
          .isEmpty();
    }
  }

  // ------------------------------------------------------------------ the service on this store

  @Nested
  @DisplayName("Service ingest: every refusal is typed and stores nothing of the batch")
  class ServiceIngest {
    private Billing billing;
    private Metering metering;
    private AccountId a;

    private Billing newBilling() {
      return Billing.builder()
          .store(store())
          .clock(f.clock)
          .metering(
              MeteringSettings.of(
                  PriceBook.builder(RoundingMode.HALF_EVEN).build(), Duration.ofHours(1)))
          .build();
    }

    @BeforeEach
    void setUp() {
      billing = newBilling();
      metering = billing.metering();
      a = account("a");
      metering.defineMeter(
          Meter.builder(f.tenant, "tokens", Aggregation.SUM)
              .unit("tokens")
              .dimensions("model")
              .build(),
          TckFixture.ADMIN);
      metering.defineMeter(Meter.uniqueCount(f.tenant, "users", "users", "user"), TckFixture.ADMIN);
    }

    private UsageEvent event(String id, String meter, BigDecimal quantity, Instant at) {
      return event(id, a, meter, quantity, at, Map.of());
    }

    private UsageEvent event(
        String id,
        AccountId account,
        String meter,
        BigDecimal quantity,
        Instant at,
        Map<String, String> dimensions) {
      return UsageEvent.builder(f.tenant, account, meter)
          .id(id)
          .quantity(quantity)
          .occurredAt(at)
          .dimensions(dimensions)
          .build();
    }

    private UsageEvent valid(String id) {
      return event(id, "tokens", BigDecimal.ONE, f.clock.instant().minusSeconds(60));
    }

    private void assertNothingStored(String... ids) {
      for (String id : ids) {
        assertThat(m.findUsageEvent(f.tenant, id)).as("%s was not stored", id).isEmpty();
      }
      assertThat(m.findRatingCursor(f.tenant, a, "tokens")).isEmpty();
      assertThat(m.findRatingCursor(f.tenant, a, "users")).isEmpty();
      assertThat(all(a, "tokens")).isEmpty();
      assertThat(all(a, "users")).isEmpty();
    }

    @Test
    void required_anUnknownMeterIsRefusedByNameAndStoresNothing() {
      assertThatThrownBy(
              () ->
                  metering.ingest(
                      List.of(
                          valid("ok-1"),
                          event("bad", "no-such-meter", BigDecimal.ONE, f.clock.instant()),
                          valid("ok-2")),
                      TckFixture.ADMIN))
          .isInstanceOfSatisfying(
              UnknownMeterException.class,
              e -> {
                assertThat(e.meter()).isEqualTo("no-such-meter");
                assertThat(e.tenant()).isEqualTo(f.tenant);
              });
      assertNothingStored("ok-1", "bad", "ok-2");
    }

    @Test
    void required_anUnknownAccountIsRefusedByNameAndStoresNothing() {
      AccountId ghost = AccountId.of("ghost");
      assertThatThrownBy(
              () ->
                  metering.ingest(
                      List.of(
                          valid("ok-1"),
                          event(
                              "bad", ghost, "tokens", BigDecimal.ONE, f.clock.instant(), Map.of())),
                      TckFixture.ADMIN))
          .isInstanceOfSatisfying(
              AccountNotFoundException.class, e -> assertThat(e.account()).isEqualTo(ghost));
      assertNothingStored("ok-1", "bad");
      assertThat(m.findRatingCursor(f.tenant, ghost, "tokens")).isEmpty();
    }

    private void assertQuantityRefused(Callable<BigDecimal> quantity, String value) {
      assertThatThrownBy(
              () ->
                  metering.ingest(
                      List.of(
                          valid("ok-1"),
                          event("bad", "tokens", quantity.call(), f.clock.instant())),
                      TckFixture.ADMIN))
          .isInstanceOfSatisfying(
              InvalidRequestException.class,
              e -> {
                assertThat(e.field()).isEqualTo("quantity");
                assertThat(e.value()).isEqualTo(value);
              });
      assertNothingStored("ok-1", "bad");
    }

    @Test
    void required_aNegativeQuantityIsRefusedAndStoresNothing() {
      assertQuantityRefused(() -> new BigDecimal("-0.5"), "-0.5");
    }

    @Test
    void required_aQuantityWithTooManyDecimalPlacesIsRefusedAndStoresNothing() {
      assertQuantityRefused(() -> new BigDecimal("0.0000000000001"), "0.0000000000001");
    }

    @Test
    void required_aQuantityOfTenToTheEighteenthOrMoreIsRefusedAndStoresNothing() {
      assertQuantityRefused(() -> new BigDecimal("1000000000000000000"), "1000000000000000000");
      assertQuantityRefused(() -> new BigDecimal("1E+30"), "1000000000000000000000000000000");
    }

    @Test
    void required_aQuantityThatIsNotANumberIsRefusedAndStoresNothing() {
      assertQuantityRefused(() -> UsageEvent.quantityOf(Double.NaN), "NaN");
      assertQuantityRefused(() -> UsageEvent.quantityOf(Double.POSITIVE_INFINITY), "Infinity");
    }

    @Test
    void required_aTimeBeyondTheClockSkewIsRefusedAndStoresNothing() {
      Instant tooLate =
          f.clock.instant().plus(MeteringSettings.DEFAULT_CLOCK_SKEW).plus(1, ChronoUnit.MICROS);
      assertThatThrownBy(
              () ->
                  metering.ingest(
                      List.of(valid("ok-1"), event("bad", "tokens", BigDecimal.ONE, tooLate)),
                      TckFixture.ADMIN))
          .isInstanceOfSatisfying(
              UsageTimeOutOfRangeException.class,
              e -> {
                assertThat(e.field()).isEqualTo("occurredAt");
                assertThat(e.value()).isEqualTo(tooLate.toString());
              });
      assertNothingStored("ok-1", "bad");
    }

    @Test
    void required_aTimeOlderThanTheLateArrivalWindowIsRefusedAndStoresNothing() {
      Instant tooOld =
          f.clock
              .instant()
              .minus(MeteringSettings.DEFAULT_LATE_ARRIVAL)
              .minus(1, ChronoUnit.MICROS);
      assertThatThrownBy(
              () ->
                  metering.ingest(
                      List.of(valid("ok-1"), event("bad", "tokens", BigDecimal.ONE, tooOld)),
                      TckFixture.ADMIN))
          .isInstanceOfSatisfying(
              UsageTimeOutOfRangeException.class,
              e -> {
                assertThat(e.field()).isEqualTo("occurredAt");
                assertThat(e.value()).isEqualTo(tooOld.toString());
              });
      assertNothingStored("ok-1", "bad");
    }

    @Test
    void required_timesAtTheEdgesOfTheWindowAreAccepted() {
      Instant now = f.clock.instant();
      List<IngestResult> r =
          metering.ingest(
              List.of(
                  event(
                      "oldest",
                      "tokens",
                      BigDecimal.ONE,
                      now.minus(MeteringSettings.DEFAULT_LATE_ARRIVAL)),
                  event(
                      "newest",
                      "tokens",
                      BigDecimal.ONE,
                      now.plus(MeteringSettings.DEFAULT_CLOCK_SKEW))),
              TckFixture.ADMIN);
      assertThat(r)
          .containsExactly(new IngestResult("oldest", false), new IngestResult("newest", false));
      assertThat(ids(all(a, "tokens"))).containsExactly("oldest", "newest");
    }

    @Test
    void required_anUndeclaredDimensionIsRefusedByNameAndStoresNothing() {
      assertThatThrownBy(
              () ->
                  metering.ingest(
                      List.of(
                          valid("ok-1"),
                          event(
                              "bad",
                              a,
                              "tokens",
                              BigDecimal.ONE,
                              f.clock.instant(),
                              Map.of("model", "large", "colour", "red"))),
                      TckFixture.ADMIN))
          .isInstanceOfSatisfying(
              InvalidRequestException.class,
              e -> {
                assertThat(e.field()).isEqualTo("dimensions");
                assertThat(e.value()).isEqualTo("colour");
              });
      assertNothingStored("ok-1", "bad");
    }

    @Test
    void required_aMissingKeyDimensionIsRefusedAndStoresNothing() {
      assertThatThrownBy(
              () ->
                  metering.ingest(
                      List.of(
                          event(
                              "ok-users",
                              a,
                              "users",
                              BigDecimal.ONE,
                              f.clock.instant(),
                              Map.of("user", "u1")),
                          event("bad", "users", BigDecimal.ONE, f.clock.instant())),
                      TckFixture.ADMIN))
          .isInstanceOfSatisfying(
              InvalidRequestException.class,
              e -> {
                assertThat(e.field()).isEqualTo("dimensions");
                assertThat(e.getMessage()).contains("user");
              });
      assertNothingStored("ok-users", "bad");
    }

    @Test
    void required_aConflictingIdIsRefusedByNameAndStoresNothingOfItsBatch() {
      UsageEvent first = valid("e1");
      assertThat(metering.ingest(first, TckFixture.ADMIN)).isEqualTo(new IngestResult("e1", false));
      StoredUsageEvent stored = m.findUsageEvent(f.tenant, "e1").orElseThrow();
      RatingCursor before = cursor(a, "tokens");
      UsageEvent conflicting = event("e1", "tokens", new BigDecimal("2"), first.occurredAt());
      assertThatThrownBy(
              () ->
                  metering.ingest(
                      List.of(valid("ok-1"), conflicting, valid("ok-2")), TckFixture.ADMIN))
          .isInstanceOfSatisfying(
              UsageEventConflictException.class,
              e -> {
                assertThat(e.ids()).containsExactly("e1");
                assertThat(e.tenant()).isEqualTo(f.tenant);
              });
      assertThat(m.findUsageEvent(f.tenant, "ok-1")).isEmpty();
      assertThat(m.findUsageEvent(f.tenant, "ok-2")).isEmpty();
      assertThat(m.findUsageEvent(f.tenant, "e1")).contains(stored);
      assertThat(cursor(a, "tokens")).isEqualTo(before);
      assertThat(all(a, "tokens")).containsExactly(stored);
    }

    @Test
    void required_duplicatesAcrossBillingInstancesAreAcknowledgedNeverCountedTwice() {
      Metering second = newBilling().metering();
      List<IngestResult> r1 = metering.ingest(List.of(valid("e1"), valid("e2")), TckFixture.ADMIN);
      assertThat(r1).containsExactly(new IngestResult("e1", false), new IngestResult("e2", false));
      List<IngestResult> r2 =
          second.ingest(List.of(valid("e1"), valid("e3"), valid("e3")), TckFixture.ADMIN);
      assertThat(r2)
          .containsExactly(
              new IngestResult("e1", true),
              new IngestResult("e3", false),
              new IngestResult("e3", true));
      assertThat(ids(all(a, "tokens"))).containsExactly("e1", "e2", "e3");
      assertThat(cursor(a, "tokens").ingestedSequence()).isEqualTo(3);
    }

    @Test
    void required_concurrentIngestThroughManyBillingInstancesCountsEachIdOnce() {
      int threads = concurrentThreads();
      List<Metering> instances = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        instances.add(newBilling().metering());
      }
      List<UsageEvent> events = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        events.add(valid("c" + i));
      }
      List<List<IngestResult>> results =
          Races.race(
              threads,
              t ->
                  () -> {
                    List<UsageEvent> mine = new ArrayList<>(events);
                    Collections.shuffle(mine, new Random(100 + t));
                    List<IngestResult> out = new ArrayList<>();
                    for (int from = 0; from < mine.size(); from += 6) {
                      out.addAll(
                          instances.get(t).ingest(mine.subList(from, from + 6), TckFixture.ADMIN));
                    }
                    return out;
                  });
      Map<String, Integer> counted = new HashMap<>();
      for (List<IngestResult> r : results) {
        assertThat(r).hasSize(events.size());
        for (IngestResult i : r) {
          if (!i.duplicate()) {
            counted.merge(i.id(), 1, Integer::sum);
          }
        }
      }
      assertThat(counted).hasSize(events.size());
      assertThat(counted.values()).as("each id counted by exactly one caller").containsOnly(1);
      assertThat(sequences(all(a, "tokens"))).isEqualTo(oneTo(events.size()));
      assertThat(cursor(a, "tokens").ingestedSequence()).isEqualTo(events.size());
    }
  }
}
