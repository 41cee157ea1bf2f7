package dev.billingsdk.credit;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.Unit;
import java.util.Map;
import java.util.Optional;

/**
 * Opens an account. Opening the same account again with the same terms returns it; with other terms
 * it is an {@link dev.billingsdk.ledger.IdempotencyConflictException}.
 *
 * @param externalKey the host's own key for the account, an identifier ({@link
 *     InputContract#identifier}) unique within the tenant; opening an account with a key another
 *     account of the tenant holds is an {@link InvalidRequestException} naming {@code externalKey}
 */
public record OpenAccountRequest(
    TenantId tenant,
    AccountId account,
    Unit unit,
    OverdraftPolicy overdraftPolicy,
    Map<String, String> metadata,
    Actor actor,
    Optional<String> externalKey) {

  public OpenAccountRequest {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(unit, "unit");
    InvalidRequestException.requireNonNull(overdraftPolicy, "overdraftPolicy");
    metadata = References.check(metadata, "metadata");
    InvalidRequestException.requireNonNull(actor, "actor");
    InvalidRequestException.requireNonNull(externalKey, "externalKey");
    externalKey.ifPresent(k -> InputContract.identifier(k, "externalKey"));
  }

  /** A request without an external key. */
  public OpenAccountRequest(
      TenantId tenant,
      AccountId account,
      Unit unit,
      OverdraftPolicy overdraftPolicy,
      Map<String, String> metadata,
      Actor actor) {
    this(tenant, account, unit, overdraftPolicy, metadata, actor, Optional.empty());
  }

  /** An account in {@code unit} that rejects overdraft (the safe default). */
  public static OpenAccountRequest of(TenantId tenant, AccountId account, Unit unit, Actor actor) {
    return new OpenAccountRequest(tenant, account, unit, OverdraftPolicy.reject(), Map.of(), actor);
  }

  public OpenAccountRequest withOverdraftPolicy(OverdraftPolicy policy) {
    return new OpenAccountRequest(tenant, account, unit, policy, metadata, actor, externalKey);
  }

  public OpenAccountRequest withMetadata(Map<String, String> metadata) {
    return new OpenAccountRequest(
        tenant, account, unit, overdraftPolicy, metadata, actor, externalKey);
  }

  /** The same request with the host's key for the account (see {@link Account#externalKey()}). */
  public OpenAccountRequest withExternalKey(String externalKey) {
    return new OpenAccountRequest(
        tenant,
        account,
        unit,
        overdraftPolicy,
        metadata,
        actor,
        Optional.of(InputContract.identifier(externalKey, "externalKey")));
  }
}
