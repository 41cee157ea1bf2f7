package dev.billingsdk.spi;

import dev.billingsdk.AccountId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;

/** What one write of a list will touch: its account, and the key it is made under. */
public record WriteTarget(TenantId tenant, AccountId account, IdempotencyKey key) {

  public WriteTarget {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(key, "idempotencyKey");
  }

  public static WriteTarget of(TenantId tenant, AccountId account, IdempotencyKey key) {
    return new WriteTarget(tenant, account, key);
  }
}
