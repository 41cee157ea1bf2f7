package dev.billingsdk.internal.credit;

import dev.billingsdk.AccessPolicy;
import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.GrantId;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.AccountBalance;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeOutcome;
import dev.billingsdk.credit.ChargeQuote;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.Credits;
import dev.billingsdk.credit.DeductRequest;
import dev.billingsdk.credit.DeductResult;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.LowBalanceAlert;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.ReversalResult;
import dev.billingsdk.credit.ReverseRequest;
import dev.billingsdk.credit.VoidGrantRequest;
import dev.billingsdk.credit.VoidResult;
import dev.billingsdk.internal.event.Observation;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The credit services behind {@link Credits}, one class per part: {@link Accounts} (open, find,
 * balance, grants, alert), {@link Grants} (grant, void), {@link Deductions} (deduct by category),
 * {@link Charges} (charge, charge a list, quote) and {@link Reversals}. Every write follows one
 * protocol ({@link Writer}): check access, look the idempotency key up, read a snapshot, decide in
 * memory, commit with the snapshot's version, publish the committed events; on a version conflict
 * read and decide again (bounded, with jittered back-off).
 */
public final class CreditService implements Credits {
  private final Accounts accounts;
  private final Grants grants;
  private final Deductions deductions;
  private final Charges charges;
  private final Reversals reversals;
  private final Clawbacks clawbacks;
  private final Observation observation;

  /**
   * @param coalescing how concurrent charges are combined into batches ({@link ChargeCoalescer}),
   *     or {@link Coalescing#OFF}
   */
  public CreditService(Writer writer, AccessPolicy access, Coalescing coalescing) {
    this.accounts = new Accounts(writer, access);
    this.grants = new Grants(writer, access);
    this.deductions = new Deductions(writer, access);
    this.charges = new Charges(writer, access, coalescing);
    this.reversals = new Reversals(writer, access);
    this.clawbacks = new Clawbacks(writer);
    this.observation = writer.observation;
  }

  /** A grant whose actor the caller has already authorised (the deduction's usage credit). */
  public GrantResult grantAuthorised(GrantRequest r) {
    return grants.grantAuthorised(r);
  }

  /**
   * Grants to one account in one transaction under one idempotency key, whose actor the caller has
   * already authorised (a paid purchase's credits and bonus).
   */
  public List<GrantResult> grantTogether(
      List<GrantRequest> parts, dev.billingsdk.ledger.TransactionType type) {
    return grants.grantTogether(parts, type);
  }

  /** The grants a grant transaction made ({@link #grantTogether}), in the order it made them. */
  public static List<GrantId> grantsMadeBy(dev.billingsdk.ledger.LedgerTransaction t) {
    return Grants.grantIdsOf(t);
  }

  /**
   * Takes credit back because its money was refunded (see {@link Clawbacks}); the caller has
   * authorised the actor.
   */
  public Clawbacks.Result clawBack(
      TenantId tenant,
      AccountId account,
      dev.billingsdk.IdempotencyKey key,
      List<GrantId> first,
      dev.billingsdk.money.Amount amount,
      Actor actor,
      String reason,
      String forRef) {
    return clawbacks.clawBack(tenant, account, key, first, amount, actor, reason, forRef);
  }

  /** A charge whose actor the caller has already authorised (the deduction's usage debit). */
  public ChargeResult chargeAuthorised(ChargeRequest r) {
    try {
      return charges.chargeAuthorised(r);
    } catch (RuntimeException refused) {
      throw refused(r, refused);
    }
  }

  /**
   * Charges whose actors the caller has already authorised, as {@code chargeAll} charges them (the
   * deduction's usage debits of a round).
   */
  public List<ChargeOutcome> chargeAllAuthorised(List<ChargeRequest> requests) {
    try {
      return refusals(requests, charges.chargeAllAuthorised(requests));
    } catch (RuntimeException refused) {
      throw refused(requests, refused);
    }
  }

  @Override
  public Account openAccount(OpenAccountRequest request) {
    return accounts.openAccount(request);
  }

  @Override
  public Optional<Account> findAccount(TenantId tenant, AccountId account) {
    return accounts.findAccount(tenant, account);
  }

  @Override
  public Optional<Account> findAccountByKey(TenantId tenant, String externalKey) {
    return accounts.findAccountByKey(tenant, externalKey);
  }

  @Override
  public GrantResult grant(GrantRequest request) {
    return grants.grant(request);
  }

  @Override
  public ChargeResult charge(ChargeRequest request) {
    try {
      return charges.charge(request);
    } catch (RuntimeException refused) {
      throw refused(request, refused);
    }
  }

  @Override
  public List<ChargeOutcome> chargeAll(List<ChargeRequest> requests) {
    try {
      return refusals(requests, charges.chargeAll(requests));
    } catch (RuntimeException refused) {
      throw refused(requests, refused);
    }
  }

  // ---------------------------------------------------------------- observed refusals

  /** Tells the observer that {@code request} was refused; returns the refusal to throw on. */
  private RuntimeException refused(@Nullable ChargeRequest request, RuntimeException refusal) {
    observation.chargeRefused(request == null ? null : request.tenant(), refusal);
    return refusal;
  }

  /** A list refused as a whole: every request of it was refused. */
  private RuntimeException refused(@Nullable List<ChargeRequest> requests, RuntimeException e) {
    if (requests == null || requests.isEmpty()) {
      observation.chargeRefused(null, e);
    } else {
      for (ChargeRequest r : requests) {
        refused(r, e);
      }
    }
    return e;
  }

  /** Tells the observer of each refused outcome of a list; returns the outcomes. */
  private List<ChargeOutcome> refusals(List<ChargeRequest> requests, List<ChargeOutcome> outcomes) {
    if (observation.active()) {
      for (int i = 0; i < outcomes.size(); i++) {
        if (outcomes.get(i) instanceof ChargeOutcome.Refused r) {
          observation.chargeRefused(requests.get(i).tenant(), r.reason());
        }
      }
    }
    return outcomes;
  }

  @Override
  public ChargeQuote quote(TenantId tenant, AccountId account, Charge charge) {
    return charges.quote(tenant, account, charge);
  }

  @Override
  public VoidResult voidGrant(VoidGrantRequest request) {
    return grants.voidGrant(request);
  }

  @Override
  public DeductResult deduct(DeductRequest request) {
    return deductions.deduct(request);
  }

  @Override
  public ReversalResult reverse(ReverseRequest request) {
    return reversals.reverse(request);
  }

  @Override
  public void configureLowBalanceAlert(
      TenantId tenant, AccountId account, Optional<LowBalanceAlert> alert, Actor actor) {
    accounts.configureLowBalanceAlert(tenant, account, alert, actor);
  }

  /**
   * Sets the account's low-balance alert, armed, for a service that authorised its own operation
   * (an auto-top-up rule's trigger).
   */
  public void configureAlertAuthorised(
      TenantId tenant, AccountId account, Optional<LowBalanceAlert> alert) {
    accounts.configureAuthorised(tenant, account, alert);
  }

  @Override
  public AccountBalance balance(TenantId tenant, AccountId account) {
    return accounts.balance(tenant, account);
  }

  @Override
  public List<GrantBalance> grants(TenantId tenant, AccountId account) {
    return accounts.grants(tenant, account);
  }

  @Override
  public Optional<GrantBalance> findGrant(TenantId tenant, GrantId grant) {
    return accounts.findGrant(tenant, grant);
  }
}
