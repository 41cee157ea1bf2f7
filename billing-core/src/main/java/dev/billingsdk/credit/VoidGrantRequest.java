package dev.billingsdk.credit;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;

/**
 * Voids a grant: its unused remainder leaves the account; what was consumed stays consumed. Build
 * with {@link #builder}: idempotency key, actor and reason are required.
 */
public final class VoidGrantRequest {
  private final TenantId tenant;
  private final AccountId account;
  private final GrantId grant;
  private final IdempotencyKey idempotencyKey;
  private final Actor actor;
  private final String reason;

  private VoidGrantRequest(Builder b) {
    this.tenant = b.tenant;
    this.account = b.account;
    this.grant = b.grant;
    this.idempotencyKey = b.requiredIdempotencyKey();
    this.actor = b.requiredActor();
    this.reason = b.requiredReason();
  }

  public static Builder builder(TenantId tenant, AccountId account, GrantId grant) {
    return new Builder(tenant, account, grant);
  }

  public TenantId tenant() {
    return tenant;
  }

  public AccountId account() {
    return account;
  }

  public GrantId grant() {
    return grant;
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

  @Override
  public String toString() {
    return "VoidGrantRequest[tenant="
        + tenant
        + ", account="
        + account
        + ", grant="
        + grant
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
    private final GrantId grant;

    private Builder(TenantId tenant, AccountId account, GrantId grant) {
      this.tenant = InvalidRequestException.requireNonNull(tenant, "tenant");
      this.account = InvalidRequestException.requireNonNull(account, "account");
      this.grant = InvalidRequestException.requireNonNull(grant, "grant");
    }

    @Override
    Builder self() {
      return this;
    }

    public VoidGrantRequest build() {
      return new VoidGrantRequest(this);
    }
  }
}
