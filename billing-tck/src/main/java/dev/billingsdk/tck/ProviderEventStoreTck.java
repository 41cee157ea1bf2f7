package dev.billingsdk.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.payment.ProviderEvent;
import dev.billingsdk.spi.ProviderEventStore;
import dev.billingsdk.spi.StoredProviderEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The rules of the webhook-delivery part of the storage SPI ({@link ProviderEventStore}): an event
 * is stored once per (provider, event id), also when deliveries race through two instances of the
 * store, and reads back exactly (its raw payload byte for byte, its instants to the microsecond);
 * it is marked processed once, and the first outcome stays. An adapter extends it and supplies
 * {@link #store()} (and, for stores shared between processes, {@link #secondInstance()}); every
 * test uses event ids of its own, so the store may be shared.
 */
public abstract class ProviderEventStoreTck {

  /** For subclasses: an adapter's runner extends this kit. */
  protected ProviderEventStoreTck() {}

  /** The store under test. May be shared across tests: each test uses event ids of its own. */
  protected abstract ProviderEventStore store();

  /**
   * A second instance on the same storage, as a second process would have: the race rules write
   * through both, and reads are checked through both. The default is the same instance.
   */
  protected ProviderEventStore secondInstance() {
    return store();
  }

  /** Deliveries racing for one event (at least 8 in the kit's own runs). */
  protected int concurrentThreads() {
    return 8;
  }

  static final String STRIPE = "stripe";
  static final String FLUTTERWAVE = "flutterwave";

  /** Microseconds that a millisecond column would lose. */
  static final Instant T0 = Instant.parse("2026-04-01T09:30:00.123456Z");

  /**
   * When the deliveries arrived: a whole second, so that only the rules about instants fail on a
   * store that loses their precision.
   */
  static final Instant RECEIVED = Instant.parse("2026-04-01T09:30:01Z");

  /** Nanoseconds below the microsecond, which every store drops (and none rounds up). */
  static final Instant RECEIVED_NANOS = Instant.parse("2026-04-01T09:30:01.999999999Z");

  private String run = "x";

  @BeforeEach
  void freshIds() {
    run = UUID.randomUUID().toString();
  }

  /** An event id of this test only. */
  String id(String name) {
    return "evt_" + run + "_" + name;
  }

  static ProviderEvent event(String provider, String eventId, String payload) {
    return new ProviderEvent(
        provider,
        eventId,
        "checkout.session.completed",
        ProviderEvent.Kind.CHECKOUT_COMPLETED,
        T0,
        Optional.of("purchase-1"),
        Optional.of("cs_test_1"),
        Optional.empty(),
        payload);
  }

  static String json(String eventId, String extra) {
    return "{\"id\":\""
        + eventId
        + "\",\"object\":\"event\",\"data\":{\"note\":\""
        + extra
        + "\"}}";
  }

  /**
   * A JSON body of about {@code kib} KiB: nested objects and arrays, escapes, and text in many
   * scripts (emoji, right-to-left, CJK, combining marks), as a provider's event could carry.
   */
  static String largeJson(String eventId, int kib) {
    StringBuilder b = new StringBuilder("{\"id\":\"").append(eventId).append("\",\"items\":[");
    String[] texts = {
      "Crédits Pro 🚀",
      "باقة الأرصدة \u200F",
      "\u8A9E\u6587\u5B57",
      HostileText.FAMILY + " " + HostileText.CAFE_NFD,
      "quote \\\" backslash \\\\ tab \\t newline \\n",
      "\\u00e9 escaped, é raw",
      "z\u0351\u0352\u0353a\u0300\u0301lgo",
      "\uD835\uDD04\uD835\uDD05 math"
    };
    int i = 0;
    while (b.length() < kib * 1024) {
      if (i > 0) {
        b.append(',');
      }
      b.append("{\"n\":")
          .append(i)
          .append(",\"amount\":")
          .append(1999L * i)
          .append(",\"text\":\"")
          .append(texts[i % texts.length])
          .append("\",\"nested\":{\"list\":[1,2.5,true,null,\"")
          .append(texts[(i + 3) % texts.length])
          .append("\"]}}");
      i++;
    }
    return b.append("],\"end\":\"\\r\\n\"}\n").toString();
  }

  /** The event as both instances read it (they must agree). */
  Optional<StoredProviderEvent> find(String provider, String eventId) {
    Optional<StoredProviderEvent> found = store().find(provider, eventId);
    assertThat(secondInstance().find(provider, eventId))
        .as("through the second instance")
        .isEqualTo(found);
    return found;
  }

  static StoredProviderEvent unprocessed(ProviderEvent e, Instant receivedAt) {
    return new StoredProviderEvent(e, receivedAt, Optional.empty(), Optional.empty());
  }

  @Nested
  @DisplayName("Recording: an event is stored once per (provider, event id), exactly as received")
  class Recording {

    @Test
    void required_anEventIsStoredOncePerProviderAndEventId() {
      ProviderEvent first = event(STRIPE, id("1"), json(id("1"), "first"));
      assertThat(store().recordIfAbsent(first, RECEIVED)).isTrue();
      // Delivered again, with another body and other fields: the first stays.
      ProviderEvent again =
          new ProviderEvent(
              STRIPE,
              id("1"),
              "payment_intent.succeeded",
              ProviderEvent.Kind.PAYMENT_SUCCEEDED,
              T0.plusSeconds(9),
              Optional.empty(),
              Optional.empty(),
              Optional.of("pi_1"),
              json(id("1"), "second"));
      assertThat(store().recordIfAbsent(again, RECEIVED.plusSeconds(60))).isFalse();
      assertThat(secondInstance().recordIfAbsent(again, RECEIVED.plusSeconds(61))).isFalse();
      assertThat(find(STRIPE, id("1"))).contains(unprocessed(first, RECEIVED));
      assertThat(find(STRIPE, id("never"))).isEmpty();
    }

    @Test
    void required_theSameEventIdUnderAnotherProviderIsAnotherEvent() {
      String eventId = id("Shared");
      ProviderEvent atStripe = event(STRIPE, eventId, json(eventId, "stripe"));
      ProviderEvent atFlutterwave = event(FLUTTERWAVE, eventId, json(eventId, "flutterwave"));
      // Ids and providers are compared exactly: case counts.
      String upper = eventId.toUpperCase(Locale.ROOT);
      ProviderEvent upperId = event(STRIPE, upper, json(upper, "upper"));
      ProviderEvent upperProvider = event("Stripe", eventId, json(eventId, "Stripe"));
      for (ProviderEvent e : List.of(atStripe, atFlutterwave, upperId, upperProvider)) {
        assertThat(store().recordIfAbsent(e, RECEIVED)).as("%s", e).isTrue();
      }
      assertThat(find(STRIPE, eventId)).contains(unprocessed(atStripe, RECEIVED));
      assertThat(find(FLUTTERWAVE, eventId)).contains(unprocessed(atFlutterwave, RECEIVED));
      assertThat(find(STRIPE, upper)).contains(unprocessed(upperId, RECEIVED));
      assertThat(find("Stripe", eventId)).contains(unprocessed(upperProvider, RECEIVED));
      for (String near :
          List.of(
              eventId.toLowerCase(Locale.ROOT),
              eventId.substring(0, eventId.length() - 1),
              eventId + " ",
              eventId + "x",
              "evt_" + run + "%",
              "evt_" + run + "_Shar_")) {
        assertThat(find(STRIPE, near)).as("event id %s", near).isEmpty();
      }
      assertThat(find("stripe ", eventId)).isEmpty();
      assertThat(find("strip", eventId)).isEmpty();
    }

    @Test
    void required_anEventReadsBackExactly() {
      List<StoredProviderEvent> stored = new ArrayList<>();
      String large = largeJson(id("large"), 256);
      assertThat(large.length()).isGreaterThan(200_000);
      String largest = (HostileText.EMOJI + "é").repeat(ProviderEvent.MAX_PAYLOAD / 3);
      List<String> payloads =
          List.of(
              large,
              largest,
              "",
              "   trailing and leading   ",
              "not json at all: ' OR 1=1; -- %_ \\",
              HostileText.REASONS.get(2));
      for (int i = 0; i < payloads.size(); i++) {
        String eventId = id("exact-" + i);
        ProviderEvent e =
            new ProviderEvent(
                i % 2 == 0 ? STRIPE : FLUTTERWAVE,
                eventId,
                i == 0 ? "charge.refund.updated" : "tipo 🚀 " + i,
                ProviderEvent.Kind.values()[i % ProviderEvent.Kind.values().length],
                i == 1 ? InputContract.EARLIEST : T0.plusNanos(i * 1000L),
                i % 3 == 0 ? Optional.of("purchase-" + HostileText.CAFE_NFD) : Optional.empty(),
                i % 3 == 1 ? Optional.of("cs_" + i) : Optional.empty(),
                i % 2 == 0 ? Optional.of(HostileText.LONGEST_ID) : Optional.empty(),
                payloads.get(i));
        Instant receivedAt = i == 1 ? InputContract.LATEST : RECEIVED_NANOS.plusSeconds(i);
        assertThat(store().recordIfAbsent(e, receivedAt)).isTrue();
        stored.add(unprocessed(e, receivedAt));
      }
      for (StoredProviderEvent s : stored) {
        StoredProviderEvent read = find(s.event().provider(), s.event().eventId()).orElseThrow();
        assertThat(read.event().payload().getBytes(StandardCharsets.UTF_8))
            .as("the payload of %s, byte for byte", s.event().eventId())
            .isEqualTo(s.event().payload().getBytes(StandardCharsets.UTF_8));
        assertThat(read).isEqualTo(s);
      }
      // Sub-microsecond parts are dropped, never rounded up.
      assertThat(stored.get(0).receivedAt())
          .isEqualTo(Instant.parse("2026-04-01T09:30:01.999999Z"));
    }
  }

  @Nested
  @DisplayName("Processing: marked once, the first outcome stays")
  class Processing {

    @Test
    void required_markProcessedMarksOnceAndTheFirstOutcomeStays() {
      ProviderEvent e = event(STRIPE, id("m"), json(id("m"), "mark"));
      store().recordIfAbsent(e, RECEIVED);
      Instant at = Instant.parse("2026-04-01T09:30:02.000001999Z");
      assertThat(store().markProcessed(STRIPE, id("m"), at, "GRANTED")).isTrue();
      StoredProviderEvent marked =
          new StoredProviderEvent(
              e,
              RECEIVED,
              Optional.of(Instant.parse("2026-04-01T09:30:02.000001Z")),
              Optional.of("GRANTED"));
      assertThat(find(STRIPE, id("m"))).contains(marked);
      assertThat(store().markProcessed(STRIPE, id("m"), at.plusSeconds(5), "IGNORED")).isFalse();
      assertThat(secondInstance().markProcessed(STRIPE, id("m"), at, "GRANTED")).isFalse();
      // Delivered again after processing: still stored once, still processed.
      assertThat(store().recordIfAbsent(e, RECEIVED.plusSeconds(30))).isFalse();
      assertThat(find(STRIPE, id("m"))).contains(marked);
    }

    @Test
    void required_markingAnUnknownEventChangesNothing() {
      ProviderEvent e = event(STRIPE, id("k"), json(id("k"), "known"));
      store().recordIfAbsent(e, RECEIVED);
      for (String[] unknown :
          new String[][] {
            {STRIPE, id("unknown")},
            {FLUTTERWAVE, id("k")},
            {"Stripe", id("k")},
            {STRIPE, id("K")},
            {STRIPE, id("k") + " "},
            {STRIPE, id("")},
            {STRIPE, id("k").substring(0, id("k").length() - 1) + "%"}
          }) {
        assertThat(store().markProcessed(unknown[0], unknown[1], T0, "GRANTED"))
            .as("%s %s", unknown[0], unknown[1])
            .isFalse();
        assertThat(find(unknown[0], unknown[1])).isEmpty();
      }
      assertThat(find(STRIPE, id("k"))).contains(unprocessed(e, RECEIVED));
    }

    @Test
    void required_valuesOutsideTheContractAreRefusedAndWriteNothing() {
      ProviderEvent e = event(STRIPE, id("v"), json(id("v"), "refused"));
      assertThatThrownBy(() -> store().recordIfAbsent(e, Instant.MAX))
          .isInstanceOfSatisfying(
              InvalidRequestException.class, x -> assertThat(x.field()).isEqualTo("receivedAt"));
      assertThat(find(STRIPE, id("v"))).isEmpty();
      store().recordIfAbsent(e, RECEIVED);
      for (String outcome :
          List.of("", " GRANTED", "GRANTED ", "GRAN\u0000TED", "x".repeat(129), "a\nb")) {
        for (String eventId : List.of(id("v"), id("unknown"))) {
          assertThatThrownBy(() -> store().markProcessed(STRIPE, eventId, T0, outcome))
              .as("outcome '%s' for %s", outcome, eventId)
              .isInstanceOfSatisfying(
                  InvalidRequestException.class, x -> assertThat(x.field()).isEqualTo("outcome"));
        }
      }
      assertThatThrownBy(() -> store().markProcessed(STRIPE, id("v"), Instant.MAX, "GRANTED"))
          .isInstanceOfSatisfying(
              InvalidRequestException.class, x -> assertThat(x.field()).isEqualTo("processedAt"));
      assertThat(find(STRIPE, id("v"))).contains(unprocessed(e, RECEIVED));
      assertThat(find(STRIPE, id("unknown"))).isEmpty();
      // The longest outcome the contract allows is kept.
      String longest = HostileText.LONGEST_ID;
      assertThat(store().markProcessed(STRIPE, id("v"), RECEIVED, longest)).isTrue();
      assertThat(find(STRIPE, id("v")).orElseThrow().outcome()).contains(longest);
    }
  }

  @Nested
  @DisplayName("Concurrency: racing deliveries through two instances store and mark once")
  class Concurrency {

    @Test
    void required_deliveriesRacingForOneEventStoreItOnce() throws Exception {
      int threads = Math.max(2, concurrentThreads());
      for (int round = 0; round < 5; round++) {
        String eventId = id("race-" + round);
        List<ProviderEvent> deliveries = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          deliveries.add(event(STRIPE, eventId, json(eventId, "delivery " + i)));
        }
        List<Boolean> stored =
            Races.race(
                threads,
                i -> {
                  ProviderEventStore through = i % 2 == 0 ? store() : secondInstance();
                  return () -> through.recordIfAbsent(deliveries.get(i), RECEIVED.plusMillis(i));
                });
        List<Integer> winners = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          if (stored.get(i)) {
            winners.add(i);
          }
        }
        assertThat(winners).as("deliveries that stored the event, round %s", round).hasSize(1);
        int w = winners.get(0);
        assertThat(find(STRIPE, eventId))
            .contains(unprocessed(deliveries.get(w), RECEIVED.plusMillis(w)));
      }
    }

    @Test
    void required_markersRacingForOneEventLeaveOneOutcome() throws Exception {
      int threads = Math.max(2, concurrentThreads());
      for (int round = 0; round < 5; round++) {
        String eventId = id("mark-" + round);
        ProviderEvent e = event(STRIPE, eventId, json(eventId, "mark race"));
        store().recordIfAbsent(e, RECEIVED);
        List<Boolean> marked =
            Races.race(
                threads,
                i -> {
                  ProviderEventStore through = i % 2 == 0 ? store() : secondInstance();
                  return () ->
                      through.markProcessed(
                          STRIPE, eventId, RECEIVED.plusSeconds(i), "OUTCOME_" + i);
                });
        List<Integer> winners = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          if (marked.get(i)) {
            winners.add(i);
          }
        }
        assertThat(winners).as("marks that took, round %s", round).hasSize(1);
        int w = winners.get(0);
        assertThat(find(STRIPE, eventId))
            .contains(
                new StoredProviderEvent(
                    e,
                    RECEIVED,
                    Optional.of(RECEIVED.plusSeconds(w)),
                    Optional.of("OUTCOME_" + w)));
      }
    }
  }
}
