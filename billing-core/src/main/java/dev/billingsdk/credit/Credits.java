package dev.billingsdk.credit;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.GrantId;
import dev.billingsdk.TenantId;
import java.util.List;
import java.util.Optional;

/** Accounts, grants and charges: the credit side of the library. Obtain from {@code Billing}. */
public interface Credits {

  /** Opens an account, or returns the same account opened before with the same terms. */
  Account openAccount(OpenAccountRequest request);

  Optional<Account> findAccount(TenantId tenant, AccountId account);

  /**
   * The account of the tenant whose {@link Account#externalKey() external key} is exactly {@code
   * externalKey} (case and every character count), if any. Keys are unique per tenant; a database
   * store answers from an index, never by scanning the tenant's accounts.
   *
   * @throws dev.billingsdk.InvalidRequestException if the tenant is null or the key is not an
   *     identifier (the refusal names {@code externalKey})
   */
  Optional<Account> findAccountByKey(TenantId tenant, String externalKey);

  /** Writes a grant and the transaction that issues its credits. */
  GrantResult grant(GrantRequest request);

  /** Pays a charge from eligible grants in the grant order, within the overdraft policy. */
  ChargeResult charge(ChargeRequest request);

  /** The most requests one {@link #chargeAll} call takes. */
  int MAX_BATCH = 1000;

  /**
   * Charges many requests with as few store commits as possible (one when nothing races it), with
   * the same ledger result as calling {@link #charge} for each request in list order: requests for
   * the same account are decided in list order against the balances the earlier ones leave, in the
   * grant order and under the overdraft policy, with the same postings, low-balance alerts and
   * events. An idempotency key used earlier (before or in the same list) with the same request is
   * answered as a replay, with a different request as a conflict; nothing is charged twice.
   *
   * <p>A refusal of one request (insufficient credit, idempotency conflict, unknown account, unit
   * mismatch) is that request's {@link ChargeOutcome.Refused} and does not stop the others.
   *
   * @return one outcome per request, in request order
   * @throws dev.billingsdk.InvalidRequestException if the list or one of its elements is null, or
   *     the list holds more than {@link #MAX_BATCH} requests; nothing is written
   * @throws dev.billingsdk.AccessDeniedException if the access policy refuses any request's actor;
   *     nothing is written
   * @throws dev.billingsdk.spi.StoreFailureException if the store fails; requests committed before
   *     the failure replay when the same list is sent again
   */
  List<ChargeOutcome> chargeAll(List<ChargeRequest> requests);

  /**
   * What {@link #charge} would do now, without charging. Like every read of the account, it first
   * expires the reservations past their time-to-live (as the charge would), so the two agree.
   */
  ChargeQuote quote(TenantId tenant, AccountId account, Charge charge);

  /** Voids a grant; its unused remainder leaves the account. */
  VoidResult voidGrant(VoidGrantRequest request);

  /**
   * Takes credit out of the account's grants of one category (seed 000's "deduct by category"): an
   * administrator's MANUAL_ADJUSTMENT that takes from the category's available grants in the grant
   * order and moves the credit to VOIDED, so it is neither consumption nor revenue. Other
   * categories and the overdraft are never touched. The statement shows it as a {@code DEDUCTION}
   * line and a {@link dev.billingsdk.event.CreditsDeducted} event is published.
   *
   * @throws InsufficientCreditException if the category's available credit is less than the amount;
   *     nothing is written
   * @throws dev.billingsdk.AccessDeniedException unless the actor may {@code DEDUCT_CREDITS}
   */
  DeductResult deduct(DeductRequest request);

  /**
   * Reverses a debit in whole or in part: the credit goes back to the grants it came from, last
   * taken first. Never more than the debit took, over all its reversals together.
   *
   * @throws ReversalLimitExceededException if the amount exceeds what is left to reverse
   */
  ReversalResult reverse(ReverseRequest request);

  /**
   * Sets the account's low-balance alert, armed; empty removes it. The alert is evaluated on every
   * write to the account.
   */
  void configureLowBalanceAlert(
      TenantId tenant, AccountId account, Optional<LowBalanceAlert> alert, Actor actor);

  /**
   * The account's balances now (expiring its reservations past their time-to-live first). {@link
   * AccountBalance#availableByCategory()} lists every category the account has ever held, with zero
   * where nothing is available.
   */
  AccountBalance balance(TenantId tenant, AccountId account);

  /** Every grant of the account with its balance, spent and voided ones included. */
  List<GrantBalance> grants(TenantId tenant, AccountId account);

  /**
   * One grant of the tenant with its balance (spent, voided and expired ones included), if the
   * tenant has a grant with this id.
   *
   * @throws dev.billingsdk.InvalidRequestException if the tenant or grant is null
   */
  Optional<GrantBalance> findGrant(TenantId tenant, GrantId grant);
}
