package dev.billingsdk.spi;

/** What a store did with one usage event of an ingest batch. */
public sealed interface IngestOutcome {

  /** Stored now, with its sequence. */
  record Inserted(StoredUsageEvent stored) implements IngestOutcome {}

  /**
   * Not stored: an event with this id and an equal fingerprint exists (stored before, or earlier in
   * the same batch).
   */
  record Duplicate(StoredUsageEvent existing) implements IngestOutcome {}

  /** Not stored: an event with this id and a different fingerprint exists. */
  record Conflict(StoredUsageEvent existing, StoredUsageEvent refused) implements IngestOutcome {}
}
