package dev.billingsdk.credit;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.Unit;
import dev.billingsdk.money.UnitMismatchException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A billable wallet inside a tenant. Every amount on the account (grants, charges, overdraft) is in
 * its one {@code unit}; anything else is a {@link UnitMismatchException}.
 *
 * @param externalKey the host's own key for the account (a customer number, an e-mail address), an
 *     identifier ({@link InputContract#identifier}) unique within the tenant, found with {@link
 *     Credits#findAccountByKey}
 */
public record Account(
    TenantId tenant,
    AccountId id,
    Unit unit,
    OverdraftPolicy overdraftPolicy,
    Map<String, String> metadata,
    Actor openedBy,
    Instant openedAt,
    Optional<String> externalKey,
    Optional<String> holder) {

  public Account {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(id, "account");
    InvalidRequestException.requireNonNull(unit, "unit");
    InvalidRequestException.requireNonNull(overdraftPolicy, "overdraftPolicy");
    InvalidRequestException.requireNonNull(metadata, "metadata");
    InvalidRequestException.requireNonNull(openedBy, "actor");
    openedAt = InputContract.instant(openedAt, "openedAt");
    if (overdraftPolicy instanceof OverdraftPolicy.Limit limit
        && !limit.limit().unit().equals(unit)) {
      throw new UnitMismatchException(unit, limit.limit().unit());
    }
    metadata = References.check(metadata, "metadata");
    InvalidRequestException.requireNonNull(externalKey, "externalKey");
    externalKey.ifPresent(k -> InputContract.identifier(k, "externalKey"));
    InvalidRequestException.requireNonNull(holder, "holder");
    holder.ifPresent(h -> InputContract.identifier(h, "holder"));
  }

  /** An account without a holder. */
  public Account(
      TenantId tenant,
      AccountId id,
      Unit unit,
      OverdraftPolicy overdraftPolicy,
      Map<String, String> metadata,
      Actor openedBy,
      Instant openedAt,
      Optional<String> externalKey) {
    this(
        tenant,
        id,
        unit,
        overdraftPolicy,
        metadata,
        openedBy,
        openedAt,
        externalKey,
        Optional.empty());
  }

  /** An account without an external key or holder. */
  public Account(
      TenantId tenant,
      AccountId id,
      Unit unit,
      OverdraftPolicy overdraftPolicy,
      Map<String, String> metadata,
      Actor openedBy,
      Instant openedAt) {
    this(
        tenant,
        id,
        unit,
        overdraftPolicy,
        metadata,
        openedBy,
        openedAt,
        Optional.empty(),
        Optional.empty());
  }
}
