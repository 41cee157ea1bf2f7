package dev.billingsdk.spi;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.GrantCategory;
import java.util.List;
import java.util.Optional;

/**
 * The storage SPI of account reads a finance screen needs: the categories an account has ever held
 * and the account a host key names. Part of every {@link BillingStore}; {@code AccountReadsTck} in
 * {@code billing-tck} pins the rules.
 */
public interface AccountReads {

  /**
   * The category of every grant the account has ever had (spent, voided and expired ones included),
   * each once, ordered by the creation sequence of the account's first grant in it; empty if the
   * account does not exist or has no grants. A database store answers from the account's grant
   * index and returns only the categories, never the grants.
   */
  List<GrantCategory> grantCategories(TenantId tenant, AccountId account);

  /**
   * The account of the tenant whose {@link Account#externalKey() external key} is exactly {@code
   * externalKey} (compared code unit by code unit: case, accents and white space count), if any.
   * {@link BillingStore#insertAccountIfAbsent} keeps keys unique per tenant. A database store
   * answers from a unique index on (tenant, external key); it never scans the tenant's accounts.
   */
  Optional<Account> findAccountByKey(TenantId tenant, String externalKey);
}
