package dev.billingsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.spi.IngestOutcome;
import dev.billingsdk.spi.RatingCursor;
import dev.billingsdk.spi.StoredUsageEvent;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Usage ingest from many threads through two application instances at once (two connection pools,
 * two {@link JdbcBillingStore}s on the same tables): the same ids are sent again and again, by
 * different threads and instances, in different orders and in overlapping batches, with a few
 * batches poisoned by an id sent with another payload. Whatever the interleaving, every distinct id
 * is stored exactly once (exactly one caller is told it was inserted, every other one gets a
 * duplicate naming the stored event), a poisoned batch stores nothing, each (tenant, account,
 * meter) has the sequences 1..N with no gap or repeat, its cursor's {@code ingestedSequence} is N,
 * and the stored quantities add up to the distinct events sent. One subclass per database.
 *
 * <p>Threads start together on a latch; nothing here waits on the clock.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractConcurrentIngestTest {
  static final int THREADS = 8;
  private static final String PREFIX = "cing_";
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private static final Instant FAR = Instant.parse("2200-01-01T00:00:00Z");
  private static final int ALL = 1_000_000;

  /** Two application instances: each its own pool and store on the same tables. */
  private final JdbcBillingStore[] instances = new JdbcBillingStore[2];

  /** The same two pools, with stores that never retry a database failure. */
  private final JdbcBillingStore[] strict = new JdbcBillingStore[2];

  protected abstract Db db();

  /**
   * Whether two first ingests of one (tenant, account, meter) may race to create its cursor so that
   * one of them needs a retry. PostgreSQL's {@code ON CONFLICT DO NOTHING} and MariaDB's {@code ON
   * DUPLICATE KEY} wait for the other insert and then do nothing; H2 may report the second insert
   * as a unique violation, which the store's transaction retries.
   */
  protected boolean cursorCreationMayNeedARetry() {
    return false;
  }

  @BeforeAll
  void twoInstancesOnFreshTables() {
    TestDatabases.assumeAvailable(db());
    TestDatabases.freshStore(db(), PREFIX);
    for (int i = 0; i < 2; i++) {
      String pool = "ingest-instance-" + i;
      instances[i] = store(pool, 8);
      strict[i] = store(pool, 1);
    }
  }

  private JdbcBillingStore store(String pool, int maxAttempts) {
    return JdbcBillingStore.builder(TestDatabases.pool(db(), pool, THREADS))
        .dialect(db().dialect)
        .tablePrefix(PREFIX)
        .maxAttempts(maxAttempts)
        .build();
  }

  // ---------------------------------------------------------------- the rules

  /**
   * 8 threads, alternating between the instances, each send 40 batches of 25 events drawn at random
   * (with repeats) from 600 ids over 6 triples, after 60 of them were stored up front. Every fifth
   * batch of a thread is poisoned, alternately by an id sent twice in the batch with two payloads
   * (the second in the same triple or in another one) and by an id stored up front sent with
   * another payload; each poisoned batch also carries ids sent nowhere else, which must never be
   * stored.
   */
  @Test
  void overlappingBatchesFullOfDuplicatesStoreEachIdOnceWithGaplessSequences() throws Exception {
    TenantId tenant = TenantId.of("overlap");
    int distinct = 600;
    int seeded = 60;
    int batches = 40;
    int batchSize = 25;
    List<StoredUsageEvent> valid = new ArrayList<>();
    for (int k = 0; k < distinct; k++) {
      valid.add(event(tenant, k, 6));
    }
    Ledger ledger = new Ledger();
    ledger.record(valid.subList(0, seeded), instances[0].ingest(valid.subList(0, seeded)));

    Map<String, List<StoredUsageEvent>> poisoned = new ConcurrentHashMap<>();
    Set<String> orphans = ConcurrentHashMap.newKeySet();
    AtomicInteger poisonedBatches = new AtomicInteger();
    AbstractConcurrencyTest.race(
        THREADS,
        t -> {
          JdbcBillingStore store = instances[t % 2];
          Random random = new Random(7_000 + t);
          for (int b = 0; b < batches; b++) {
            List<StoredUsageEvent> batch = new ArrayList<>();
            for (int i = 0; i < batchSize; i++) {
              batch.add(receivedBy(valid.get(random.nextInt(distinct)), t));
            }
            if (b % 5 != 4) {
              ledger.record(batch, store.ingest(batch));
              continue;
            }
            // A poisoned batch: its own new ids, and one id sent with a second payload.
            String batchName = "orphan-" + t + "-" + b;
            StoredUsageEvent orphan = receivedBy(event(tenant, batchName, 1, 0), t);
            orphans.add(orphan.event().id());
            batch.add(random.nextInt(batch.size()), orphan);
            StoredUsageEvent poison;
            switch (b / 5 % 3) {
              case 0 -> {
                // sent twice in this batch: the valid payload first, then another quantity
                StoredUsageEvent x = valid.get(seeded + random.nextInt(distinct - seeded));
                batch.add(0, receivedBy(x, t));
                poison = withQuantity(x, x.event().quantity().add(BigDecimal.ONE));
              }
              case 1 -> {
                // sent twice in this batch, the second time under another account
                StoredUsageEvent x = valid.get(seeded + random.nextInt(distinct - seeded));
                batch.add(0, receivedBy(x, t));
                poison = withAccount(x, AccountId.of("elsewhere"));
              }
              default -> {
                // stored up front with another payload
                StoredUsageEvent x = valid.get(random.nextInt(seeded));
                poison = withQuantity(x, x.event().quantity().add(new BigDecimal("0.5")));
              }
            }
            batch.add(poison);
            poisonedBatches.incrementAndGet();
            List<IngestOutcome> outcomes = store.ingest(batch);
            assertThat(outcomes)
                .as("a poisoned batch gets its conflict and nothing else")
                .hasSize(1)
                .allSatisfy(o -> assertThat(o).isInstanceOf(IngestOutcome.Conflict.class));
            IngestOutcome.Conflict c = (IngestOutcome.Conflict) outcomes.get(0);
            assertThat(c.refused()).isEqualTo(poison);
            assertThat(c.existing().event().id()).isEqualTo(poison.event().id());
            assertThat(c.existing().fingerprint()).isNotEqualTo(poison.fingerprint());
            poisoned.computeIfAbsent(poison.event().id(), k -> new ArrayList<>());
            poisoned.get(poison.event().id()).add(c.existing());
          }
        });

    assertThat(poisonedBatches.get()).isEqualTo(THREADS * batches / 5);
    for (String orphan : orphans) {
      for (JdbcBillingStore instance : instances) {
        assertThat(instance.findUsageEvent(tenant, orphan))
            .as("%s came only in poisoned batches", orphan)
            .isEmpty();
      }
    }
    for (String meter : List.of("m0", "m1")) {
      assertThat(instances[0].findRatingCursor(tenant, AccountId.of("elsewhere"), meter))
          .as("a poisoned batch creates no cursor")
          .isEmpty();
    }
    Map<String, StoredUsageEvent> stored = ledger.assertEachIdInsertedOnce(tenant, instances);
    for (Map.Entry<String, List<StoredUsageEvent>> p : poisoned.entrySet()) {
      StoredUsageEvent s = instances[0].findUsageEvent(tenant, p.getKey()).orElseThrow();
      assertThat(s.fingerprint())
          .as("%s keeps its valid payload", p.getKey())
          .isEqualTo(fingerprint(s.event()));
      if (stored.containsKey(p.getKey())) {
        // A conflict names what was stored; within a batch, the list's earlier payload.
        assertThat(p.getValue()).allSatisfy(e -> assertThat(e.event()).isEqualTo(s.event()));
      }
    }
    assertTriples(tenant, valid, stored.keySet());
    summary(
        "overlapping batches",
        ledger.sent.get(),
        ledger.inserted.size(),
        ledger.duplicates.get(),
        poisonedBatches.get());
  }

  /**
   * The same id sent at the same moment through both instances with two payloads in two triples
   * (another account): the two ingests lock different cursors, so only the primary key decides.
   * Exactly one is stored, with its batch; the other caller gets the conflict, and its batch (which
   * carries an id of its own) stores nothing.
   */
  @Test
  void theSameIdWithTwoPayloadsInTwoTriplesIsStoredOnceAndTheLoserStoresNothing() throws Exception {
    TenantId tenant = TenantId.of("contested");
    int contested = 120;
    AccountId[] sides = {AccountId.of("side-0"), AccountId.of("side-1")};
    Map<String, List<Outcome>> answers = new ConcurrentHashMap<>();
    AbstractConcurrencyTest.race(
        THREADS,
        t -> {
          // Threads 2j and 2j+1 contest the same ids, one through each instance.
          int pair = t / 2;
          int side = t % 2;
          JdbcBillingStore store = instances[side];
          for (int k = pair; k < contested; k += THREADS / 2) {
            StoredUsageEvent claim =
                withAccount(event(tenant, "contested-" + k, 1, k), sides[side]);
            StoredUsageEvent own =
                withAccount(event(tenant, "own-" + side + "-" + k, 1, k), sides[side]);
            List<IngestOutcome> outcomes = store.ingest(List.of(own, claim));
            answers
                .computeIfAbsent(
                    claim.event().id(), id -> Collections.synchronizedList(new ArrayList<>()))
                .add(new Outcome(side, claim, own, outcomes));
          }
        });

    assertThat(answers).hasSize(contested);
    int[] wins = new int[2];
    for (Map.Entry<String, List<Outcome>> e : answers.entrySet()) {
      List<Outcome> two = e.getValue();
      assertThat(two).as("both sides answered for %s", e.getKey()).hasSize(2);
      List<Outcome> winners =
          two.stream().filter(o -> o.outcomes().get(0) instanceof IngestOutcome.Inserted).toList();
      assertThat(winners).as("exactly one side stored %s", e.getKey()).hasSize(1);
      Outcome winner = winners.get(0);
      Outcome loser = two.get(0) == winner ? two.get(1) : two.get(0);
      wins[winner.side()]++;
      assertThat(winner.outcomes()).hasSize(2).allMatch(o -> o instanceof IngestOutcome.Inserted);
      StoredUsageEvent storedClaim = ((IngestOutcome.Inserted) winner.outcomes().get(1)).stored();
      assertThat(loser.outcomes())
          .as("the loser of %s gets only the conflict", e.getKey())
          .containsExactly(new IngestOutcome.Conflict(storedClaim, loser.claim()));
      for (JdbcBillingStore instance : instances) {
        assertThat(instance.findUsageEvent(tenant, e.getKey())).contains(storedClaim);
        assertThat(instance.findUsageEvent(tenant, loser.own().event().id()))
            .as("the loser's batch stored nothing")
            .isEmpty();
        assertThat(instance.findUsageEvent(tenant, winner.own().event().id()))
            .contains(((IngestOutcome.Inserted) winner.outcomes().get(0)).stored());
      }
    }
    for (int side = 0; side < 2; side++) {
      Optional<RatingCursor> cursor = instances[0].findRatingCursor(tenant, sides[side], "m0");
      List<StoredUsageEvent> events =
          instances[0].lateUsage(tenant, sides[side], "m0", 0, Long.MAX_VALUE, FAR, ALL);
      assertThat(sequences(events))
          .as("side %d: two events per win, gapless", side)
          .isEqualTo(oneTo(2L * wins[side]));
      assertThat(cursor.map(RatingCursor::ingestedSequence).orElse(0L)).isEqualTo(2L * wins[side]);
    }
    summary(
        "contested ids (" + wins[0] + " : " + wins[1] + ")",
        2 * contested,
        contested,
        0,
        contested);
  }

  /**
   * With stores that never retry, threads on both instances send the same events (equal payloads)
   * in different orders: ingests of one triple queue on its cursor, so a duplicate never races to
   * an insert, and no ingest ever meets a deadlock, a lock timeout or a key race that would need a
   * retry.
   */
  @Test
  void duplicatesRacingThroughBothInstancesNeverNeedARetry() throws Exception {
    TenantId tenant = TenantId.of("strict");
    int distinct = 300;
    List<StoredUsageEvent> valid = new ArrayList<>();
    for (int k = 0; k < distinct; k++) {
      valid.add(event(tenant, k, 6));
    }
    Ledger ledger = new Ledger();
    int seeded = 0;
    if (cursorCreationMayNeedARetry()) {
      // The cursors exist before the race (one event per triple, through a retrying store).
      seeded = 6;
      List<StoredUsageEvent> first = valid.subList(0, seeded);
      ledger.record(first, instances[0].ingest(first));
    }
    AbstractConcurrencyTest.race(
        THREADS,
        t -> {
          JdbcBillingStore store = strict[t % 2];
          List<StoredUsageEvent> mine = new ArrayList<>();
          for (StoredUsageEvent e : valid) {
            mine.add(receivedBy(e, t));
          }
          Collections.shuffle(mine, new Random(9_000 + t));
          for (int from = 0; from < mine.size(); from += 10) {
            List<StoredUsageEvent> batch = mine.subList(from, from + 10);
            ledger.record(batch, store.ingest(batch));
          }
        });
    Map<String, StoredUsageEvent> stored = ledger.assertEachIdInsertedOnce(tenant, instances);
    assertThat(stored).hasSize(distinct);
    assertThat(ledger.sent.get()).isEqualTo(THREADS * distinct + seeded);
    assertThat(ledger.duplicates.get()).isEqualTo((THREADS - 1) * distinct + seeded);
    assertTriples(tenant, valid, stored.keySet());
    summary("same events, no retries", ledger.sent.get(), distinct, ledger.duplicates.get(), 0);
  }

  // ---------------------------------------------------------------- what the callers were told

  private record Outcome(
      int side, StoredUsageEvent claim, StoredUsageEvent own, List<IngestOutcome> outcomes) {}

  /** Every answer of non-poisoned batches: who was told an id was inserted, and the duplicates. */
  private static final class Ledger {
    final Map<String, List<StoredUsageEvent>> inserted = new ConcurrentHashMap<>();
    final Map<String, List<StoredUsageEvent>> duplicateOf = new ConcurrentHashMap<>();
    final Map<String, StoredUsageEvent> sentEvents = new ConcurrentHashMap<>();
    final AtomicInteger sent = new AtomicInteger();
    final AtomicInteger duplicates = new AtomicInteger();

    void record(List<StoredUsageEvent> batch, List<IngestOutcome> outcomes) {
      assertThat(outcomes).as("one outcome per event, in order").hasSize(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        StoredUsageEvent e = batch.get(i);
        IngestOutcome o = outcomes.get(i);
        sent.incrementAndGet();
        sentEvents.putIfAbsent(e.event().id(), e);
        if (o instanceof IngestOutcome.Inserted in) {
          assertThat(in.stored().event()).isEqualTo(e.event());
          assertThat(in.stored().fingerprint()).isEqualTo(e.fingerprint());
          assertThat(in.stored().receivedAt())
              .as("kept to the microsecond")
              .isEqualTo(e.receivedAt().truncatedTo(ChronoUnit.MICROS));
          inserted
              .computeIfAbsent(e.event().id(), k -> Collections.synchronizedList(new ArrayList<>()))
              .add(in.stored());
        } else if (o instanceof IngestOutcome.Duplicate d) {
          assertThat(d.existing().event()).isEqualTo(e.event());
          assertThat(d.existing().fingerprint()).isEqualTo(e.fingerprint());
          duplicates.incrementAndGet();
          duplicateOf
              .computeIfAbsent(e.event().id(), k -> Collections.synchronizedList(new ArrayList<>()))
              .add(d.existing());
        } else {
          throw new AssertionError(e.event().id() + " came back " + o);
        }
      }
    }

    /**
     * Each id that was sent was inserted exactly once, is stored as inserted (read through both
     * instances), and every duplicate named that stored event; returns the stored events by id.
     */
    Map<String, StoredUsageEvent> assertEachIdInsertedOnce(
        TenantId tenant, JdbcBillingStore[] instances) {
      assertThat(inserted.keySet()).as("every id sent was inserted").isEqualTo(sentEvents.keySet());
      assertThat(sent.get())
          .as("sent = inserted + duplicates")
          .isEqualTo(inserted.size() + duplicates.get());
      Map<String, StoredUsageEvent> stored = new HashMap<>();
      for (Map.Entry<String, List<StoredUsageEvent>> e : inserted.entrySet()) {
        assertThat(e.getValue()).as("callers told %s was inserted", e.getKey()).hasSize(1);
        StoredUsageEvent s = e.getValue().get(0);
        for (JdbcBillingStore instance : instances) {
          assertThat(instance.findUsageEvent(tenant, e.getKey())).contains(s);
        }
        for (StoredUsageEvent d : duplicateOf.getOrDefault(e.getKey(), List.of())) {
          assertThat(d).as("a duplicate of %s names the stored event", e.getKey()).isEqualTo(s);
        }
        stored.put(e.getKey(), s);
      }
      return stored;
    }
  }

  /**
   * Per triple of {@code valid}'s events whose id is in {@code ids}: sequences 1..N by sequence,
   * each event stored as sent, the cursor at version 0 with ingestedSequence N and rated until the
   * time of the event that got sequence 1, the quantities adding up to those of the distinct events
   * sent, and the window read returning the same events.
   */
  private void assertTriples(TenantId tenant, List<StoredUsageEvent> valid, Set<String> ids) {
    Map<RatingCursor.Key, List<StoredUsageEvent>> byTriple = new LinkedHashMap<>();
    for (StoredUsageEvent e : valid) {
      if (ids.contains(e.event().id())) {
        byTriple
            .computeIfAbsent(
                new RatingCursor.Key(tenant, e.event().account(), e.event().meter()),
                k -> new ArrayList<>())
            .add(e);
      }
    }
    BigDecimal total = BigDecimal.ZERO;
    BigDecimal storedTotal = BigDecimal.ZERO;
    for (Map.Entry<RatingCursor.Key, List<StoredUsageEvent>> e : byTriple.entrySet()) {
      RatingCursor.Key k = e.getKey();
      long n = e.getValue().size();
      List<StoredUsageEvent> events =
          instances[1].lateUsage(tenant, k.account(), k.meter(), 0, Long.MAX_VALUE, FAR, ALL);
      assertThat(sequences(events)).as("%s: sequences 1..%d", k, n).isEqualTo(oneTo(n));
      Map<String, StoredUsageEvent> sent = new HashMap<>();
      e.getValue().forEach(s -> sent.put(s.event().id(), s));
      BigDecimal sum = BigDecimal.ZERO;
      for (StoredUsageEvent s : events) {
        StoredUsageEvent original = sent.get(s.event().id());
        assertThat(original).as("%s belongs to %s", s.event().id(), k).isNotNull();
        assertThat(s.event()).isEqualTo(original.event());
        assertThat(s.fingerprint()).isEqualTo(original.fingerprint());
        sum = sum.add(s.event().quantity());
      }
      BigDecimal expected =
          e.getValue().stream()
              .map(s -> s.event().quantity())
              .reduce(BigDecimal.ZERO, BigDecimal::add);
      assertThat(sum).as("%s: quantities", k).isEqualByComparingTo(expected);
      total = total.add(expected);
      storedTotal = storedTotal.add(sum);
      RatingCursor cursor =
          instances[0].findRatingCursor(tenant, k.account(), k.meter()).orElseThrow();
      assertThat(cursor.version()).isZero();
      assertThat(cursor.ingestedSequence()).as("%s: ingestedSequence", k).isEqualTo(n);
      assertThat(cursor.ratedSequence()).isZero();
      assertThat(cursor.ratedUntil())
          .as("%s: created at the time of its first event", k)
          .isEqualTo(events.get(0).event().occurredAt());
      assertThat(
              instances[0].windowUsage(
                  tenant,
                  k.account(),
                  k.meter(),
                  T0.minusSeconds(86_400),
                  FAR,
                  n,
                  Optional.empty(),
                  ALL))
          .containsExactlyInAnyOrderElementsOf(events);
    }
    assertThat(storedTotal).as("all quantities stored").isEqualByComparingTo(total);
  }

  // ---------------------------------------------------------------- events

  /** Event {@code k} of the tenant, in one of {@code triples} triples (3 accounts x 2 meters). */
  private static StoredUsageEvent event(TenantId tenant, int k, int triples) {
    return event(tenant, "u-" + k, triples, k);
  }

  private static StoredUsageEvent event(TenantId tenant, String id, int triples, int k) {
    int triple = k % triples;
    // Quantities of varied scale (trailing zeros included), times spread over an hour with
    // sub-second parts and many ties.
    BigDecimal quantity = BigDecimal.valueOf(k + 1).movePointLeft(k % 4).setScale(k % 4 + 2);
    Instant at = T0.plusSeconds((k * 7_919L) % 3_600).plusNanos((k % 7) * 1_000L);
    UsageEvent e =
        UsageEvent.builder(tenant, AccountId.of("acct-" + triple / 2), "m" + triple % 2)
            .id(id)
            .quantity(quantity)
            .occurredAt(at)
            .dimensions(Map.of("region", k % 3 == 0 ? "eu" : "us"))
            .build();
    return StoredUsageEvent.unsequenced(e, fingerprint(e), T0.plusSeconds(7_200));
  }

  /** The same event as received by thread {@code t} (the receipt time is not part of it). */
  private static StoredUsageEvent receivedBy(StoredUsageEvent e, int t) {
    return StoredUsageEvent.unsequenced(
        e.event(), e.fingerprint(), T0.plusSeconds(7_200 + t).plusNanos(1_500));
  }

  private static StoredUsageEvent withQuantity(StoredUsageEvent e, BigDecimal quantity) {
    UsageEvent u = e.event();
    return with(
        UsageEvent.builder(u.tenant(), u.account(), u.meter())
            .id(u.id())
            .quantity(quantity)
            .occurredAt(u.occurredAt())
            .dimensions(u.dimensions())
            .build(),
        e);
  }

  private static StoredUsageEvent withAccount(StoredUsageEvent e, AccountId account) {
    UsageEvent u = e.event();
    return with(
        UsageEvent.builder(u.tenant(), account, u.meter())
            .id(u.id())
            .quantity(u.quantity())
            .occurredAt(u.occurredAt())
            .dimensions(u.dimensions())
            .build(),
        e);
  }

  private static StoredUsageEvent with(UsageEvent u, StoredUsageEvent e) {
    return StoredUsageEvent.unsequenced(u, fingerprint(u), e.receivedAt());
  }

  /** A digest of the payload, as the library takes it (the store treats it as opaque). */
  static String fingerprint(UsageEvent e) {
    String text =
        e.account().value()
            + "|"
            + e.meter()
            + "|"
            + e.quantity().toPlainString()
            + "|"
            + e.occurredAt()
            + "|"
            + new TreeMap<>(e.dimensions());
    try {
      return "sha256:"
          + HexFormat.of()
              .formatHex(
                  MessageDigest.getInstance("SHA-256")
                      .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException ex) {
      throw new IllegalStateException("every JDK has SHA-256", ex);
    }
  }

  private static List<Long> sequences(List<StoredUsageEvent> events) {
    return events.stream().map(StoredUsageEvent::sequence).toList();
  }

  private static List<Long> oneTo(long n) {
    return LongStream.rangeClosed(1, n).boxed().toList();
  }

  private void summary(String rule, int sent, int inserted, int duplicates, int conflicts) {
    System.out.printf(
        "[ingest %s] %s: %d threads, %d events sent, %d inserted, %d duplicates acknowledged,"
            + " %d conflicts refused%n",
        db(), rule, THREADS, sent, inserted, duplicates, conflicts);
  }
}
