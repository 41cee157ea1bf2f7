package dev.billingsdk.internal.metering;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.AccountNotFoundException;
import dev.billingsdk.spi.BillingStore;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The accounts the deduction has read, remembered across its runs. The deduction takes only an
 * account's identity and unit from it, neither of which ever changes, and accounts are never
 * deleted, so each account is read once, not once a run. Bounded as ingest's known accounts are:
 * past the bound, accounts are read every run.
 */
final class KnownAccounts {
  static final int LIMIT = 100_000;

  private final BillingStore store;
  private final ConcurrentHashMap<String, Account> known = new ConcurrentHashMap<>();

  KnownAccounts(BillingStore store) {
    this.store = store;
  }

  /**
   * The account, read from the store the first time.
   *
   * @throws AccountNotFoundException if the store has no such account
   */
  Account of(TenantId tenant, AccountId account) {
    String key = tenant.value() + "\u0000" + account.value();
    Account a = known.get(key);
    if (a != null) {
      return a;
    }
    Account read =
        store
            .findAccount(tenant, account)
            .orElseThrow(() -> new AccountNotFoundException(tenant, account));
    if (known.size() < LIMIT) {
      known.putIfAbsent(key, read);
    }
    return read;
  }
}
