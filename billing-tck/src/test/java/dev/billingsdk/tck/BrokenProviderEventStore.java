package dev.billingsdk.tck;

import dev.billingsdk.Identifiers;
import dev.billingsdk.InputContract;
import dev.billingsdk.payment.ProviderEvent;
import dev.billingsdk.spi.ProviderEventStore;
import dev.billingsdk.spi.StoredProviderEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A provider-event store written the way hand-made ones go wrong, one mistake at a time, for {@link
 * ProviderEventKitCatchesBrokenStoresTest}. With {@link Mistake#NONE} it is a correct store under
 * one monitor.
 */
final class BrokenProviderEventStore implements ProviderEventStore {

  enum Mistake {
    NONE,
    /** A delivery again replaces the stored one, processing state and all ("upsert"). */
    OVERWRITES,
    /** Checks the event is new, then stores it, with nothing holding the two together. */
    CHECK_THEN_RECORD,
    /** Keyed by event id alone: the same id at another provider is taken to be the same event. */
    KEYED_BY_EVENT_ID,
    /** Event ids compare ignoring case (a case-insensitive collation). */
    IDS_IGNORE_CASE,
    /** The payload is cut to 65,535 bytes of UTF-8 (a MariaDB {@code TEXT} column). */
    CUTS_PAYLOAD_AT_64_KIB,
    /** Instants kept to the millisecond. */
    TIMES_TO_THE_MILLISECOND,
    /** Instants rounded to the nearest microsecond rather than truncated. */
    TIMES_ROUNDED,
    /** A later mark replaces the first ({@code UPDATE} without {@code processed_at IS NULL}). */
    MARKS_AGAIN,
    /** Checks the event is unmarked, then marks it, in two steps. */
    CHECK_THEN_MARK,
    /** Checks the outcome and instant only when the event is stored. */
    CHECKS_ONLY_STORED_EVENTS
  }

  private record Key(String provider, String eventId) {}

  private final Mistake mistake;
  private final Map<Key, StoredProviderEvent> events = new HashMap<>();

  BrokenProviderEventStore(Mistake mistake) {
    this.mistake = mistake;
  }

  private Key key(String provider, String eventId) {
    return switch (mistake) {
      case KEYED_BY_EVENT_ID -> new Key("any", eventId);
      case IDS_IGNORE_CASE -> new Key(provider, eventId.toLowerCase(Locale.ROOT));
      default -> new Key(provider, eventId);
    };
  }

  private Instant time(Instant at) {
    return switch (mistake) {
      case TIMES_TO_THE_MILLISECOND -> at.truncatedTo(ChronoUnit.MILLIS);
      case TIMES_ROUNDED -> at.plusNanos(500).truncatedTo(ChronoUnit.MICROS);
      default -> at;
    };
  }

  private ProviderEvent kept(ProviderEvent e) {
    if (mistake != Mistake.CUTS_PAYLOAD_AT_64_KIB) {
      return e;
    }
    String payload = e.payload();
    int bytes = 0;
    int end = 0;
    while (end < payload.length()) {
      int cp = payload.codePointAt(end);
      int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + n > 65_535) {
        break;
      }
      bytes += n;
      end += Character.charCount(cp);
    }
    return new ProviderEvent(
        e.provider(),
        e.eventId(),
        e.type(),
        e.kind(),
        e.createdAt(),
        e.purchaseRef(),
        e.checkoutRef(),
        e.paymentRef(),
        payload.substring(0, end));
  }

  @Override
  public boolean recordIfAbsent(ProviderEvent event, Instant receivedAt) {
    InputContract.instant(receivedAt, "receivedAt");
    StoredProviderEvent stored =
        new StoredProviderEvent(kept(event), time(receivedAt), Optional.empty(), Optional.empty());
    Key key = key(event.provider(), event.eventId());
    if (mistake == Mistake.CHECK_THEN_RECORD) {
      synchronized (this) {
        if (events.containsKey(key)) {
          return false;
        }
      }
      pause();
      synchronized (this) {
        events.put(key, stored);
        return true;
      }
    }
    synchronized (this) {
      if (mistake == Mistake.OVERWRITES) {
        events.put(key, stored);
        return true;
      }
      return events.putIfAbsent(key, stored) == null;
    }
  }

  private static void pause() {
    Thread.yield();
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public synchronized Optional<StoredProviderEvent> find(String provider, String eventId) {
    return Optional.ofNullable(events.get(key(provider, eventId)));
  }

  @Override
  public boolean markProcessed(String provider, String eventId, Instant at, String outcome) {
    Key key = key(provider, eventId);
    if (mistake != Mistake.CHECKS_ONLY_STORED_EVENTS) {
      InputContract.instant(at, "processedAt");
      Identifiers.check(outcome, "outcome");
    }
    if (mistake == Mistake.CHECK_THEN_MARK) {
      StoredProviderEvent e;
      synchronized (this) {
        e = events.get(key);
        if (e == null || e.processedAt().isPresent()) {
          return false;
        }
      }
      pause();
      synchronized (this) {
        events.put(key, marked(e, at, outcome));
        return true;
      }
    }
    synchronized (this) {
      StoredProviderEvent e = events.get(key);
      if (e == null || (e.processedAt().isPresent() && mistake != Mistake.MARKS_AGAIN)) {
        return false;
      }
      events.put(key, marked(e, at, outcome));
      return true;
    }
  }

  private StoredProviderEvent marked(StoredProviderEvent e, Instant at, String outcome) {
    return new StoredProviderEvent(
        e.event(), e.receivedAt(), Optional.of(time(at)), Optional.of(outcome));
  }
}
