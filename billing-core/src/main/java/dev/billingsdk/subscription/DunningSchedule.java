package dev.billingsdk.subscription;

import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import java.time.Duration;
import java.util.List;

/**
 * When a period's payment is tried again after it failed, counted from the period's start (the end
 * of the paid periods): {@code standard()} tries at the start, then 1, 3 and 7 days later, and
 * cancels the subscription after the last failure. An empty schedule cancels at the first failure.
 * Offsets are positive and increasing, at most {@value #MAX_RETRIES}.
 */
public record DunningSchedule(List<Duration> retries) {

  /** The most retries a schedule holds. */
  public static final int MAX_RETRIES = 20;

  public DunningSchedule {
    InvalidRequestException.requireNonNull(retries, "retries");
    if (retries.size() > MAX_RETRIES) {
      throw new InvalidRequestException(
          "retries", retries.size(), "must be at most " + MAX_RETRIES);
    }
    Duration before = Duration.ZERO;
    for (Duration d : retries) {
      InputContract.duration(d, "retries", true);
      if (d.compareTo(before) <= 0) {
        throw new InvalidRequestException(
            "retries", d, "must be positive and each later than the one before (" + before + ")");
      }
      before = d;
    }
    retries = List.copyOf(retries);
  }

  public static DunningSchedule of(Duration... retries) {
    return new DunningSchedule(List.of(retries));
  }

  /** Retries 1, 3 and 7 days after the period's start. */
  public static DunningSchedule standard() {
    return of(Duration.ofDays(1), Duration.ofDays(3), Duration.ofDays(7));
  }
}
