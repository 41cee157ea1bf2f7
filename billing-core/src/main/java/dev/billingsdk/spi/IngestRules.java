package dev.billingsdk.spi;

import dev.billingsdk.TenantId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * The rules every {@link MeteringStore#ingest} decides a batch by, for a store to call rather than
 * restate: each event is new, a duplicate (its id stored, or earlier in the batch, with an equal
 * fingerprint), or a conflict (the same id with another fingerprint); a batch with a conflict
 * stores nothing; new events are numbered in batch order; a duplicate of an event the same batch
 * inserts is answered with that event as stored.
 */
public final class IngestRules {
  private IngestRules() {}

  /** One usage event id in its tenant. */
  private record Id(TenantId tenant, String id) {
    static Id of(StoredUsageEvent e) {
      return new Id(e.event().tenant(), e.event().id());
    }
  }

  /**
   * Each event of {@code batch}, in order, as {@link IngestOutcome.Inserted} (not yet numbered) or
   * {@link IngestOutcome.Duplicate}; or, when any event conflicts, only the conflicts, in order
   * (then nothing may be stored: see {@link #refused}).
   *
   * @param stored the stored event under an event's id in its tenant, or null
   */
  public static List<IngestOutcome> decide(
      List<StoredUsageEvent> batch,
      BiFunction<TenantId, String, @Nullable StoredUsageEvent> stored) {
    HashMap<Id, StoredUsageEvent> seen = new HashMap<>(2 * batch.size());
    List<IngestOutcome> outcomes = new ArrayList<>(batch.size());
    List<IngestOutcome> conflicts = new ArrayList<>(0);
    for (StoredUsageEvent e : batch) {
      StoredUsageEvent existing = stored.apply(e.event().tenant(), e.event().id());
      Id id = null;
      if (existing == null) {
        id = Id.of(e);
        existing = seen.get(id);
      }
      if (existing == null) {
        seen.put(id, e);
        outcomes.add(new IngestOutcome.Inserted(e));
      } else if (existing.fingerprint().equals(e.fingerprint())) {
        outcomes.add(new IngestOutcome.Duplicate(existing));
      } else {
        conflicts.add(new IngestOutcome.Conflict(existing, e));
      }
    }
    return conflicts.isEmpty() ? outcomes : List.copyOf(conflicts);
  }

  /** Whether {@link #decide} refused the batch: its outcomes are conflicts. */
  public static boolean refused(List<IngestOutcome> decided) {
    return !decided.isEmpty() && decided.get(0) instanceof IngestOutcome.Conflict;
  }

  /**
   * The outcomes of a batch {@link #decide} accepted, with each new event as {@code store} stored
   * it (asked in batch order, with the event's position in the batch, so that it can number them in
   * that order), and each duplicate of an event of this batch answered with that event as stored.
   */
  public static List<IngestOutcome> stored(
      List<IngestOutcome> decided, BiFunction<Integer, StoredUsageEvent, StoredUsageEvent> store) {
    if (refused(decided)) {
      throw new IllegalArgumentException("a refused batch stores nothing");
    }
    // Only a duplicate of an event this batch inserts (decide answers it with that event, not yet
    // numbered) is answered from this map; a batch with none, the usual case, builds no map.
    boolean resendsWithin = false;
    for (IngestOutcome o : decided) {
      if (o instanceof IngestOutcome.Duplicate d && d.existing().sequence() == 0) {
        resendsWithin = true;
        break;
      }
    }
    HashMap<Id, StoredUsageEvent> inserted =
        resendsWithin ? new HashMap<>(2 * decided.size()) : new HashMap<>(0);
    List<IngestOutcome> results = new ArrayList<>(decided.size());
    for (int position = 0; position < decided.size(); position++) {
      IngestOutcome o = decided.get(position);
      if (o instanceof IngestOutcome.Inserted i) {
        StoredUsageEvent s = store.apply(position, i.stored());
        if (resendsWithin) {
          inserted.put(Id.of(s), s);
        }
        results.add(new IngestOutcome.Inserted(s));
      } else {
        StoredUsageEvent existing = ((IngestOutcome.Duplicate) o).existing();
        StoredUsageEvent same = resendsWithin ? inserted.get(Id.of(existing)) : null;
        results.add(new IngestOutcome.Duplicate(same != null ? same : existing));
      }
    }
    return results;
  }
}
