package dev.billingsdk.memory;

import dev.billingsdk.spi.StoredUsageEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * One (tenant, account, meter)'s stored usage events in sequence order, as a list: ingest draws
 * increasing sequences, so an event is appended, and a range of sequences is found by binary search
 * (a sorted map would cost an entry and a boxed key per event, kept as long as the store).
 */
final class SequencedEvents {
  static final SequencedEvents EMPTY = new SequencedEvents();

  private final List<StoredUsageEvent> events = new ArrayList<>();

  /** Adds an event; in sequence order, wherever it comes (ingest appends). */
  void add(StoredUsageEvent e) {
    int at = events.size();
    if (at > 0 && events.get(at - 1).sequence() >= e.sequence()) {
      at = firstAfter(e.sequence() - 1);
      if (at < events.size() && events.get(at).sequence() == e.sequence()) {
        events.set(at, e); // as a map put would
        return;
      }
    }
    events.add(at, e);
  }

  /** The events with a sequence above {@code after} and at most {@code upTo}, in order (a view). */
  List<StoredUsageEvent> range(long after, long upTo) {
    int from = firstAfter(after);
    int to = firstAfter(upTo);
    return from >= to ? List.of() : events.subList(from, to);
  }

  /** The events with a sequence at most {@code upTo}, in order (a view). */
  List<StoredUsageEvent> upTo(long upTo) {
    return events.subList(0, firstAfter(upTo));
  }

  /** The index of the first event whose sequence is above {@code sequence}. */
  private int firstAfter(long sequence) {
    int lo = 0;
    int hi = events.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (events.get(mid).sequence() <= sequence) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
