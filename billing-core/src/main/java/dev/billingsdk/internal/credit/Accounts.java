package dev.billingsdk.internal.credit;

import dev.billingsdk.AccessPolicy;
import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Operation;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.AccountBalance;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.LowBalanceAlert;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.ledger.IdempotencyConflictException;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.money.Amount;
import dev.billingsdk.spi.AccountSnapshot;
import dev.billingsdk.spi.AlertState;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.LiveGrants;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Accounts and what is read of them: open, find, the balance with its grants, and the low-balance
 * alert. Opening is idempotent by the account id; the balance is the one read that may write (it
 * first expires the account's reservations past their time-to-live, see {@link
 * Writer#settledSnapshot}).
 */
final class Accounts {
  private final Writer w;
  private final BillingStore store;
  private final Clock clock;
  private final AccessPolicy access;
  private final Comparator<Grant> order;

  Accounts(Writer writer, AccessPolicy access) {
    this.w = writer;
    this.store = writer.store;
    this.clock = writer.clock;
    this.access = access;
    this.order = writer.order;
  }

  Account openAccount(OpenAccountRequest r) {
    InvalidRequestException.requireNonNull(r, "request");
    access.check(r.actor(), Operation.OPEN_ACCOUNT, r.tenant());
    Account wanted =
        new Account(
            r.tenant(),
            r.account(),
            r.unit(),
            r.overdraftPolicy(),
            r.metadata(),
            r.actor(),
            clock.instant(),
            r.externalKey(),
            r.holder());
    Account stored = store.insertAccountIfAbsent(wanted);
    boolean sameTerms =
        stored.unit().equals(wanted.unit())
            && stored.overdraftPolicy().equals(wanted.overdraftPolicy())
            && stored.metadata().equals(wanted.metadata())
            && stored.externalKey().equals(wanted.externalKey())
            && stored.holder().equals(wanted.holder());
    if (!sameTerms) {
      throw new IdempotencyConflictException(
          r.tenant(),
          IdempotencyKey.of("account:" + r.account()),
          TransactionId.of("account:" + r.account()));
    }
    return stored;
  }

  Optional<Account> findAccount(TenantId tenant, AccountId account) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    return store.findAccount(tenant, account);
  }

  Optional<Account> findAccountByKey(TenantId tenant, String externalKey) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InputContract.identifier(externalKey, "externalKey");
    return store.findAccountByKey(tenant, externalKey);
  }

  AccountBalance balance(TenantId tenant, AccountId account) {
    Instant now = clock.instant();
    AccountSnapshot snapshot = w.settledSnapshot(tenant, account, now);
    var unit = snapshot.account().unit();
    long available = 0;
    Map<GrantCategory, Amount> byCategory = new LinkedHashMap<>();
    // Every category ever held, zero first; read after the snapshot, so it covers the snapshot's
    // grants (grants are never deleted).
    for (GrantCategory c : store.grantCategories(tenant, account)) {
      byCategory.put(c, Amount.zero(unit));
    }
    List<GrantBalance> grants = new ArrayList<>(snapshot.liveGrants());
    if (snapshot.liveGrants() instanceof LiveGrants listed && listed.order() == order) {
      for (int i = 0; i < grants.size(); i++) {
        grants.set(i, listed.inOrder(i));
      }
    } else {
      grants.sort(Comparator.comparing(GrantBalance::grant, order));
    }
    for (GrantBalance g : grants) {
      if (g.isAvailableAt(now)) {
        available = Math.addExact(available, g.remaining().minor());
        byCategory.merge(g.grant().category(), g.remaining(), Amount::plus);
      }
    }
    return new AccountBalance(
        snapshot.account(),
        now,
        Writer.totalOf(snapshot),
        Amount.ofMinor(unit, available),
        snapshot.reserved(),
        snapshot.overdraft().negate(),
        byCategory,
        grants);
  }

  List<GrantBalance> grants(TenantId tenant, AccountId account) {
    w.requireAccount(tenant, account);
    return store.grants(tenant, account);
  }

  Optional<GrantBalance> findGrant(TenantId tenant, GrantId grant) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(grant, "grant");
    return store.findGrant(tenant, grant);
  }

  void configureLowBalanceAlert(
      TenantId tenant, AccountId account, Optional<LowBalanceAlert> alert, Actor actor) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(alert, "alert");
    InvalidRequestException.requireNonNull(actor, "actor");
    access.check(actor, Operation.CONFIGURE_ALERTS, tenant);
    configureAuthorised(tenant, account, alert);
  }

  /** Sets the account's alert, armed; the caller has authorised the actor. */
  void configureAuthorised(TenantId tenant, AccountId account, Optional<LowBalanceAlert> alert) {
    w.updateAlert(
        tenant,
        account,
        snapshot -> {
          alert.ifPresent(a -> Writer.requireUnit(snapshot.account(), a.threshold()));
          return alert.map(a -> new AlertState(a, false));
        });
  }
}
