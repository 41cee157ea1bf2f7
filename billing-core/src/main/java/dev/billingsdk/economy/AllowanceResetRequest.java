package dev.billingsdk.economy;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.BuilderRules;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.Amount;
import java.time.YearMonth;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The monthly reset of partner allowances for {@code month} (a calendar month in the settings'
 * zone): each partner's unused remainder of earlier allowances expires and the month's allowance is
 * granted. Build with {@link #builder}: at least one partner, each once.
 */
public final class AllowanceResetRequest {

  /** The most partners one request names. */
  public static final int MAX_PARTNERS = 10_000;

  private final TenantId tenant;
  private final YearMonth month;
  private final Map<AccountId, Amount> allowances;
  private final Actor actor;
  private final Optional<Boolean> dryRun;

  private AllowanceResetRequest(Builder b) {
    this.tenant = b.tenant;
    this.month = b.month;
    if (b.allowances.isEmpty()) {
      throw new InvalidRequestException(
          "allowances", "(none)", "is required: call allowance(..) for each partner");
    }
    this.allowances = Collections.unmodifiableMap(new LinkedHashMap<>(b.allowances));
    this.actor = BuilderRules.required(b.actor, "actor");
    this.dryRun = Optional.ofNullable(b.dryRun);
  }

  public static Builder builder(TenantId tenant, YearMonth month) {
    return new Builder(tenant, month);
  }

  public TenantId tenant() {
    return tenant;
  }

  public YearMonth month() {
    return month;
  }

  /** Each partner account's allowance for the month, in the order given. */
  public Map<AccountId, Amount> allowances() {
    return allowances;
  }

  public Actor actor() {
    return actor;
  }

  /**
   * Whether the caller asked for a dry run; empty leaves it to the settings' {@link
   * EconomySettings#dryRunMonthlyReset()}. A run is dry when either says so.
   */
  public Optional<Boolean> dryRun() {
    return dryRun;
  }

  @Override
  public String toString() {
    return "AllowanceResetRequest[tenant="
        + tenant
        + ", month="
        + month
        + ", partners="
        + allowances.size()
        + ", actor="
        + actor.id()
        + ", dryRun="
        + dryRun.map(String::valueOf).orElse("(settings)")
        + "]";
  }

  /** Builds an {@link AllowanceResetRequest}; each setter validates at once. */
  public static final class Builder {
    private final TenantId tenant;
    private final YearMonth month;
    private final Map<AccountId, Amount> allowances = new LinkedHashMap<>();
    private @Nullable Actor actor;
    private @Nullable Boolean dryRun;

    private Builder(TenantId tenant, YearMonth month) {
      this.tenant = InvalidRequestException.requireNonNull(tenant, "tenant");
      this.month = InvalidRequestException.requireNonNull(month, "month");
    }

    /** The allowance of one partner account: positive; each account once. */
    public Builder allowance(AccountId partner, Amount allowance) {
      InvalidRequestException.requireNonNull(partner, "partner");
      InvalidRequestException.requireNonNull(allowance, "allowance");
      if (!allowance.isPositive()) {
        throw new InvalidRequestException("allowance", allowance, "must be positive");
      }
      BuilderRules.once("allowance." + partner.value(), allowances.get(partner), allowance);
      if (allowances.size() >= MAX_PARTNERS) {
        throw new InvalidRequestException(
            "allowances", allowances.size() + 1, "at most " + MAX_PARTNERS + " partners");
      }
      allowances.put(partner, allowance);
      return this;
    }

    public Builder actor(Actor actor) {
      this.actor = BuilderRules.once("actor", this.actor, actor);
      return this;
    }

    /** Asks for a dry run (true) or a real one (false, still dry when the settings say so). */
    public Builder dryRun(boolean dryRun) {
      this.dryRun = BuilderRules.once("dryRun", this.dryRun, dryRun);
      return this;
    }

    public AllowanceResetRequest build() {
      return new AllowanceResetRequest(this);
    }
  }
}
