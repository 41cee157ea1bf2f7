package dev.billingsdk.report;

import dev.billingsdk.InvalidRequestException;
import java.time.Instant;

/**
 * Which ledger transactions a reported figure is the exact sum over: how many, their effective
 * times and their sequence numbers. A report row is reproducible from the ledger with these.
 *
 * @param transactions how many consumption transactions (debits and reversals) contributed
 * @param firstAt the earliest effective instant among them
 * @param lastAt the latest effective instant among them
 * @param firstSequence the lowest sequence among them
 * @param lastSequence the highest sequence among them
 */
public record Provenance(
    long transactions, Instant firstAt, Instant lastAt, long firstSequence, long lastSequence) {

  public Provenance {
    if (transactions < 1) {
      throw new InvalidRequestException("transactions", transactions, "must be at least 1");
    }
    InvalidRequestException.requireNonNull(firstAt, "firstAt");
    InvalidRequestException.requireNonNull(lastAt, "lastAt");
    if (lastAt.isBefore(firstAt)) {
      throw new InvalidRequestException("lastAt", lastAt, "must not be before firstAt " + firstAt);
    }
    if (lastSequence < firstSequence) {
      throw new InvalidRequestException(
          "lastSequence", lastSequence, "must not be below firstSequence " + firstSequence);
    }
  }
}
