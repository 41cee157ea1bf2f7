package dev.billingsdk.ledger;

import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Which of an account's transactions a history listing returns.
 *
 * @param types the types to keep; empty keeps every type
 * @param from the earliest {@code recordedAt} to keep (inclusive), if any
 * @param until the {@code recordedAt} to stop before (exclusive), if any
 */
public record TransactionFilter(
    Set<TransactionType> types, Optional<Instant> from, Optional<Instant> until) {

  public TransactionFilter {
    InvalidRequestException.requireNonNull(types, "types");
    InvalidRequestException.requireNonNull(from, "from");
    InvalidRequestException.requireNonNull(until, "until");
    from.ifPresent(i -> InputContract.instant(i, "from"));
    until.ifPresent(i -> InputContract.instant(i, "until"));
    if (from.isPresent() && until.isPresent() && !from.get().isBefore(until.get())) {
      throw new InvalidRequestException(
          "until", until.get(), "must be after from (" + from.get() + ")");
    }
    // Bounds of a range over stored (whole-microsecond) instants: rounded up, which selects exactly
    // the transactions the given bounds select (InputContract.bound). Checked as given above: two
    // bounds within one microsecond may round to one instant, an empty range, as they are on the
    // stored instants.
    from = from.map(i -> InputContract.bound(i, "from"));
    until = until.map(i -> InputContract.bound(i, "until"));
    for (TransactionType type : types) {
      InvalidRequestException.requireNonNull(type, "types");
    }
    types = types.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(types));
  }

  /** Every transaction. */
  public static TransactionFilter all() {
    return new TransactionFilter(Set.of(), Optional.empty(), Optional.empty());
  }

  /** Only these types. */
  public TransactionFilter types(TransactionType first, TransactionType... more) {
    InvalidRequestException.requireNonNull(first, "types");
    InvalidRequestException.requireNonNull(more, "types");
    TransactionType[] all = new TransactionType[more.length + 1];
    all[0] = first;
    System.arraycopy(more, 0, all, 1, more.length);
    return new TransactionFilter(EnumSet.copyOf(InputContract.distinct("types", all)), from, until);
  }

  /** Only transactions recorded in {@code [from, until)}. */
  public TransactionFilter between(Instant from, Instant until) {
    InvalidRequestException.requireNonNull(from, "from");
    InvalidRequestException.requireNonNull(until, "until");
    return new TransactionFilter(types, Optional.of(from), Optional.of(until));
  }

  /** Whether {@code t} passes the filter. Stores may use it; a database store filters in SQL. */
  public boolean accepts(LedgerTransaction t) {
    return (types.isEmpty() || types.contains(t.type()))
        && from.map(f -> !t.recordedAt().isBefore(f)).orElse(true)
        && until.map(u -> t.recordedAt().isBefore(u)).orElse(true);
  }
}
