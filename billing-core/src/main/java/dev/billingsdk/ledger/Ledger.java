package dev.billingsdk.ledger;

import dev.billingsdk.AccountId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.TenantId;
import java.util.List;
import java.util.Optional;

/** Reads of the immutable ledger. Obtain from {@code Billing}. */
public interface Ledger {

  /** Every transaction of the account, oldest first. */
  List<LedgerTransaction> transactions(TenantId tenant, AccountId account);

  Optional<LedgerTransaction> find(TenantId tenant, IdempotencyKey key);
}
