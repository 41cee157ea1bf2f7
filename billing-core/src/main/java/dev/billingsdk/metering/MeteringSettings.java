package dev.billingsdk.metering;

import dev.billingsdk.Actor;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Role;
import java.time.Duration;

/**
 * How metering validates usage and how the deduction rates it.
 *
 * @param prices where rating finds prices; required
 * @param deductionInterval the window of the periodic deduction (the "refresh interval"): whole
 *     minutes that divide a day evenly (1 minute to 24 hours), so windows align with days and
 *     months (UTC); required
 * @param clockSkew how far in the future a usage event's time may be (the senders' clocks drift)
 * @param lateArrival how old a usage event may be when it arrives; older events are refused
 * @param actor who the deduction's postings are recorded as
 */
public record MeteringSettings(
    PriceBook prices,
    Duration deductionInterval,
    Duration clockSkew,
    Duration lateArrival,
    Actor actor) {

  /** The clock skew unless set: 5 minutes. */
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(5);

  /** The late-arrival window unless set: 3 days. */
  public static final Duration DEFAULT_LATE_ARRIVAL = Duration.ofDays(3);

  public MeteringSettings {
    InvalidRequestException.requireNonNull(prices, "prices");
    InvalidRequestException.requireNonNull(deductionInterval, "deductionInterval");
    InputContract.duration(clockSkew, "clockSkew", false);
    InputContract.duration(lateArrival, "lateArrival", true);
    InvalidRequestException.requireNonNull(actor, "actor");
    long day = Duration.ofDays(1).toSeconds();
    long s = deductionInterval.getSeconds();
    if (deductionInterval.getNano() != 0 || s < 60 || s % 60 != 0 || s > day || day % s != 0) {
      throw new InvalidRequestException(
          "deductionInterval",
          deductionInterval,
          "must be whole minutes that divide a day evenly (1 minute to 24 hours)");
    }
  }

  /** Settings with the default skew and late-arrival window, posting as a SYSTEM actor. */
  public static MeteringSettings of(PriceBook prices, Duration deductionInterval) {
    return new MeteringSettings(
        prices,
        deductionInterval,
        DEFAULT_CLOCK_SKEW,
        DEFAULT_LATE_ARRIVAL,
        Actor.of("billing-deductions", Role.SYSTEM));
  }

  public MeteringSettings withClockSkew(Duration skew) {
    return new MeteringSettings(prices, deductionInterval, skew, lateArrival, actor);
  }

  public MeteringSettings withLateArrival(Duration late) {
    return new MeteringSettings(prices, deductionInterval, clockSkew, late, actor);
  }

  public MeteringSettings withActor(Actor actor) {
    return new MeteringSettings(prices, deductionInterval, clockSkew, lateArrival, actor);
  }
}
