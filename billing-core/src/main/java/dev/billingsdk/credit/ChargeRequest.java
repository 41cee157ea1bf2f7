package dev.billingsdk.credit;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import java.util.Map;

/**
 * Pays a charge from the account's eligible grants, once per idempotency key. Build with {@link
 * #builder}: the idempotency key, actor and reason are required; references are optional.
 */
public final class ChargeRequest {
  private final TenantId tenant;
  private final AccountId account;
  private final Charge charge;
  private final IdempotencyKey idempotencyKey;
  private final Actor actor;
  private final String reason;
  private final Map<String, String> references;

  private ChargeRequest(Builder b) {
    this.tenant = b.tenant;
    this.account = b.account;
    this.charge = b.charge;
    this.idempotencyKey = b.requiredIdempotencyKey();
    this.actor = b.requiredActor();
    this.reason = b.requiredReason();
    this.references = b.references;
  }

  /** A builder for a charge of {@code charge} to {@code account}. */
  public static Builder builder(TenantId tenant, AccountId account, Charge charge) {
    return new Builder(tenant, account, charge);
  }

  public TenantId tenant() {
    return tenant;
  }

  public AccountId account() {
    return account;
  }

  public Charge charge() {
    return charge;
  }

  public IdempotencyKey idempotencyKey() {
    return idempotencyKey;
  }

  public Actor actor() {
    return actor;
  }

  public String reason() {
    return reason;
  }

  /** The host's references (order id, request id ...), recorded on the ledger transaction. */
  public Map<String, String> references() {
    return references;
  }

  @Override
  public String toString() {
    return "ChargeRequest[tenant="
        + tenant
        + ", account="
        + account
        + ", charge="
        + charge
        + ", idempotencyKey="
        + idempotencyKey
        + ", actor="
        + actor
        + "]";
  }

  /** Each setter checks its value at once and may be called once. */
  public static final class Builder extends AuditedBuilder<Builder> {
    private final TenantId tenant;
    private final AccountId account;
    private final Charge charge;
    private Map<String, String> references = Map.of();

    private Builder(TenantId tenant, AccountId account, Charge charge) {
      this.tenant = InvalidRequestException.requireNonNull(tenant, "tenant");
      this.account = InvalidRequestException.requireNonNull(account, "account");
      this.charge = InvalidRequestException.requireNonNull(charge, "charge");
    }

    public Builder references(Map<String, String> references) {
      this.references = set.set("references", References.check(references, "references"));
      return this;
    }

    @Override
    Builder self() {
      return this;
    }

    public ChargeRequest build() {
      return new ChargeRequest(this);
    }
  }
}
