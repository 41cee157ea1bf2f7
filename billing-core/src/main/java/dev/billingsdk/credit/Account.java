package dev.billingsdk.credit;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.Unit;
import dev.billingsdk.money.UnitMismatchException;
import java.time.Instant;
import java.util.Map;

/**
 * A billable wallet inside a tenant. Every amount on the account (grants, charges, overdraft) is in
 * its one {@code unit}; anything else is a {@link UnitMismatchException}.
 */
public record Account(
    TenantId tenant,
    AccountId id,
    Unit unit,
    OverdraftPolicy overdraftPolicy,
    Map<String, String> metadata,
    Actor openedBy,
    Instant openedAt) {

  public Account {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(id, "account");
    InvalidRequestException.requireNonNull(unit, "unit");
    InvalidRequestException.requireNonNull(overdraftPolicy, "overdraftPolicy");
    InvalidRequestException.requireNonNull(metadata, "metadata");
    InvalidRequestException.requireNonNull(openedBy, "actor");
    InvalidRequestException.requireNonNull(openedAt, "openedAt");
    if (overdraftPolicy instanceof OverdraftPolicy.Limit limit
        && !limit.limit().unit().equals(unit)) {
      throw new UnitMismatchException(unit, limit.limit().unit());
    }
    metadata = References.check(metadata, "metadata");
  }
}
