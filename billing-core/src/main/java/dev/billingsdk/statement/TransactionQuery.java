package dev.billingsdk.statement;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.BuilderRules;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Which transactions the transactions panel lists (seed 002): every account of a holder, or one
 * account, or (for finance) every account of the tenant; in a time range or one of the presets (the
 * last 24 hours, 7 or 30 days); newest first, a page at a time. Build with {@link #builder}; each
 * setter checks its value at once and may be called once.
 */
public final class TransactionQuery {
  /** The largest page. */
  public static final int MAX_LIMIT = 1_000;

  private final TenantId tenant;
  private final Actor viewer;
  private final Optional<String> holder;
  private final Optional<AccountId> account;
  private final Optional<Instant> from;
  private final Optional<Instant> until;
  private final Optional<Duration> last;
  private final Optional<String> cursor;
  private final int limit;

  private TransactionQuery(Builder b) {
    this.tenant = b.tenant;
    this.viewer = b.viewer;
    this.holder = Optional.ofNullable(b.holder);
    this.account = Optional.ofNullable(b.account);
    this.from = Optional.ofNullable(b.from);
    this.until = Optional.ofNullable(b.until);
    this.last = Optional.ofNullable(b.last);
    this.cursor = Optional.ofNullable(b.cursor);
    this.limit = b.limit;
  }

  /** A query of the tenant's transactions as {@code viewer} may see them (50 a page). */
  public static Builder builder(TenantId tenant, Actor viewer) {
    return new Builder(tenant, viewer);
  }

  public TenantId tenant() {
    return tenant;
  }

  public Actor viewer() {
    return viewer;
  }

  /** Every account this holder holds; a user's query is always their own. */
  public Optional<String> holder() {
    return holder;
  }

  public Optional<AccountId> account() {
    return account;
  }

  /** Recorded at or after this instant. */
  public Optional<Instant> from() {
    return from;
  }

  /** Recorded before this instant. */
  public Optional<Instant> until() {
    return until;
  }

  /** A preset: recorded within this long before now. */
  public Optional<Duration> last() {
    return last;
  }

  public Optional<String> cursor() {
    return cursor;
  }

  public int limit() {
    return limit;
  }

  /** Each setter checks its value at once and may be called once. */
  public static final class Builder {
    private final TenantId tenant;
    private final Actor viewer;
    private @Nullable String holder;
    private @Nullable AccountId account;
    private @Nullable Instant from;
    private @Nullable Instant until;
    private @Nullable Duration last;
    private @Nullable String cursor;
    private int limit = 50;
    private boolean limitSet;

    private Builder(TenantId tenant, Actor viewer) {
      this.tenant = InvalidRequestException.requireNonNull(tenant, "tenant");
      this.viewer = InvalidRequestException.requireNonNull(viewer, "viewer");
    }

    /** Only the accounts this holder holds. */
    public Builder holder(String holder) {
      this.holder =
          BuilderRules.once("holder", this.holder, InputContract.identifier(holder, "holder"));
      return this;
    }

    /** Only this account. */
    public Builder account(AccountId account) {
      this.account =
          BuilderRules.once(
              "account", this.account, InvalidRequestException.requireNonNull(account, "account"));
      return this;
    }

    /** Only transactions recorded in {@code [from, until)}. */
    public Builder between(Instant from, Instant until) {
      InputContract.instant(from, "from");
      InputContract.instant(until, "until");
      if (!from.isBefore(until)) {
        throw new InvalidRequestException("until", until, "must be after from " + from);
      }
      if (last != null) {
        throw new InvalidRequestException("from", from, "a preset (" + last + ") is set already");
      }
      // Kept as bounds of a range over stored (whole-microsecond) instants: rounded up, which
      // selects exactly what the given bounds select, on every store (InputContract.bound).
      this.from = BuilderRules.once("from", this.from, InputContract.bound(from, "from"));
      this.until = InputContract.bound(until, "until");
      return this;
    }

    /** The preset: the last 24 hours. */
    public Builder last24Hours() {
      return last(Duration.ofHours(24));
    }

    /** The preset: the last 7 days. */
    public Builder last7Days() {
      return last(Duration.ofDays(7));
    }

    /** The preset: the last 30 days. */
    public Builder last30Days() {
      return last(Duration.ofDays(30));
    }

    private Builder last(Duration duration) {
      if (from != null) {
        throw new InvalidRequestException(
            "last", duration, "a range from " + from + " is set already");
      }
      this.last = BuilderRules.once("last", this.last, duration);
      return this;
    }

    /** The {@code next} of the previous page. */
    public Builder cursor(String cursor) {
      this.cursor =
          BuilderRules.once(
              "cursor", this.cursor, InputContract.nonBlankText(cursor, "cursor", 200));
      return this;
    }

    /** At most this many transactions (1 to {@value TransactionQuery#MAX_LIMIT}; 50 by default). */
    public Builder limit(int limit) {
      if (limit < 1 || limit > MAX_LIMIT) {
        throw new InvalidRequestException("limit", limit, "must be 1 to " + MAX_LIMIT);
      }
      if (limitSet) {
        throw new InvalidRequestException("limit", limit, "was already set to " + this.limit);
      }
      this.limit = limit;
      this.limitSet = true;
      return this;
    }

    public TransactionQuery build() {
      return new TransactionQuery(this);
    }
  }
}
