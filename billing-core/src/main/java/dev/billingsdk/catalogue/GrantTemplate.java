package dev.billingsdk.catalogue;

import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.Scope;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The terms of the grants a purchase makes: their priority, how long they stay valid after the
 * purchase is paid, and what they may pay for. The amount, category and cost basis come from the
 * item and the payment.
 *
 * @param priority 1 to 100, lower pays first ({@link GrantRequest#DEFAULT_PRIORITY} by default)
 * @param validity how long the credits stay usable after payment, in calendar terms (months and
 *     years count in UTC from the moment of payment, and a month from 31 January ends on the last
 *     day of February); empty means they never expire
 * @param scope what the credits may pay for
 */
public record GrantTemplate(int priority, Optional<Period> validity, Scope scope) {

  /** The longest validity, as for every duration the library takes. */
  public static final Period MAX_VALIDITY = Period.ofYears(100);

  public GrantTemplate {
    if (priority < 1 || priority > 100) {
      throw new InvalidRequestException("priority", priority, "must be between 1 and 100");
    }
    InvalidRequestException.requireNonNull(validity, "validity");
    InvalidRequestException.requireNonNull(scope, "scope");
    validity.ifPresent(GrantTemplate::checkValidity);
  }

  /** Default priority, no expiry, everything in scope. */
  public static GrantTemplate standard() {
    return new GrantTemplate(GrantRequest.DEFAULT_PRIORITY, Optional.empty(), Scope.everything());
  }

  public static GrantTemplate of(int priority, Optional<Period> validity, Scope scope) {
    return new GrantTemplate(priority, validity, scope);
  }

  /** When credits granted at {@code start} expire under this template, if they do. */
  public Optional<Instant> expiryFrom(Instant start) {
    Instant from = InputContract.instant(start, "start");
    return validity.map(p -> from.atZone(ZoneOffset.UTC).plus(p).toInstant());
  }

  private static void checkValidity(Period p) {
    if (p.isNegative() || p.isZero() || p.getYears() < 0 || p.getMonths() < 0 || p.getDays() < 0) {
      throw new InvalidRequestException("validity", p, "must be positive in every part");
    }
    long months = p.toTotalMonths();
    if (months > MAX_VALIDITY.toTotalMonths()
        || (months == MAX_VALIDITY.toTotalMonths() && p.getDays() > 0)
        || p.getDays() > 36_500) {
      throw new InvalidRequestException("validity", p, "must be at most " + MAX_VALIDITY);
    }
  }
}
