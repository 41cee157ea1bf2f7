package dev.billingsdk.metering;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import java.time.Instant;
import java.util.List;

/**
 * What a deduction run did (or, dry, would do).
 *
 * @param ratedUntil the end of the last window due at {@code at}: usage before it is rated
 * @param postings every step, in the order taken
 * @param failures the (account, meter) pairs that could not be rated or posted this run, with why;
 *     their usage stays unrated (nothing is lost) and the next run tries again
 */
public record DeductionReport(
    Instant at,
    Instant ratedUntil,
    boolean dryRun,
    List<DeductionPosting> postings,
    List<Failure> failures) {

  public DeductionReport {
    postings = List.copyOf(postings);
    failures = List.copyOf(failures);
  }

  /** One (account, meter) the run could not finish. */
  public record Failure(
      TenantId tenant, AccountId account, String meter, String reason, RuntimeException cause) {}
}
