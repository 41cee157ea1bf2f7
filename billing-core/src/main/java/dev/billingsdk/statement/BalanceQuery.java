package dev.billingsdk.statement;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.BuilderRules;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import java.time.YearMonth;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Which rows the account-balances table shows (seed 002): per account and month in {@code [from,
 * to]}, the accounts of a holder, one account, or (for finance) the tenant's, a page of accounts at
 * a time in id order. Build with {@link #builder}; each setter checks its value at once and may be
 * called once.
 */
public final class BalanceQuery {
  /** The most months one query covers. */
  public static final int MAX_MONTHS = 36;

  /** The most accounts one page covers. */
  public static final int MAX_ACCOUNTS = 200;

  private final TenantId tenant;
  private final Actor viewer;
  private final YearMonth from;
  private final YearMonth to;
  private final Optional<String> holder;
  private final Optional<AccountId> account;
  private final Optional<AccountId> after;
  private final int limit;

  private BalanceQuery(Builder b) {
    this.tenant = b.tenant;
    this.viewer = b.viewer;
    this.from = b.from;
    this.to = b.to;
    this.holder = Optional.ofNullable(b.holder);
    this.account = Optional.ofNullable(b.account);
    this.after = Optional.ofNullable(b.after);
    this.limit = b.limit == 0 ? 50 : b.limit;
  }

  /** The balances of the months {@code from} to {@code to} (both included), as the viewer sees. */
  public static Builder builder(TenantId tenant, Actor viewer, YearMonth from, YearMonth to) {
    return new Builder(tenant, viewer, from, to);
  }

  public TenantId tenant() {
    return tenant;
  }

  public Actor viewer() {
    return viewer;
  }

  public YearMonth from() {
    return from;
  }

  public YearMonth to() {
    return to;
  }

  public Optional<String> holder() {
    return holder;
  }

  public Optional<AccountId> account() {
    return account;
  }

  /** Accounts after this id (the previous page's {@code next}). */
  public Optional<AccountId> after() {
    return after;
  }

  /** At most this many accounts (each with its months). */
  public int limit() {
    return limit;
  }

  /** Each setter checks its value at once and may be called once. */
  public static final class Builder {
    private final TenantId tenant;
    private final Actor viewer;
    private final YearMonth from;
    private final YearMonth to;
    private @Nullable String holder;
    private @Nullable AccountId account;
    private @Nullable AccountId after;
    private int limit;

    private Builder(TenantId tenant, Actor viewer, YearMonth from, YearMonth to) {
      this.tenant = InvalidRequestException.requireNonNull(tenant, "tenant");
      this.viewer = InvalidRequestException.requireNonNull(viewer, "viewer");
      this.from = InvalidRequestException.requireNonNull(from, "from");
      this.to = InvalidRequestException.requireNonNull(to, "to");
      if (to.isBefore(from)) {
        throw new InvalidRequestException("to", to, "must not be before from " + from);
      }
      if (to.isAfter(from.plusMonths(MAX_MONTHS - 1))) {
        throw new InvalidRequestException(
            "to", to, "must be within " + MAX_MONTHS + " months of " + from);
      }
    }

    public Builder holder(String holder) {
      this.holder =
          BuilderRules.once("holder", this.holder, InputContract.identifier(holder, "holder"));
      return this;
    }

    public Builder account(AccountId account) {
      this.account =
          BuilderRules.once(
              "account", this.account, InvalidRequestException.requireNonNull(account, "account"));
      return this;
    }

    public Builder after(AccountId after) {
      this.after =
          BuilderRules.once(
              "after", this.after, InvalidRequestException.requireNonNull(after, "after"));
      return this;
    }

    /**
     * At most this many accounts a page (1 to {@value BalanceQuery#MAX_ACCOUNTS}; 50 by default).
     */
    public Builder limit(int limit) {
      if (limit < 1 || limit > MAX_ACCOUNTS) {
        throw new InvalidRequestException("limit", limit, "must be 1 to " + MAX_ACCOUNTS);
      }
      if (this.limit != 0) {
        throw new InvalidRequestException("limit", limit, "was already set to " + this.limit);
      }
      this.limit = limit;
      return this;
    }

    public BalanceQuery build() {
      return new BalanceQuery(this);
    }
  }
}
