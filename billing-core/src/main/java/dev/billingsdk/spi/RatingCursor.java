package dev.billingsdk.spi;

import dev.billingsdk.AccountId;
import dev.billingsdk.Identifiers;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import java.time.Instant;

/**
 * How far the usage of one (tenant, account, meter) has been rated: the watermark of the periodic
 * deduction. The first ingest for the triple creates it; ingest raises {@code ingestedSequence}
 * (and draws the events' sequences from it) under the same lock; rating moves everything else
 * forward with a compare-and-set on {@code version} ({@link MeteringStore#advanceRatingCursor}).
 *
 * <p>An event is rated exactly once: in the step whose window [previous {@code ratedUntil}, next
 * {@code ratedUntil}) holds its time and whose {@code ratedSequence} covers its sequence, or, if it
 * arrived after its window was rated (a late event), in the first step whose {@code ratedSequence}
 * covers it.
 *
 * @param version 0 when created by ingest; each rating step adds one
 * @param ratedUntil usage that occurred before this instant and whose sequence is at most {@code
 *     ratedSequence} has been rated
 * @param ratedSequence see {@code ratedUntil}
 * @param ingestedSequence the highest sequence given to an event of the triple
 * @param state the rating engine's state (aggregates of open periods, running instances, carried
 *     remainder, a posting in flight): text that only the core reads; stores keep it verbatim
 */
public record RatingCursor(
    TenantId tenant,
    AccountId account,
    String meter,
    long version,
    Instant ratedUntil,
    long ratedSequence,
    long ingestedSequence,
    String state) {

  public RatingCursor {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    Identifiers.check(meter, "meter");
    InvalidRequestException.requireNonNull(ratedUntil, "ratedUntil");
    InvalidRequestException.requireNonNull(state, "state");
    InvalidRequestException.requireNoNul(state, "state");
    if (version < 0 || ratedSequence < 0 || ingestedSequence < 0) {
      throw new InvalidRequestException(
          "version", version, "version and sequences must not be negative");
    }
  }

  /** The cursor ingest creates for the first event of a triple. */
  public static RatingCursor created(
      TenantId tenant, AccountId account, String meter, Instant firstOccurredAt) {
    return new RatingCursor(tenant, account, meter, 0, firstOccurredAt, 0, 0, "");
  }

  /** The cursor after one rating step (the store keeps its own {@code ingestedSequence}). */
  public RatingCursor advanced(Instant ratedUntil, long ratedSequence, String state) {
    return new RatingCursor(
        tenant, account, meter, version + 1, ratedUntil, ratedSequence, ingestedSequence, state);
  }

  /** True when events have been ingested that no rating step has covered yet. */
  public boolean hasUnratedSequences() {
    return ingestedSequence > ratedSequence;
  }

  /** Orders cursors for paging: by tenant, account, meter. */
  public record Key(TenantId tenant, AccountId account, String meter) {
    public Key {
      InvalidRequestException.requireNonNull(tenant, "tenant");
      InvalidRequestException.requireNonNull(account, "account");
      InvalidRequestException.requireNonNull(meter, "meter");
    }
  }

  public Key key() {
    return new Key(tenant, account, meter);
  }
}
