package dev.billingsdk.ledger;

import dev.billingsdk.BillingException;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.TenantId;

/**
 * An idempotency key was used again with a different request ("exists with different fields").
 * Nothing was written; the original transaction stands.
 */
public class IdempotencyConflictException extends BillingException {
  private static final long serialVersionUID = 1L;

  private final transient TenantId tenant;
  private final transient IdempotencyKey key;
  private final transient TransactionId original;

  public IdempotencyConflictException(TenantId tenant, IdempotencyKey key, TransactionId original) {
    super(
        "idempotency key "
            + key
            + " in tenant "
            + tenant
            + " was already used for a different request (transaction "
            + original
            + ")");
    this.tenant = tenant;
    this.key = key;
    this.original = original;
  }

  public TenantId tenant() {
    return tenant;
  }

  public IdempotencyKey key() {
    return key;
  }

  public TransactionId original() {
    return original;
  }
}
