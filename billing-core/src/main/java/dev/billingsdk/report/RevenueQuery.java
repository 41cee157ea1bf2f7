package dev.billingsdk.report;

import dev.billingsdk.Actor;
import dev.billingsdk.BuilderRules;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Which months of a tenant a revenue report covers, in which time zone the months begin and end (no
 * default: a month in UTC and a month in Tokyo are different ledgers' worth of transactions), how
 * the one rounding per reported total is done, and who asks.
 *
 * @param first the first month reported
 * @param last the last month reported (inclusive), at most {@link #MAX_MONTHS} after {@code first}
 */
public record RevenueQuery(
    TenantId tenant,
    YearMonth first,
    YearMonth last,
    ZoneId zone,
    RoundingMode rounding,
    Actor actor) {

  /** The most months one query covers. */
  public static final int MAX_MONTHS = 120;

  public RevenueQuery {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(first, "first");
    InvalidRequestException.requireNonNull(last, "last");
    if (last.isBefore(first)) {
      throw new InvalidRequestException("last", last, "must not be before first " + first);
    }
    if (first.plusMonths(MAX_MONTHS).compareTo(last) <= 0) {
      throw new InvalidRequestException(
          "last", last, "must be less than " + MAX_MONTHS + " months after first " + first);
    }
    InvalidRequestException.requireNonNull(zone, "zone");
    InvalidRequestException.requireNonNull(rounding, "rounding");
    if (rounding == RoundingMode.UNNECESSARY) {
      throw new InvalidRequestException(
          "rounding", rounding, "cannot round sub-cent revenue; name a rounding mode");
    }
    InvalidRequestException.requireNonNull(actor, "actor");
  }

  /** A query of one month. */
  public static RevenueQuery month(
      TenantId tenant, YearMonth month, ZoneId zone, RoundingMode rounding, Actor actor) {
    return new RevenueQuery(tenant, month, month, zone, rounding, actor);
  }

  public static Builder builder(TenantId tenant, Actor actor) {
    return new Builder(tenant, actor);
  }

  /** The months covered, in order. */
  public List<YearMonth> months() {
    List<YearMonth> out = new ArrayList<>();
    for (YearMonth m = first; !m.isAfter(last); m = m.plusMonths(1)) {
      out.add(m);
    }
    return out;
  }

  /** The first instant of {@code month} in {@code zone}. */
  public static Instant start(YearMonth month, ZoneId zone) {
    return month.atDay(1).atStartOfDay(zone).toInstant();
  }

  /** Builds a query; each setter once. */
  public static final class Builder {
    private final TenantId tenant;
    private final Actor actor;
    private @Nullable YearMonth first;
    private @Nullable YearMonth last;
    private @Nullable ZoneId zone;
    private @Nullable RoundingMode rounding;

    private Builder(TenantId tenant, Actor actor) {
      this.tenant = InvalidRequestException.requireNonNull(tenant, "tenant");
      this.actor = InvalidRequestException.requireNonNull(actor, "actor");
    }

    /** The months from {@code first} to {@code last}, both included. */
    public Builder months(YearMonth first, YearMonth last) {
      this.first = BuilderRules.once("first", this.first, first);
      this.last = BuilderRules.once("last", this.last, last);
      return this;
    }

    public Builder month(YearMonth month) {
      return months(month, month);
    }

    public Builder zone(ZoneId zone) {
      this.zone = BuilderRules.once("zone", this.zone, zone);
      return this;
    }

    public Builder rounding(RoundingMode rounding) {
      this.rounding = BuilderRules.once("rounding", this.rounding, rounding);
      return this;
    }

    public RevenueQuery build() {
      return new RevenueQuery(
          tenant,
          BuilderRules.required(first, "months"),
          BuilderRules.required(last, "months"),
          BuilderRules.required(zone, "zone"),
          BuilderRules.required(rounding, "rounding"),
          actor);
    }
  }
}
