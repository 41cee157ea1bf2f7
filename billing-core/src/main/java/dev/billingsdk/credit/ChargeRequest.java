package dev.billingsdk.credit;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import java.util.Map;

/** Pays a charge from the account's eligible grants, once per idempotency key. */
public record ChargeRequest(
    TenantId tenant,
    AccountId account,
    Charge charge,
    IdempotencyKey idempotencyKey,
    Actor actor,
    String reason,
    Map<String, String> references) {

  public ChargeRequest {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(charge, "charge");
    InvalidRequestException.requireNonNull(idempotencyKey, "idempotencyKey");
    InvalidRequestException.requireNonNull(actor, "actor");
    InvalidRequestException.requireText(reason, "reason");
    references = References.check(references, "references");
  }

  public static ChargeRequest of(
      TenantId tenant,
      AccountId account,
      Charge charge,
      IdempotencyKey key,
      Actor actor,
      String reason) {
    return new ChargeRequest(tenant, account, charge, key, actor, reason, Map.of());
  }

  public ChargeRequest withReferences(Map<String, String> references) {
    return new ChargeRequest(tenant, account, charge, idempotencyKey, actor, reason, references);
  }
}
