package dev.billingsdk.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.billingsdk.AccessDeniedException;
import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdGenerator;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Operation;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.AccountBalance;
import dev.billingsdk.credit.Allocation;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeQuote;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.CostBasis;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.InsufficientCreditException;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.credit.VoidGrantRequest;
import dev.billingsdk.credit.VoidResult;
import dev.billingsdk.ledger.IdempotencyConflictException;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Price;
import dev.billingsdk.money.Unit;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.testing.TestClock;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The finance guide's credit economy, told as stories: a user (Ada) holds awarded (free,
 * promotional), purchased (paid at 100 credits = $1) and partner-allowance credits, and charges
 * consume them in the documented order (rule 2). Time is an injected clock; ids are sequential.
 * After every step the story checks each category's available balance, the total, and the ledger.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FinanceGuideCreditStoryTest {
  static final TenantId ACME = TenantId.of("acme");
  static final AccountId ADA = AccountId.of("user-ada");
  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 0);
  static final CurrencyUnit USD = CurrencyUnit.of("USD");
  static final Price DOLLAR_PER_100_CREDITS =
      Price.of(Amount.of(USD, "1.00"), Amount.ofMinor(CREDIT, 100));
  static final Price BULK_80_CENTS_PER_100_CREDITS =
      Price.of(Amount.of(USD, "0.80"), Amount.ofMinor(CREDIT, 100));

  static final Actor FINANCE = Actor.of("finance-fran", Role.FINANCE);
  static final Actor METER = Actor.system("usage-meter");
  static final Actor ADA_HERSELF = Actor.of("ada", Role.USER);
  static final Actor PARTNER_PAT = Actor.of("partner-pat", Role.PARTNER);

  static final Instant NEW_YEAR = Instant.parse("2025-01-01T00:00:00Z");
  static final Instant FEB_1 = Instant.parse("2025-02-01T00:00:00Z");
  static final Instant MAR_1 = Instant.parse("2025-03-01T00:00:00Z");

  TestClock clock;
  InMemoryBillingStore store;
  Billing billing;
  int keys;

  @BeforeEach
  void a_billing_on_an_in_memory_store_with_a_frozen_clock() {
    clock = new TestClock(NEW_YEAR);
    store = InMemoryBillingStore.create();
    billing = Billing.builder().store(store).clock(clock).ids(IdGenerator.sequential()).build();
  }

  // ------------------------------------------------------------------ the main story

  @Test
  void ada_spends_partner_then_awarded_then_purchased_credits_in_the_documented_order() {
    Account account = openAccount(OverdraftPolicy.reject());
    assertThat(account.openedAt()).isEqualTo(NEW_YEAR);
    assertThat(account.openedBy()).isEqualTo(FINANCE);
    assertBalances(0, 0, 0, 0);
    assertLedger();

    // Finance awards 200 free credits, priority 20, valid for two months.
    GrantResult awarded = grant(awarded(200).priority(20).expiresAt(MAR_1));
    assertThat(awarded.grant().id()).isEqualTo(GrantId.of("grt_1"));
    assertThat(awarded.transaction().id().value()).isEqualTo("txn_2");
    assertThat(awarded.replayed()).isFalse();
    assertThat(awarded.grant().effectiveFrom()).isEqualTo(NEW_YEAR);
    assertThat(postingsOf(awarded.transaction()))
        .containsExactly(tuple("ISSUED", -200L), tuple("GRANT:grt_1", 200L));
    assertBalances(200, 0, 0, 200);
    assertLedger(TransactionType.GRANT);

    // Ada buys 1000 credits for $10 through Stripe: purchased, priority 20, no expiry.
    GrantResult purchased = grant(purchased(1000).priority(20));
    assertThat(purchased.grant().costBasis()).isEqualTo(CostBasis.paid(DOLLAR_PER_100_CREDITS));
    assertBalances(200, 1000, 0, 1200);
    assertLedger(TransactionType.GRANT, TransactionType.GRANT);

    // Her partner allowance for January: 300 credits, priority 5, ends with the month.
    GrantResult january = grant(partner(300).priority(5).expiresAt(FEB_1));
    assertBalances(200, 1000, 300, 1500);
    assertLedger(TransactionType.GRANT, TransactionType.GRANT, TransactionType.GRANT);

    // An hour later: 120 credits of gpt-4o input tokens. Priority 5 pays first.
    clock.advance(Duration.ofHours(1));
    ChargeResult tokens = use("gpt-4o.input", 120);
    assertThat(tokens.transaction().id().value()).isEqualTo("txn_7");
    assertThat(tokens.transaction().type()).isEqualTo(TransactionType.USAGE_DEBIT);
    assertThat(tokens.transaction().recordedAt()).isEqualTo(NEW_YEAR.plus(Duration.ofHours(1)));
    assertThat(tokens.transaction().actor()).isEqualTo(METER);
    assertThat(tokens.transaction().references())
        .containsEntry("billing.itemCode", "gpt-4o.input")
        .containsEntry("billing.chargeKind", "USAGE")
        .containsEntry("billing.requested", "120");
    assertThat(allocations(tokens)).containsExactly(paid(january, 120));
    assertThat(tokens.charged()).isEqualTo(credits(120));
    assertThat(tokens.shortfall()).isEqualTo(credits(0));
    assertThat(postingsOf(tokens.transaction()))
        .containsExactly(tuple("GRANT:grt_5", -120L), tuple("CONSUMED", 120L));
    assertBalances(200, 1000, 180, 1380);
    assertLedger(
        TransactionType.GRANT,
        TransactionType.GRANT,
        TransactionType.GRANT,
        TransactionType.USAGE_DEBIT);

    // A day of deployment hours, 250 credits: the partner allowance runs out, awarded pays on.
    clock.advance(Duration.ofDays(1));
    ChargeResult hours = use("deployment.hours", 250);
    assertThat(allocations(hours)).containsExactly(paid(january, 180), paid(awarded, 70));
    assertThat(hours.allocations())
        .extracting(Allocation::category, Allocation::priority, Allocation::expiresAt)
        .containsExactly(
            tuple(GrantCategory.PARTNER_ALLOWANCE, 5, Optional.of(FEB_1)),
            tuple(GrantCategory.PROMOTIONAL, 20, Optional.of(MAR_1)));
    assertBalances(130, 1000, 0, 1130);
    assertLedger(
        TransactionType.GRANT,
        TransactionType.GRANT,
        TransactionType.GRANT,
        TransactionType.USAGE_DEBIT,
        TransactionType.USAGE_DEBIT);

    // The monthly support plan, a fixed fee of 200: awarded (expiring) before purchased (never).
    ChargeResult support = fee("support-plan", 200);
    assertThat(support.transaction().type()).isEqualTo(TransactionType.CHARGE);
    assertThat(allocations(support)).containsExactly(paid(awarded, 130), paid(purchased, 70));
    assertBalances(0, 930, 0, 930);
    assertLedger(
        TransactionType.GRANT,
        TransactionType.GRANT,
        TransactionType.GRANT,
        TransactionType.USAGE_DEBIT,
        TransactionType.USAGE_DEBIT,
        TransactionType.CHARGE);

    // "True revenue": the 70 purchased credits consumed are worth exactly $0.70.
    Allocation fromPurchase = support.allocations().get(1);
    assertThat(fromPurchase.costBasis().isFree()).isFalse();
    assertThat(
            fromPurchase
                .costBasis()
                .price()
                .orElseThrow()
                .convert(fromPurchase.amount(), RoundingMode.UNNECESSARY))
        .isEqualTo(Amount.of(USD, "0.70"));
    assertThat(support.allocations().get(0).costBasis().isFree()).isTrue();

    // February: January's allowance has ended; February's arrives and pays first again.
    clock.set(FEB_1);
    GrantResult february = grant(partner(300).priority(5).expiresAt(MAR_1));
    assertBalances(0, 930, 300, 1230);
    ChargeResult moreTokens = use("gpt-4o.output", 50);
    assertThat(allocations(moreTokens)).containsExactly(paid(february, 50));
    assertBalances(0, 930, 250, 1180);
    assertLedger(
        TransactionType.GRANT,
        TransactionType.GRANT,
        TransactionType.GRANT,
        TransactionType.USAGE_DEBIT,
        TransactionType.USAGE_DEBIT,
        TransactionType.CHARGE,
        TransactionType.GRANT,
        TransactionType.USAGE_DEBIT);

    assertThat(billing.credits().grants(ACME, ADA))
        .extracting(g -> g.grant().id(), g -> g.remaining().minor(), GrantBalance::voided)
        .containsExactlyInAnyOrder(
            tuple(awarded.grant().id(), 0L, false),
            tuple(purchased.grant().id(), 930L, false),
            tuple(january.grant().id(), 0L, false),
            tuple(february.grant().id(), 250L, false));
    assertThat(consumedInLedger()).isEqualTo(120 + 250 + 200 + 50);
  }

  // ------------------------------------------------------------------ tie-breaks

  @Test
  void at_the_same_priority_the_grant_expiring_soonest_pays_first_and_no_expiry_pays_last() {
    openAccount(OverdraftPolicy.reject());
    GrantResult partnerForever = grant(partner(100).priority(10));
    GrantResult awardedLater = grant(awarded(100).priority(10).expiresAt(days(20)));
    GrantResult purchasedSoon = grant(purchased(100).priority(10).expiresAt(days(10)));
    assertBalances(100, 100, 100, 300);

    // Paid credits expiring soonest go before free ones expiring later: expiry outranks cost.
    ChargeResult first = use("gpt-4o.input", 150);
    assertThat(allocations(first))
        .containsExactly(paid(purchasedSoon, 100), paid(awardedLater, 50));
    assertBalances(50, 0, 100, 150);
    assertLedger(
        TransactionType.GRANT,
        TransactionType.GRANT,
        TransactionType.GRANT,
        TransactionType.USAGE_DEBIT);

    ChargeResult second = use("gpt-4o.input", 100);
    assertThat(allocations(second))
        .containsExactly(paid(awardedLater, 50), paid(partnerForever, 50));
    assertBalances(0, 0, 50, 50);
    assertLedger(
        TransactionType.GRANT,
        TransactionType.GRANT,
        TransactionType.GRANT,
        TransactionType.USAGE_DEBIT,
        TransactionType.USAGE_DEBIT);
  }

  @Test
  void at_the_same_priority_and_expiry_free_awarded_credits_pay_before_purchased_ones() {
    openAccount(OverdraftPolicy.reject());
    GrantResult purchasedFirst = grant(purchased(100).priority(10).expiresAt(days(30)));
    GrantResult awardedSecond = grant(awarded(100).priority(10).expiresAt(days(30)));
    assertBalances(100, 100, 0, 200);

    ChargeResult first = use("gpt-4o.input", 60);
    assertThat(allocations(first)).containsExactly(paid(awardedSecond, 60));
    assertBalances(40, 100, 0, 140);

    ChargeResult second = fee("support-plan", 60);
    assertThat(allocations(second))
        .containsExactly(paid(awardedSecond, 40), paid(purchasedFirst, 20));
    assertBalances(0, 80, 0, 80);
    assertLedger(
        TransactionType.GRANT,
        TransactionType.GRANT,
        TransactionType.USAGE_DEBIT,
        TransactionType.CHARGE);
  }

  @Test
  void between_two_purchases_alike_the_cheaper_cost_basis_pays_first() {
    openAccount(OverdraftPolicy.reject());
    GrantResult standard = grant(purchased(100).priority(10));
    GrantResult bulk = grant(purchased(100, BULK_80_CENTS_PER_100_CREDITS).priority(10));
    assertBalances(0, 200, 0, 200);

    ChargeResult charge = use("gpt-4o.input", 130);
    assertThat(allocations(charge)).containsExactly(paid(bulk, 100), paid(standard, 30));
    assertThat(charge.allocations().get(0).costBasis().price())
        .contains(BULK_80_CENTS_PER_100_CREDITS);
    assertBalances(0, 70, 0, 70);
    assertThat(remainingOf(standard)).isEqualTo(70);
    assertThat(remainingOf(bulk)).isZero();
  }

  @Test
  void
      with_priority_expiry_and_cost_alike_the_oldest_effective_grant_pays_first_then_the_first_created() {
    openAccount(OverdraftPolicy.reject());
    GrantResult effectiveNow = grant(awarded(100).priority(10));
    GrantResult effectiveYesterday =
        grant(awarded(100).priority(10).effectiveFrom(NEW_YEAR.minus(Duration.ofDays(1))));
    GrantResult alsoEffectiveYesterday =
        grant(awarded(100).priority(10).effectiveFrom(NEW_YEAR.minus(Duration.ofDays(1))));
    assertThat(effectiveYesterday.grant().sequence())
        .isLessThan(alsoEffectiveYesterday.grant().sequence());
    assertBalances(300, 0, 0, 300);

    ChargeResult first = use("gpt-4o.input", 150);
    assertThat(allocations(first))
        .containsExactly(paid(effectiveYesterday, 100), paid(alsoEffectiveYesterday, 50));
    assertBalances(150, 0, 0, 150);

    ChargeResult second = use("gpt-4o.input", 100);
    assertThat(allocations(second))
        .containsExactly(paid(alsoEffectiveYesterday, 50), paid(effectiveNow, 50));
    assertBalances(50, 0, 0, 50);
    assertThat(remainingOf(effectiveNow)).isEqualTo(50);
    assertLedger(
        TransactionType.GRANT,
        TransactionType.GRANT,
        TransactionType.GRANT,
        TransactionType.USAGE_DEBIT,
        TransactionType.USAGE_DEBIT);
  }

  @Test
  void a_lower_priority_number_pays_first_even_if_it_never_expires_and_was_paid_for() {
    openAccount(OverdraftPolicy.reject());
    GrantResult awardedExpiring = grant(awarded(100).priority(2).expiresAt(days(1)));
    GrantResult purchasedTop = grant(purchased(100).priority(1));

    ChargeResult charge = use("gpt-4o.input", 120);
    assertThat(allocations(charge))
        .containsExactly(paid(purchasedTop, 100), paid(awardedExpiring, 20));
    assertBalances(80, 0, 0, 80);
  }

  // ------------------------------------------------------------------ time

  @Test
  void after_time_travel_past_its_expiry_the_awarded_grant_no_longer_pays() {
    openAccount(OverdraftPolicy.reject());
    GrantResult awarded = grant(awarded(200).priority(10).expiresAt(days(30)));
    GrantResult purchased = grant(purchased(1000).priority(20));
    assertBalances(200, 1000, 0, 1200);

    clock.advance(Duration.ofDays(1));
    assertThat(allocations(use("gpt-4o.input", 50))).containsExactly(paid(awarded, 50));
    assertBalances(150, 1000, 0, 1150);

    // One second before the expiry the awarded credits still pay.
    clock.set(days(30).minusSeconds(1));
    assertThat(allocations(use("gpt-4o.input", 10))).containsExactly(paid(awarded, 10));
    assertBalances(140, 1000, 0, 1140);

    // At the expiry instant (exclusive) they stop paying; the ledger still holds them until swept.
    clock.set(days(30));
    assertBalances(0, 1000, 0, 1140);
    ChargeResult after = use("gpt-4o.input", 100);
    assertThat(allocations(after)).containsExactly(paid(purchased, 100));
    assertBalances(0, 900, 0, 1040);
    assertThat(remainingOf(awarded)).isEqualTo(140);
    assertLedger(
        TransactionType.GRANT,
        TransactionType.GRANT,
        TransactionType.USAGE_DEBIT,
        TransactionType.USAGE_DEBIT,
        TransactionType.USAGE_DEBIT);
  }

  @Test
  void a_grant_not_yet_effective_does_not_pay_until_its_effective_from() {
    openAccount(OverdraftPolicy.reject());
    GrantResult nextWeek = grant(partner(300).effectiveFrom(days(7)).expiresAt(days(37)));
    assertThat(nextWeek.grant().effectiveFrom()).isEqualTo(days(7));
    assertBalances(0, 0, 0, 300);

    InsufficientCreditException now = refusedCharge(Charge.usage("gpt-4o.input", credits(10)));
    assertThat(now.requested()).isEqualTo(credits(10));
    assertThat(now.available()).isEqualTo(credits(0));
    assertBalances(0, 0, 0, 300);
    assertLedger(TransactionType.GRANT);

    clock.set(days(7).minusNanos(1_000));
    assertThat(refusedCharge(Charge.usage("gpt-4o.input", credits(10))).available())
        .isEqualTo(credits(0));
    assertBalances(0, 0, 0, 300);
    assertLedger(TransactionType.GRANT);

    clock.set(days(7));
    assertThat(allocations(use("gpt-4o.input", 10))).containsExactly(paid(nextWeek, 10));
    assertBalances(0, 0, 290, 290);
    assertLedger(TransactionType.GRANT, TransactionType.USAGE_DEBIT);
  }

  // ------------------------------------------------------------------ scope

  @Test
  void a_grant_scoped_to_gpt_4o_pays_gpt_4o_usage_but_not_a_fixed_fee_or_another_meter() {
    openAccount(OverdraftPolicy.reject());
    GrantResult gpt4oOnly = grant(awarded(100).priority(1).scope(Scope.meters("gpt-4o")));
    GrantResult purchased = grant(purchased(1000).priority(50));
    assertBalances(100, 1000, 0, 1100);

    ChargeResult platformFee = fee("gpt-4o", 30);
    assertThat(allocations(platformFee)).containsExactly(paid(purchased, 30));
    assertBalances(100, 970, 0, 1070);

    ChargeResult otherModel = use("claude-3", 10);
    assertThat(allocations(otherModel)).containsExactly(paid(purchased, 10));
    assertBalances(100, 960, 0, 1060);

    ChargeResult tokens = use("gpt-4o", 40);
    assertThat(allocations(tokens)).containsExactly(paid(gpt4oOnly, 40));
    assertBalances(60, 960, 0, 1020);

    // A fee larger than what may pay for it: the scoped grant is not counted as available.
    ChargeQuote tooBig =
        billing.credits().quote(ACME, ADA, Charge.of(ChargeKind.FIXED_FEE, "setup", credits(1000)));
    assertThat(tooBig.wouldBeRejected()).isTrue();
    assertThat(quoted(tooBig)).containsExactly(paid(purchased, 960));
    assertThat(tooBig.shortfall()).isEqualTo(credits(40));
    InsufficientCreditException e =
        refusedCharge(Charge.of(ChargeKind.FIXED_FEE, "setup", credits(1000)));
    assertThat(e.available()).isEqualTo(credits(960));
    assertBalances(60, 960, 0, 1020);
    assertLedger(
        TransactionType.GRANT,
        TransactionType.GRANT,
        TransactionType.CHARGE,
        TransactionType.USAGE_DEBIT,
        TransactionType.USAGE_DEBIT);
  }

  // ------------------------------------------------------------------ quote

  @Test
  void a_quote_shows_which_grants_would_pay_and_writes_nothing() {
    openAccount(OverdraftPolicy.reject());
    GrantResult awarded = grant(awarded(200).priority(20).expiresAt(MAR_1));
    GrantResult purchased = grant(purchased(1000).priority(20));
    GrantResult partner = grant(partner(300).priority(5).expiresAt(FEB_1));
    clock.advance(Duration.ofMinutes(5));
    List<LedgerTransaction> before = billing.ledger().transactions(ACME, ADA);
    List<GrantBalance> grantsBefore = billing.credits().grants(ACME, ADA);

    ChargeQuote quote =
        billing.credits().quote(ACME, ADA, Charge.usage("gpt-4o.input", credits(600)));

    assertThat(quote.at()).isEqualTo(NEW_YEAR.plus(Duration.ofMinutes(5)));
    assertThat(quoted(quote))
        .containsExactly(paid(partner, 300), paid(awarded, 200), paid(purchased, 100));
    assertThat(quote.allocations())
        .extracting(Allocation::category, a -> a.costBasis().isFree())
        .containsExactly(
            tuple(GrantCategory.PARTNER_ALLOWANCE, true),
            tuple(GrantCategory.PROMOTIONAL, true),
            tuple(GrantCategory.PURCHASED, false));
    assertThat(quote.fromOverdraft()).isEqualTo(credits(0));
    assertThat(quote.shortfall()).isEqualTo(credits(0));
    assertThat(quote.wouldBeRejected()).isFalse();
    assertThat(quote.balanceAfter()).isEqualTo(credits(900));

    // Nothing was written.
    assertThat(billing.ledger().transactions(ACME, ADA)).isEqualTo(before).hasSize(3);
    assertThat(billing.credits().grants(ACME, ADA)).isEqualTo(grantsBefore);
    assertBalances(200, 1000, 300, 1500);

    // The charge then does what the quote said.
    ChargeResult charge = use("gpt-4o.input", 600);
    assertThat(charge.allocations()).isEqualTo(quote.allocations());
    assertBalances(0, 900, 0, 900);
    assertThat(billing.credits().balance(ACME, ADA).total()).isEqualTo(quote.balanceAfter());
  }

  // ------------------------------------------------------------------ overdraft

  @Test
  void with_the_reject_policy_an_unaffordable_charge_is_refused_and_nothing_is_written() {
    openAccount(OverdraftPolicy.reject());
    GrantResult awarded = grant(awarded(100));
    assertBalances(100, 0, 0, 100);

    ChargeQuote quote =
        billing.credits().quote(ACME, ADA, Charge.usage("gpt-4o.input", credits(150)));
    assertThat(quote.wouldBeRejected()).isTrue();
    assertThat(quote.shortfall()).isEqualTo(credits(50));
    assertThat(quote.balanceAfter()).isEqualTo(credits(100));

    ChargeRequest big = chargeRequest("usage-big", Charge.usage("gpt-4o.input", credits(150)));
    InsufficientCreditException e =
        catchThrowableOfType(
            InsufficientCreditException.class, () -> billing.credits().charge(big));
    assertThat(e.requested()).isEqualTo(credits(150));
    assertThat(e.available()).isEqualTo(credits(100));
    assertThat(e.tenant()).isEqualTo(ACME);
    assertThat(e.account()).isEqualTo(ADA);
    assertBalances(100, 0, 0, 100);
    assertLedger(TransactionType.GRANT);
    assertThat(billing.ledger().find(ACME, IdempotencyKey.of("usage-big"))).isEmpty();

    // The refused key was not used up: after a top-up the same request goes through.
    GrantResult partner = grant(partner(100));
    ChargeResult retried = billing.credits().charge(big);
    assertThat(retried.replayed()).isFalse();
    assertThat(allocations(retried)).containsExactly(paid(awarded, 100), paid(partner, 50));
    assertBalances(0, 0, 50, 50);
    assertLedger(TransactionType.GRANT, TransactionType.GRANT, TransactionType.USAGE_DEBIT);
  }

  @Test
  void allowed_down_to_a_limit_the_account_owes_up_to_the_limit_and_no_further() {
    openAccount(OverdraftPolicy.allowDownTo(credits(50)));
    GrantResult awarded = grant(awarded(100));
    assertBalances(100, 0, 0, 100);

    ChargeResult first = use("deployment.hours", 130);
    assertThat(allocations(first)).containsExactly(paid(awarded, 100));
    assertThat(first.fromOverdraft()).isEqualTo(credits(30));
    assertThat(first.charged()).isEqualTo(credits(130));
    assertThat(first.shortfall()).isEqualTo(credits(0));
    assertThat(postingsOf(first.transaction()))
        .containsExactly(
            tuple("GRANT:" + awarded.grant().id(), -100L),
            tuple("OVERDRAFT", -30L),
            tuple("CONSUMED", 130L));
    assertBalances(0, 0, 0, -30);
    assertThat(owed()).isEqualTo(30);

    ChargeQuote wouldPass =
        billing.credits().quote(ACME, ADA, Charge.usage("deployment.hours", credits(20)));
    assertThat(wouldPass.fromOverdraft()).isEqualTo(credits(20));
    assertThat(wouldPass.balanceAfter()).isEqualTo(credits(-50));
    ChargeQuote wouldFail =
        billing.credits().quote(ACME, ADA, Charge.usage("deployment.hours", credits(21)));
    assertThat(wouldFail.wouldBeRejected()).isTrue();

    ChargeResult second = use("deployment.hours", 20);
    assertThat(second.allocations()).isEmpty();
    assertThat(second.fromOverdraft()).isEqualTo(credits(20));
    assertBalances(0, 0, 0, -50);
    assertThat(owed()).isEqualTo(50);

    InsufficientCreditException e = refusedCharge(Charge.usage("deployment.hours", credits(1)));
    assertThat(e.requested()).isEqualTo(credits(1));
    assertThat(e.available()).isEqualTo(credits(0));
    assertBalances(0, 0, 0, -50);
    assertThat(owed()).isEqualTo(50);
    assertLedger(TransactionType.GRANT, TransactionType.USAGE_DEBIT, TransactionType.USAGE_DEBIT);
  }

  @Test
  void a_later_grant_repays_the_overdraft_debt_before_it_can_be_spent() {
    openAccount(OverdraftPolicy.allowDownTo(credits(50)));
    grant(awarded(100));
    use("deployment.hours", 150);
    assertBalances(0, 0, 0, -50);
    assertThat(owed()).isEqualTo(50);

    GrantResult purchased = grant(purchased(200));
    assertThat(postingsOf(purchased.transaction()))
        .containsExactly(
            tuple("ISSUED", -200L),
            tuple("GRANT:" + purchased.grant().id(), 200L),
            tuple("GRANT:" + purchased.grant().id(), -50L),
            tuple("OVERDRAFT", 50L));
    assertBalances(0, 150, 0, 150);
    assertThat(owed()).isZero();
    assertThat(remainingOf(purchased)).isEqualTo(150);

    ChargeResult next = use("deployment.hours", 150);
    assertThat(allocations(next)).containsExactly(paid(purchased, 150));
    assertThat(next.fromOverdraft()).isEqualTo(credits(0));
    assertBalances(0, 0, 0, 0);
    assertLedger(
        TransactionType.GRANT,
        TransactionType.USAGE_DEBIT,
        TransactionType.GRANT,
        TransactionType.USAGE_DEBIT);
  }

  @Test
  void a_grant_smaller_than_the_debt_repays_what_it_can_and_leaves_the_rest_owed() {
    openAccount(OverdraftPolicy.allowDownTo(credits(50)));
    use("deployment.hours", 50);
    assertBalances(0, 0, 0, -50);

    GrantResult small = grant(awarded(20));
    assertThat(remainingOf(small)).isZero();
    assertBalances(0, 0, 0, -30);
    assertThat(owed()).isEqualTo(30);
    assertLedger(TransactionType.USAGE_DEBIT, TransactionType.GRANT);
  }

  @Test
  void with_the_partial_policy_a_charge_takes_what_is_there_and_reports_the_shortfall() {
    openAccount(OverdraftPolicy.partial());
    GrantResult awarded = grant(awarded(100));
    assertBalances(100, 0, 0, 100);

    ChargeResult partial = use("gpt-4o.input", 130);
    assertThat(partial.requested()).isEqualTo(credits(130));
    assertThat(partial.charged()).isEqualTo(credits(100));
    assertThat(partial.shortfall()).isEqualTo(credits(30));
    assertThat(partial.fromOverdraft()).isEqualTo(credits(0));
    assertThat(allocations(partial)).containsExactly(paid(awarded, 100));
    assertThat(partial.transaction().references()).containsEntry("billing.requested", "130");
    assertThat(postingsOf(partial.transaction()))
        .containsExactly(tuple("GRANT:" + awarded.grant().id(), -100L), tuple("CONSUMED", 100L));
    assertBalances(0, 0, 0, 0);
    assertThat(owed()).isZero();
    assertLedger(TransactionType.GRANT, TransactionType.USAGE_DEBIT);

    ChargeResult nothingLeft = use("gpt-4o.input", 10);
    assertThat(nothingLeft.charged()).isEqualTo(credits(0));
    assertThat(nothingLeft.shortfall()).isEqualTo(credits(10));
    assertThat(nothingLeft.allocations()).isEmpty();
    assertBalances(0, 0, 0, 0);
    assertThat(owed()).isZero();
  }

  // ------------------------------------------------------------------ void

  @Test
  void voiding_a_grant_removes_its_remainder_keeps_what_was_consumed_and_a_second_void_replays() {
    openAccount(OverdraftPolicy.reject());
    GrantResult awarded = grant(awarded(200).priority(10));
    GrantResult purchased = grant(purchased(1000).priority(20));
    ChargeResult spent = use("gpt-4o.input", 150);
    assertThat(allocations(spent)).containsExactly(paid(awarded, 150));
    assertBalances(50, 1000, 0, 1050);

    clock.advance(Duration.ofDays(2));
    VoidResult voided = voidGrant("void-1", awarded.grant().id());
    assertThat(voided.replayed()).isFalse();
    assertThat(voided.grant()).isEqualTo(awarded.grant().id());
    assertThat(voided.voided()).isEqualTo(credits(50));
    assertThat(voided.transaction().type()).isEqualTo(TransactionType.VOID);
    assertThat(voided.transaction().recordedAt()).isEqualTo(days(2));
    assertThat(voided.transaction().references())
        .containsEntry("billing.grant", awarded.grant().id().value());
    assertThat(postingsOf(voided.transaction()))
        .containsExactly(tuple("GRANT:" + awarded.grant().id(), -50L), tuple("VOIDED", 50L));
    assertBalances(0, 1000, 0, 1000);
    assertLedger(
        TransactionType.GRANT,
        TransactionType.GRANT,
        TransactionType.USAGE_DEBIT,
        TransactionType.VOID);
    GrantBalance voidedGrant = grantBalance(awarded);
    assertThat(voidedGrant.voided()).isTrue();
    assertThat(voidedGrant.remaining()).isEqualTo(credits(0));
    assertThat(consumedInLedger()).isEqualTo(150);

    // Voiding again, under a new key: the first void's result, nothing new written.
    VoidResult again = voidGrant("void-2", awarded.grant().id());
    assertThat(again.replayed()).isTrue();
    assertThat(again.transaction().id()).isEqualTo(voided.transaction().id());
    assertThat(again.voided()).isEqualTo(credits(50));
    assertThat(billing.ledger().find(ACME, IdempotencyKey.of("void-2"))).isEmpty();
    assertBalances(0, 1000, 0, 1000);

    // And under the same key.
    VoidResult sameKey = voidGrant("void-1", awarded.grant().id());
    assertThat(sameKey.replayed()).isTrue();
    assertThat(sameKey.transaction().id()).isEqualTo(voided.transaction().id());
    assertLedger(
        TransactionType.GRANT,
        TransactionType.GRANT,
        TransactionType.USAGE_DEBIT,
        TransactionType.VOID);

    // The voided grant pays nothing any more.
    ChargeResult later = use("gpt-4o.input", 100);
    assertThat(allocations(later)).containsExactly(paid(purchased, 100));
    assertBalances(0, 900, 0, 900);
    assertThat(consumedInLedger()).isEqualTo(250);
  }

  // ------------------------------------------------------------------ idempotency

  @Test
  void the_same_charge_sent_twice_is_charged_once_and_the_replay_says_so() {
    openAccount(OverdraftPolicy.reject());
    GrantResult awarded = grant(awarded(500));
    ChargeRequest request =
        chargeRequest("usage-evt-42", Charge.usage("gpt-4o.input", credits(120)));

    ChargeResult original = billing.credits().charge(request);
    assertThat(original.replayed()).isFalse();
    assertBalances(380, 0, 0, 380);
    assertLedger(TransactionType.GRANT, TransactionType.USAGE_DEBIT);

    clock.advance(Duration.ofMinutes(10));
    ChargeResult replay = billing.credits().charge(request);
    assertThat(replay.replayed()).isTrue();
    assertThat(replay.transaction().id()).isEqualTo(original.transaction().id());
    assertThat(replay.transaction()).isEqualTo(original.transaction());
    assertThat(replay.charged()).isEqualTo(credits(120));
    assertThat(allocations(replay)).containsExactly(paid(awarded, 120));
    assertBalances(380, 0, 0, 380);
    assertLedger(TransactionType.GRANT, TransactionType.USAGE_DEBIT);
  }

  @Test
  void the_same_key_with_a_different_charge_is_a_conflict_and_nothing_is_written() {
    openAccount(OverdraftPolicy.reject());
    grant(awarded(500));
    ChargeResult original =
        billing
            .credits()
            .charge(chargeRequest("usage-evt-42", Charge.usage("gpt-4o.input", credits(120))));
    assertBalances(380, 0, 0, 380);

    IdempotencyConflictException otherAmount =
        catchThrowableOfType(
            IdempotencyConflictException.class,
            () ->
                billing
                    .credits()
                    .charge(
                        chargeRequest("usage-evt-42", Charge.usage("gpt-4o.input", credits(121)))));
    assertThat(otherAmount.key()).isEqualTo(IdempotencyKey.of("usage-evt-42"));
    assertThat(otherAmount.original()).isEqualTo(original.transaction().id());
    assertThat(otherAmount.tenant()).isEqualTo(ACME);

    IdempotencyConflictException otherKind =
        catchThrowableOfType(
            IdempotencyConflictException.class,
            () ->
                billing
                    .credits()
                    .charge(
                        chargeRequest(
                            "usage-evt-42",
                            Charge.of(ChargeKind.FIXED_FEE, "gpt-4o.input", credits(120)))));
    assertThat(otherKind.original()).isEqualTo(original.transaction().id());

    assertBalances(380, 0, 0, 380);
    assertLedger(TransactionType.GRANT, TransactionType.USAGE_DEBIT);
  }

  @Test
  void a_repeated_grant_is_granted_once_and_a_changed_one_under_the_same_key_conflicts() {
    openAccount(OverdraftPolicy.reject());
    GrantRequest request =
        awarded(500)
            .priority(30)
            .idempotencyKey(IdempotencyKey.of("signup-bonus-ada"))
            .actor(FINANCE)
            .reason("sign-up credits")
            .build();
    GrantResult original = billing.credits().grant(request);
    assertThat(original.replayed()).isFalse();
    assertBalances(500, 0, 0, 500);

    clock.advance(Duration.ofHours(3));
    GrantResult replay = billing.credits().grant(request);
    assertThat(replay.replayed()).isTrue();
    assertThat(replay.grant()).isEqualTo(original.grant());
    assertThat(replay.transaction().id()).isEqualTo(original.transaction().id());
    assertBalances(500, 0, 0, 500);
    assertLedger(TransactionType.GRANT);

    GrantRequest changed =
        awarded(600)
            .priority(30)
            .idempotencyKey(IdempotencyKey.of("signup-bonus-ada"))
            .actor(FINANCE)
            .reason("sign-up credits")
            .build();
    IdempotencyConflictException e =
        catchThrowableOfType(
            IdempotencyConflictException.class, () -> billing.credits().grant(changed));
    assertThat(e.original()).isEqualTo(original.transaction().id());
    assertBalances(500, 0, 0, 500);
    assertLedger(TransactionType.GRANT);
    assertThat(billing.credits().grants(ACME, ADA)).hasSize(1);
  }

  @Test
  void opening_the_same_account_twice_returns_it_but_other_terms_conflict() {
    Account first = openAccount(OverdraftPolicy.reject());
    clock.advance(Duration.ofDays(1));
    Account again = openAccount(OverdraftPolicy.reject());
    assertThat(again).isEqualTo(first);
    assertThat(again.openedAt()).isEqualTo(NEW_YEAR);

    assertThat(
            catchThrowableOfType(
                IdempotencyConflictException.class,
                () -> openAccount(OverdraftPolicy.allowDownTo(credits(10)))))
        .isNotNull();
    assertThat(billing.credits().findAccount(ACME, ADA).orElseThrow().overdraftPolicy())
        .isEqualTo(OverdraftPolicy.reject());
  }

  // ------------------------------------------------------------------ access

  @Test
  void a_user_may_not_grant_herself_credits_and_the_store_is_unchanged() {
    openAccount(OverdraftPolicy.reject());
    grant(awarded(100));
    List<LedgerTransaction> before = billing.ledger().transactions(ACME, ADA);

    GrantRequest selfService =
        purchased(1_000_000)
            .idempotencyKey(IdempotencyKey.of("free-money"))
            .actor(ADA_HERSELF)
            .reason("I deserve it")
            .build();
    AccessDeniedException e =
        catchThrowableOfType(
            AccessDeniedException.class, () -> billing.credits().grant(selfService));

    assertThat(e.actor()).isEqualTo(ADA_HERSELF);
    assertThat(e.operation()).isEqualTo(Operation.GRANT_CREDITS);
    assertThat(e.tenant()).isEqualTo(ACME);
    assertThat(billing.ledger().transactions(ACME, ADA)).isEqualTo(before);
    assertThat(billing.ledger().find(ACME, IdempotencyKey.of("free-money"))).isEmpty();
    assertThat(billing.credits().grants(ACME, ADA)).hasSize(1);
    assertBalances(100, 0, 0, 100);
  }

  @Test
  void only_admins_finance_and_system_jobs_charge_and_a_partner_may_not_void() {
    openAccount(OverdraftPolicy.reject());
    GrantResult awarded = grant(awarded(100));

    AccessDeniedException charge =
        catchThrowableOfType(
            AccessDeniedException.class,
            () ->
                billing
                    .credits()
                    .charge(
                        ChargeRequest.builder(ACME, ADA, Charge.usage("gpt-4o.input", credits(10)))
                            .idempotencyKey(IdempotencyKey.of("ada-charges"))
                            .actor(ADA_HERSELF)
                            .reason("usage")
                            .build()));
    assertThat(charge.operation()).isEqualTo(Operation.CHARGE);

    AccessDeniedException voiding =
        catchThrowableOfType(
            AccessDeniedException.class,
            () ->
                billing
                    .credits()
                    .voidGrant(
                        VoidGrantRequest.builder(ACME, ADA, awarded.grant().id())
                            .idempotencyKey(IdempotencyKey.of("pat-voids"))
                            .actor(PARTNER_PAT)
                            .reason("mistake")
                            .build()));
    assertThat(voiding.operation()).isEqualTo(Operation.VOID_GRANT);
    assertThat(voiding.actor()).isEqualTo(PARTNER_PAT);

    AccessDeniedException opening =
        catchThrowableOfType(
            AccessDeniedException.class,
            () ->
                billing
                    .credits()
                    .openAccount(
                        OpenAccountRequest.builder(ACME, AccountId.of("user-eve"), CREDIT)
                            .actor(ADA_HERSELF)
                            .build()));
    assertThat(opening.operation()).isEqualTo(Operation.OPEN_ACCOUNT);
    assertThat(billing.credits().findAccount(ACME, AccountId.of("user-eve"))).isEmpty();

    assertBalances(100, 0, 0, 100);
    assertLedger(TransactionType.GRANT);
    assertThat(grantBalance(awarded).voided()).isFalse();
  }

  // ------------------------------------------------------------------ units and tenants

  @Test
  void a_charge_or_grant_in_dollars_on_a_credit_account_is_a_unit_mismatch_and_writes_nothing() {
    openAccount(OverdraftPolicy.reject());
    grant(awarded(100));
    Amount dollars = Amount.of(USD, "1.00");

    dev.billingsdk.money.UnitMismatchException charge =
        catchThrowableOfType(
            dev.billingsdk.money.UnitMismatchException.class,
            () ->
                billing
                    .credits()
                    .charge(chargeRequest("usd-charge", Charge.usage("gpt-4o", dollars))));
    assertThat(charge.expected()).isEqualTo(CREDIT);
    assertThat(charge.actual()).isEqualTo(USD);

    dev.billingsdk.money.UnitMismatchException grant =
        catchThrowableOfType(
            dev.billingsdk.money.UnitMismatchException.class,
            () ->
                billing
                    .credits()
                    .grant(
                        GrantRequest.builder(ACME, ADA, dollars)
                            .idempotencyKey(IdempotencyKey.of("usd-grant"))
                            .actor(FINANCE)
                            .reason("wrong unit")
                            .build()));
    assertThat(grant.actual()).isEqualTo(USD);

    assertBalances(100, 0, 0, 100);
    assertLedger(TransactionType.GRANT);
  }

  @Test
  void the_same_account_id_in_another_tenant_is_another_account() {
    openAccount(OverdraftPolicy.reject());
    grant(awarded(100));
    TenantId globex = TenantId.of("globex");

    assertThat(billing.credits().findAccount(globex, ADA)).isEmpty();
    dev.billingsdk.credit.AccountNotFoundException e =
        catchThrowableOfType(
            dev.billingsdk.credit.AccountNotFoundException.class,
            () -> billing.credits().balance(globex, ADA));
    assertThat(e.tenant()).isEqualTo(globex);
    assertThat(e.account()).isEqualTo(ADA);
    assertThat(
            catchThrowableOfType(
                dev.billingsdk.credit.AccountNotFoundException.class,
                () ->
                    billing
                        .credits()
                        .charge(
                            ChargeRequest.builder(globex, ADA, Charge.usage("gpt-4o", credits(1)))
                                .idempotencyKey(IdempotencyKey.of("globex-1"))
                                .actor(METER)
                                .reason("usage")
                                .build())))
        .isNotNull();
    assertThat(billing.ledger().find(globex, IdempotencyKey.of("grant-1"))).isEmpty();
    assertThat(billing.ledger().find(ACME, IdempotencyKey.of("grant-1"))).isPresent();
    assertBalances(100, 0, 0, 100);
  }

  // ------------------------------------------------------------------ the story's vocabulary

  static Amount credits(long n) {
    return Amount.ofMinor(CREDIT, n);
  }

  static Instant days(int n) {
    return NEW_YEAR.plus(Duration.ofDays(n));
  }

  Account openAccount(OverdraftPolicy policy) {
    return billing
        .credits()
        .openAccount(
            OpenAccountRequest.builder(ACME, ADA, CREDIT)
                .actor(FINANCE)
                .overdraftPolicy(policy)
                .build());
  }

  GrantRequest.Builder awarded(long n) {
    return GrantRequest.builder(ACME, ADA, credits(n))
        .category(GrantCategory.PROMOTIONAL)
        .name("awarded credits");
  }

  GrantRequest.Builder purchased(long n) {
    return purchased(n, DOLLAR_PER_100_CREDITS);
  }

  /** Purchased credits at {@code price} (a builder sets each term once). */
  GrantRequest.Builder purchased(long n, Price price) {
    return GrantRequest.builder(ACME, ADA, credits(n))
        .category(GrantCategory.PURCHASED)
        .name("credit pack")
        .costBasis(CostBasis.paid(price));
  }

  GrantRequest.Builder partner(long n) {
    return GrantRequest.builder(ACME, ADA, credits(n))
        .category(GrantCategory.PARTNER_ALLOWANCE)
        .name("partner allowance");
  }

  GrantResult grant(GrantRequest.Builder request) {
    GrantResult result =
        billing
            .credits()
            .grant(
                request
                    .idempotencyKey(IdempotencyKey.of("grant-" + ++keys))
                    .actor(FINANCE)
                    .reason("finance adjusts credits")
                    .build());
    assertThat(result.replayed()).isFalse();
    assertThat(result.transaction().type()).isEqualTo(TransactionType.GRANT);
    assertThat(result.transaction().recordedAt()).isEqualTo(clock.instant());
    assertThat(result.grant().createdBy()).isEqualTo(FINANCE);
    return result;
  }

  ChargeRequest chargeRequest(String key, Charge charge) {
    return ChargeRequest.builder(ACME, ADA, charge)
        .idempotencyKey(IdempotencyKey.of(key))
        .actor(METER)
        .reason("metered usage")
        .build();
  }

  ChargeResult use(String meter, long n) {
    return charge(Charge.usage(meter, credits(n)));
  }

  ChargeResult fee(String item, long n) {
    return charge(Charge.of(ChargeKind.FIXED_FEE, item, credits(n)));
  }

  ChargeResult charge(Charge charge) {
    ChargeResult result = billing.credits().charge(chargeRequest("charge-" + ++keys, charge));
    assertThat(result.replayed()).isFalse();
    assertThat(result.requested()).isEqualTo(charge.amount());
    assertThat(result.transaction().recordedAt()).isEqualTo(clock.instant());
    long allocated = result.allocations().stream().mapToLong(a -> a.amount().minor()).sum();
    assertThat(allocated + result.fromOverdraft().minor()).isEqualTo(result.charged().minor());
    return result;
  }

  InsufficientCreditException refusedCharge(Charge charge) {
    int before = billing.ledger().transactions(ACME, ADA).size();
    String key = "refused-" + ++keys;
    InsufficientCreditException e =
        catchThrowableOfType(
            InsufficientCreditException.class,
            () -> billing.credits().charge(chargeRequest(key, charge)));
    assertThat(e).as("expected the charge to be refused").isNotNull();
    assertThat(e.requested()).isEqualTo(charge.amount());
    assertThat(billing.ledger().transactions(ACME, ADA)).hasSize(before);
    assertThat(billing.ledger().find(ACME, IdempotencyKey.of(key))).isEmpty();
    return e;
  }

  VoidResult voidGrant(String key, GrantId grant) {
    return billing
        .credits()
        .voidGrant(
            VoidGrantRequest.builder(ACME, ADA, grant)
                .idempotencyKey(IdempotencyKey.of(key))
                .actor(FINANCE)
                .reason("refunded")
                .build());
  }

  static Tuple paid(GrantResult grant, long n) {
    return tuple(grant.grant().id(), n);
  }

  static List<Tuple> allocations(ChargeResult result) {
    return result.allocations().stream().map(a -> tuple(a.grant(), a.amount().minor())).toList();
  }

  static List<Tuple> quoted(ChargeQuote quote) {
    return quote.allocations().stream().map(a -> tuple(a.grant(), a.amount().minor())).toList();
  }

  static List<Tuple> postingsOf(LedgerTransaction t) {
    return t.postings().stream()
        .map(p -> tuple(p.account().toString(), p.amount().minor()))
        .toList();
  }

  GrantBalance grantBalance(GrantResult grant) {
    return billing.credits().grants(ACME, ADA).stream()
        .filter(g -> g.grant().id().equals(grant.grant().id()))
        .findFirst()
        .orElseThrow();
  }

  long remainingOf(GrantResult grant) {
    return grantBalance(grant).remaining().minor();
  }

  long owed() {
    return billing.credits().balance(ACME, ADA).owed().minor();
  }

  long consumedInLedger() {
    return billing.ledger().transactions(ACME, ADA).stream()
        .mapToLong(t -> t.minorOn(LedgerAccount.counter(LedgerAccount.Kind.CONSUMED)))
        .sum();
  }

  void assertLedger(TransactionType... types) {
    assertThat(billing.ledger().transactions(ACME, ADA))
        .extracting(LedgerTransaction::type)
        .containsExactly(types);
  }

  /**
   * Each category's available credit, the total available, the ledger total, and that a replay of
   * the ledger gives the same balances (rule 1).
   */
  void assertBalances(long awarded, long purchased, long partner, long total) {
    AccountBalance b = billing.credits().balance(ACME, ADA);
    assertThat(b.at()).isEqualTo(clock.instant());
    assertThat(b.available(GrantCategory.PROMOTIONAL)).as("awarded").isEqualTo(credits(awarded));
    assertThat(b.available(GrantCategory.PURCHASED)).as("purchased").isEqualTo(credits(purchased));
    assertThat(b.available(GrantCategory.PARTNER_ALLOWANCE))
        .as("partner")
        .isEqualTo(credits(partner));
    assertThat(b.available()).as("available").isEqualTo(credits(awarded + purchased + partner));
    assertThat(b.total()).as("total").isEqualTo(credits(total));
    assertLedgerReplaysTo(b);
  }

  void assertLedgerReplaysTo(AccountBalance balance) {
    Map<String, Long> byGrant = new HashMap<>();
    long overdraft = 0;
    long grantSum = 0;
    for (LedgerTransaction t : billing.ledger().transactions(ACME, ADA)) {
      Map<Unit, Long> perUnit = new HashMap<>();
      for (Posting p : t.postings()) {
        perUnit.merge(p.amount().unit(), p.amount().minor(), Long::sum);
        if (p.account().isGrant()) {
          byGrant.merge(p.account().grantId(), p.amount().minor(), Long::sum);
          grantSum += p.amount().minor();
        } else if (p.account().kind() == LedgerAccount.Kind.OVERDRAFT) {
          overdraft += p.amount().minor();
        }
      }
      assertThat(perUnit.values()).as("postings of %s sum to zero", t.id()).allMatch(s -> s == 0);
    }
    for (GrantBalance g : billing.credits().grants(ACME, ADA)) {
      assertThat(byGrant.getOrDefault(g.grant().id().value(), 0L))
          .as("ledger replay of %s", g.grant().id())
          .isEqualTo(g.remaining().minor());
    }
    assertThat(grantSum + overdraft)
        .as("ledger replay of the total")
        .isEqualTo(balance.total().minor());
    assertThat(-overdraft).as("ledger replay of what is owed").isEqualTo(balance.owed().minor());
  }
}
