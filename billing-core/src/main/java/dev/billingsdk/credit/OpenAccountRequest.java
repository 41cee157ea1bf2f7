package dev.billingsdk.credit;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.Unit;
import java.util.Map;

/**
 * Opens an account. Opening the same account again with the same terms returns it; with other terms
 * it is an {@link dev.billingsdk.ledger.IdempotencyConflictException}.
 */
public record OpenAccountRequest(
    TenantId tenant,
    AccountId account,
    Unit unit,
    OverdraftPolicy overdraftPolicy,
    Map<String, String> metadata,
    Actor actor) {

  public OpenAccountRequest {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(unit, "unit");
    InvalidRequestException.requireNonNull(overdraftPolicy, "overdraftPolicy");
    metadata = References.check(metadata, "metadata");
    InvalidRequestException.requireNonNull(actor, "actor");
  }

  /** An account in {@code unit} that rejects overdraft (the safe default). */
  public static OpenAccountRequest of(TenantId tenant, AccountId account, Unit unit, Actor actor) {
    return new OpenAccountRequest(tenant, account, unit, OverdraftPolicy.reject(), Map.of(), actor);
  }

  public OpenAccountRequest withOverdraftPolicy(OverdraftPolicy policy) {
    return new OpenAccountRequest(tenant, account, unit, policy, metadata, actor);
  }

  public OpenAccountRequest withMetadata(Map<String, String> metadata) {
    return new OpenAccountRequest(tenant, account, unit, overdraftPolicy, metadata, actor);
  }
}
