package dev.billingsdk.credit;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.Unit;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Opens an account. Opening the same account again with the same terms returns it; with other terms
 * it is an {@link dev.billingsdk.ledger.IdempotencyConflictException}. Build with {@link #builder}:
 * the actor is required; the overdraft policy defaults to {@link OverdraftPolicy#reject()} (the
 * safe default), metadata to none, and there is no external key unless one is given.
 */
public final class OpenAccountRequest {
  private final TenantId tenant;
  private final AccountId account;
  private final Unit unit;
  private final OverdraftPolicy overdraftPolicy;
  private final Map<String, String> metadata;
  private final Actor actor;
  private final Optional<String> externalKey;
  private final Optional<String> holder;

  private OpenAccountRequest(Builder b) {
    this.tenant = b.tenant;
    this.account = b.account;
    this.unit = b.unit;
    this.overdraftPolicy = b.overdraftPolicy;
    this.metadata = b.metadata;
    this.actor = SetOnce.required(b.actor, "actor");
    this.externalKey = b.externalKey;
    this.holder = b.holder;
  }

  /** A builder for an account in {@code unit}. */
  public static Builder builder(TenantId tenant, AccountId account, Unit unit) {
    return new Builder(tenant, account, unit);
  }

  public TenantId tenant() {
    return tenant;
  }

  public AccountId account() {
    return account;
  }

  public Unit unit() {
    return unit;
  }

  public OverdraftPolicy overdraftPolicy() {
    return overdraftPolicy;
  }

  public Map<String, String> metadata() {
    return metadata;
  }

  public Actor actor() {
    return actor;
  }

  /** The host's own key for the account (see {@link Account#externalKey()}), if given. */
  public Optional<String> externalKey() {
    return externalKey;
  }

  /** Who holds the account (see {@link Account#holder()}), if given. */
  public Optional<String> holder() {
    return holder;
  }

  @Override
  public String toString() {
    return "OpenAccountRequest[tenant="
        + tenant
        + ", account="
        + account
        + ", unit="
        + unit
        + ", overdraftPolicy="
        + overdraftPolicy
        + ", actor="
        + actor
        + "]";
  }

  /** Each setter checks its value at once and may be called once. */
  public static final class Builder {
    private final SetOnce set = new SetOnce();
    private final TenantId tenant;
    private final AccountId account;
    private final Unit unit;
    private OverdraftPolicy overdraftPolicy = OverdraftPolicy.reject();
    private Map<String, String> metadata = Map.of();
    private @Nullable Actor actor;
    private Optional<String> externalKey = Optional.empty();
    private Optional<String> holder = Optional.empty();

    private Builder(TenantId tenant, AccountId account, Unit unit) {
      this.tenant = InvalidRequestException.requireNonNull(tenant, "tenant");
      this.account = InvalidRequestException.requireNonNull(account, "account");
      this.unit = InvalidRequestException.requireNonNull(unit, "unit");
    }

    public Builder actor(Actor actor) {
      this.actor = set.set("actor", InvalidRequestException.requireNonNull(actor, "actor"));
      return this;
    }

    public Builder overdraftPolicy(OverdraftPolicy policy) {
      this.overdraftPolicy =
          set.set(
              "overdraftPolicy", InvalidRequestException.requireNonNull(policy, "overdraftPolicy"));
      return this;
    }

    public Builder metadata(Map<String, String> metadata) {
      this.metadata = set.set("metadata", References.check(metadata, "metadata"));
      return this;
    }

    /**
     * The host's own key for the account, an identifier ({@link InputContract#identifier}) unique
     * within the tenant; opening an account with a key another account of the tenant holds is an
     * {@link InvalidRequestException} naming {@code externalKey}.
     */
    public Builder externalKey(String externalKey) {
      this.externalKey =
          Optional.of(set.set("externalKey", InputContract.identifier(externalKey, "externalKey")));
      return this;
    }

    /**
     * Who holds the account: the host's id of the user (an identifier), the actor id a user reads
     * their statements with. One holder may hold several accounts.
     */
    public Builder holder(String holder) {
      this.holder = Optional.of(set.set("holder", InputContract.identifier(holder, "holder")));
      return this;
    }

    public OpenAccountRequest build() {
      return new OpenAccountRequest(this);
    }
  }
}
