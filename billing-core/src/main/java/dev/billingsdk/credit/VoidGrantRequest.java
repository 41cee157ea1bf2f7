package dev.billingsdk.credit;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;

/** Voids a grant: its unused remainder leaves the account; what was consumed stays consumed. */
public record VoidGrantRequest(
    TenantId tenant,
    AccountId account,
    GrantId grant,
    IdempotencyKey idempotencyKey,
    Actor actor,
    String reason) {

  public VoidGrantRequest {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(grant, "grant");
    InvalidRequestException.requireNonNull(idempotencyKey, "idempotencyKey");
    InvalidRequestException.requireNonNull(actor, "actor");
    InvalidRequestException.requireText(reason, "reason");
  }
}
