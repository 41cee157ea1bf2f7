package dev.billingsdk.tck;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.spi.AccountSnapshot;
import dev.billingsdk.spi.BillingStore;
import java.util.List;
import java.util.Optional;

/**
 * Everything a store holds for one account, read through the SPI: two equal states mean nothing was
 * written in between.
 */
public record StoreState(
    Optional<AccountSnapshot> snapshot,
    List<GrantBalance> grants,
    List<LedgerTransaction> transactions) {

  public static StoreState of(BillingStore store, TenantId tenant, AccountId account) {
    return new StoreState(
        store.loadAccount(tenant, account),
        store.grants(tenant, account),
        store.transactions(tenant, account));
  }
}
