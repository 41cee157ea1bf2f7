package dev.billingsdk.lifecycle;

import static dev.billingsdk.ledger.TransactionType.GRANT;
import static dev.billingsdk.ledger.TransactionType.MANUAL_ADJUSTMENT;
import static dev.billingsdk.ledger.TransactionType.USAGE_DEBIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.billingsdk.AccessDeniedException;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Role;
import dev.billingsdk.credit.AccountBalance;
import dev.billingsdk.credit.DeductRequest;
import dev.billingsdk.credit.DeductResult;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.InsufficientCreditException;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.event.CreditsDeducted;
import dev.billingsdk.ledger.IdempotencyConflictException;
import dev.billingsdk.memory.InMemoryStatementStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.UnitMismatchException;
import dev.billingsdk.statement.Statement;
import dev.billingsdk.statement.StatementLine;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Seed 000's Credit Management lets an administrator deduct credits by category: the amount leaves
 * the grants of that category only, in the grant order, as one MANUAL_ADJUSTMENT to VOIDED. It is
 * not consumption (no charge line, no revenue) and never reaches into other categories or the
 * overdraft; asking for more than the category holds is refused with nothing written.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DeductionStoryTest extends LifecycleStory {
  static final Instant DAY_10 = T0.plus(Duration.ofDays(10));
  static final Actor ADMIN = Actor.of("admin-ada", Role.ADMIN);
  static final Actor USER = Actor.of("user-uma", Role.USER);

  @BeforeEach
  void the_ai_lab_on_an_in_memory_store_with_a_story_clock() {
    start();
  }

  DeductRequest.Builder deduction(GrantCategory category, long n) {
    return DeductRequest.builder(ACME, LAB, category, credits(n));
  }

  DeductResult deduct(String key, DeductRequest.Builder request) {
    return billing
        .credits()
        .deduct(
            request
                .idempotencyKey(IdempotencyKey.of(key))
                .actor(ADMIN)
                .reason("goodwill credits given by mistake")
                .build());
  }

  @Test
  void a_deduction_takes_from_one_category_in_the_grant_order_and_leaves_the_others_alone() {
    openAccount(OverdraftPolicy.reject());
    GrantResult soon = grant(promo(300).priority(10).expiresAt(DAY_10));
    GrantResult later = grant(promo(200).priority(20));
    GrantResult pack = grant(purchased(500).priority(5));

    DeductResult result = deduct("deduct-1", deduction(GrantCategory.PROMOTIONAL, 400));

    assertThat(result.replayed()).isFalse();
    assertThat(result.deducted()).isEqualTo(credits(400));
    assertThat(result.taken())
        .extracting(a -> tuple(a.grant(), a.amount().minor()))
        .containsExactly(tuple(soon.grant().id(), 300L), tuple(later.grant().id(), 100L));
    assertThat(result.transaction().type()).isEqualTo(MANUAL_ADJUSTMENT);
    assertThat(postingsOf(result.transaction()))
        .containsExactlyInAnyOrder(
            tuple(on(soon), -300L), tuple(on(later), -100L), tuple("VOIDED", 400L));
    assertThat(result.transaction().references())
        .containsEntry("billing.deduct.category", "PROMOTIONAL");
    assertLedger(GRANT, GRANT, GRANT, MANUAL_ADJUSTMENT);

    AccountBalance b = assertBalances(600, 600, 0, 0);
    assertThat(b.availableByCategory())
        .containsEntry(GrantCategory.PROMOTIONAL, credits(100))
        .containsEntry(GrantCategory.PURCHASED, credits(500));
    assertThat(remainingOf(pack)).isEqualTo(500);
    assertThat(heard)
        .filteredOn(CreditsDeducted.class::isInstance)
        .singleElement()
        .isEqualTo(
            new CreditsDeducted(
                result.transaction().id().value() + "/credits-deducted",
                ACME,
                LAB,
                T0,
                GrantCategory.PROMOTIONAL,
                credits(400),
                result.transaction().id()));

    // The purchased pack, first in the grant order, still pays the next charge.
    assertThat(use(50).allocations())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.grant()).isEqualTo(pack.grant().id());
            });
    assertLedger(GRANT, GRANT, GRANT, MANUAL_ADJUSTMENT, USAGE_DEBIT);
  }

  @Test
  void the_statement_shows_a_deduction_line_by_category_and_no_charge() {
    start(b -> b.statements(InMemoryStatementStore.create(memory)), UnaryOperator.identity());
    openAccount(OverdraftPolicy.reject());
    grant(promo(300));
    grant(purchased(500));
    deduct("deduct-1", deduction(GrantCategory.PROMOTIONAL, 120));
    use(30);

    Statement s = billing.statements().statement(ACME, LAB, YearMonth.of(2025, 1), FINANCE);

    assertThat(s.lines(StatementLine.Section.DEDUCTION))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.key()).isEqualTo("PROMOTIONAL");
              assertThat(l.amount()).isEqualTo(credits(120));
              assertThat(l.effect()).isEqualTo(credits(-120));
              assertThat(l.transactions()).isEqualTo(1);
            });
    assertThat(s.lines(StatementLine.Section.VOID)).isEmpty();
    assertThat(s.charges()).as("a deduction is not a charge").isEqualTo(credits(30));
    assertThat(s.expiriesAndVoids()).isEqualTo(credits(120));
    assertThat(s.closing()).isEqualTo(credits(800 - 120 - 30));
  }

  /**
   * Flexprice lets a manual debit take a wallet below zero (flexprice/flexprice#901); here a
   * deduction takes only what its category holds, even when the overdraft policy would allow more.
   */
  @Test
  void more_than_the_category_holds_is_refused_though_other_categories_could_cover_it() {
    openAccount(OverdraftPolicy.allowDownTo(credits(1_000)));
    grant(promo(300));
    // Not yet effective: not available, so not deductible.
    grant(promo(100).effectiveFrom(DAY_10));
    grant(purchased(5_000));

    InsufficientCreditException e =
        refused(
            InsufficientCreditException.class,
            () -> deduct("deduct-too-much", deduction(GrantCategory.PROMOTIONAL, 301)));

    assertThat(e.requested()).isEqualTo(credits(301));
    assertThat(e.available()).isEqualTo(credits(300));
    assertThat(e)
        .hasMessage(
            "account ai-lab in tenant acme cannot give up CREDIT 301 of category PROMOTIONAL:"
                + " CREDIT 300 available in it");
    assertThat(heard).noneMatch(CreditsDeducted.class::isInstance);
  }

  @Test
  void an_expired_grant_the_sweep_has_not_reached_yet_is_not_deductible() {
    openAccount(OverdraftPolicy.reject());
    grant(promo(300).expiresAt(DAY_10));
    grant(promo(50));
    clock.set(DAY_10);

    refused(
        InsufficientCreditException.class,
        () -> deduct("deduct-expired", deduction(GrantCategory.PROMOTIONAL, 51)));
    DeductResult result = deduct("deduct-live", deduction(GrantCategory.PROMOTIONAL, 50));

    assertThat(result.taken())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.amount()).isEqualTo(credits(50));
              assertThat(a.expiresAt()).isEmpty();
            });
  }

  @Test
  void a_category_the_account_never_held_is_refused_with_zero_available() {
    openAccount(OverdraftPolicy.reject());
    grant(purchased(500));

    InsufficientCreditException e =
        refused(
            InsufficientCreditException.class,
            () -> deduct("deduct-none", deduction(GrantCategory.REFERRAL, 1)));

    assertThat(e.available()).isEqualTo(credits(0));
  }

  @Test
  void the_same_key_replays_the_first_deduction_and_a_different_request_under_it_conflicts() {
    openAccount(OverdraftPolicy.reject());
    grant(promo(300));
    DeductResult first = deduct("deduct-once", deduction(GrantCategory.PROMOTIONAL, 100));

    DeductResult again = deduct("deduct-once", deduction(GrantCategory.PROMOTIONAL, 100));

    assertThat(again.replayed()).isTrue();
    assertThat(again.transaction()).isEqualTo(first.transaction());
    assertThat(again.deducted()).isEqualTo(first.deducted());
    assertThat(again.taken()).isEqualTo(first.taken());
    refused(
        IdempotencyConflictException.class,
        () -> deduct("deduct-once", deduction(GrantCategory.PROMOTIONAL, 101)));
    assertBalances(200, 200, 0, 0);
  }

  @Test
  void a_deduction_is_not_a_debit_so_it_is_corrected_by_a_grant_not_reversed() {
    openAccount(OverdraftPolicy.reject());
    grant(promo(300));
    DeductResult deducted = deduct("deduct-1", deduction(GrantCategory.PROMOTIONAL, 100));

    InvalidRequestException e =
        refused(
            InvalidRequestException.class,
            () -> reverse("reverse-deduction", deducted.transaction().id(), 100));
    assertThat(e.field()).isEqualTo("original");

    grant(promo(100));
    assertThat(balance().available(GrantCategory.PROMOTIONAL)).isEqualTo(credits(300));
  }

  @Test
  void a_user_may_not_deduct_and_nothing_is_written() {
    openAccount(OverdraftPolicy.reject());
    grant(promo(300));

    refused(
        AccessDeniedException.class,
        () ->
            billing
                .credits()
                .deduct(
                    deduction(GrantCategory.PROMOTIONAL, 10)
                        .idempotencyKey(IdempotencyKey.of("deduct-user"))
                        .actor(USER)
                        .reason("wants fewer credits")
                        .build()));
  }

  @Test
  void an_amount_in_another_unit_is_refused_and_nothing_is_written() {
    openAccount(OverdraftPolicy.reject());
    grant(promo(300));

    refused(
        UnitMismatchException.class,
        () ->
            deduct(
                "deduct-usd",
                DeductRequest.builder(
                    ACME,
                    LAB,
                    GrantCategory.PROMOTIONAL,
                    Amount.of(CurrencyUnit.of("USD"), "1.00"))));
  }

  @Test
  void the_builder_refuses_a_zero_or_negative_amount_and_a_second_reason() {
    assertThatThrownBy(() -> deduction(GrantCategory.PROMOTIONAL, 0))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("amount");
    assertThatThrownBy(() -> deduction(GrantCategory.PROMOTIONAL, -5))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("amount");
    DeductRequest.Builder b = deduction(GrantCategory.PROMOTIONAL, 5).reason("first");
    assertThatThrownBy(() -> b.reason("second"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("first");
    assertThatThrownBy(() -> deduction(GrantCategory.PROMOTIONAL, 5).build())
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("idempotencyKey");
  }
}
