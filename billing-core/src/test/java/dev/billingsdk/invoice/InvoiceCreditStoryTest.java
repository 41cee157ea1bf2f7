package dev.billingsdk.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.billingsdk.AccessDeniedException;
import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdGenerator;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.AccountNotFoundException;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.InvoiceAlreadyCreditedException;
import dev.billingsdk.credit.InvoiceCreditRequest;
import dev.billingsdk.credit.InvoiceCreditResult;
import dev.billingsdk.credit.InvoiceLine;
import dev.billingsdk.credit.ItemRef;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.ReversalResult;
import dev.billingsdk.credit.ReverseRequest;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.credit.VoidGrantRequest;
import dev.billingsdk.event.BillingEvent;
import dev.billingsdk.event.InvoiceCreditsApplied;
import dev.billingsdk.ledger.IdempotencyConflictException;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.UnitMismatchException;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.AccountSnapshot;
import dev.billingsdk.spi.OutboxEntry;
import dev.billingsdk.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * The credit story of docs/invoice-credits.md, told as tests: John Wick uses ChatPPT; his invoice
 * for August 1 to September 1 comes to $100 (a platform fee, a seat licence and three usage
 * meters). Credits are applied to the whole invoice, to named line items, or to all lines of a
 * kind, in priority order, honouring expiry. Time is an injected clock; ids are sequential. After
 * every write the story replays the ledger and checks it against the stored balances.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class InvoiceCreditStoryTest {
  static final TenantId CHATPPT = TenantId.of("chatppt");
  static final AccountId JOHN = AccountId.of("john-wick");
  static final CurrencyUnit USD = CurrencyUnit.of("USD");
  static final CurrencyUnit EUR = CurrencyUnit.of("EUR");

  static final Actor FINANCE = Actor.of("finance-fran", Role.FINANCE);
  static final Actor JOHN_HIMSELF = Actor.of("john", Role.USER);

  static final Instant AUG_15 = Instant.parse("2025-08-15T09:00:00Z");
  static final Instant SEPT_1 = Instant.parse("2025-09-01T00:00:00Z");
  static final String AUGUST = "INV-2025-08-JW";

  // John's August invoice: $100 in all.
  static final InvoiceLine PLATFORM =
      InvoiceLine.fixedFee("platform", "chatppt.platform", dollars("20.00"));
  static final InvoiceLine SEAT = InvoiceLine.licence("seat", "chatppt.pro-seat", dollars("15.00"));
  static final InvoiceLine TOKENS = InvoiceLine.usage("tokens", "chatppt.tokens", dollars("40.00"));
  static final InvoiceLine IMAGES = InvoiceLine.usage("images", "chatppt.images", dollars("20.00"));
  static final InvoiceLine VOICE = InvoiceLine.usage("voice", "chatppt.voice", dollars("5.00"));
  static final List<InvoiceLine> AUGUST_LINES = List.of(PLATFORM, SEAT, TOKENS, IMAGES, VOICE);

  TestClock clock;
  InMemoryBillingStore store;
  Billing billing;
  List<BillingEvent> events;
  int keys;

  @BeforeEach
  void john_has_a_dollar_account_on_an_in_memory_store_with_a_frozen_clock() {
    clock = new TestClock(AUG_15);
    store = InMemoryBillingStore.create();
    events = new ArrayList<>();
    billing =
        Billing.builder()
            .store(store)
            .clock(clock)
            .ids(IdGenerator.sequential())
            .listener(events::add)
            .build();
    billing
        .credits()
        .openAccount(OpenAccountRequest.builder(CHATPPT, JOHN, USD).actor(FINANCE).build());
  }

  // ------------------------------------------------------------------ the seed's story

  @Test
  void a_50_dollar_referral_credit_on_certain_usage_meters_leaves_50_dollars_due_on_100() {
    // John brought in a referral: finance adds $50 for the tokens and images meters only.
    GrantResult referral =
        grant(
            referral("50.00").scope(Scope.meters("chatppt.tokens", "chatppt.images")).priority(10));
    assertThat(referral.grant().id().value()).isEqualTo("grt_1");
    assertThat(remaining(referral)).isEqualTo(dollars("50.00"));

    // The billing period ends; the August invoice comes to $100.
    clock.set(SEPT_1);
    InvoiceCreditResult august = apply("august-credits", AUGUST, AUGUST_LINES);

    assertThat(august.total()).isEqualTo(dollars("100.00"));
    assertThat(august.applied()).isEqualTo(dollars("50.00"));
    assertThat(august.due()).isEqualTo(dollars("50.00"));
    // The credit pays the meters in its scope, in line order; the rest stays due.
    assertThat(paidOn(august, "platform")).isEmpty();
    assertThat(paidOn(august, "seat")).isEmpty();
    assertThat(paidOn(august, "tokens")).containsExactly(tuple("grt_1", "40.00"));
    assertThat(paidOn(august, "images")).containsExactly(tuple("grt_1", "10.00"));
    assertThat(paidOn(august, "voice")).as("voice is not one of the meters").isEmpty();
    assertThat(dueOn(august))
        .as("each line: what it cost minus what credits paid")
        .containsExactly("20.00", "15.00", "0.00", "10.00", "5.00");
    assertThat(august.line("images").applied().get(0).category()).isEqualTo(GrantCategory.REFERRAL);
    assertThat(august.line("images").paid()).isEqualTo(dollars("10.00"));
    assertThat(august.line("platform").paid()).isEqualTo(dollars("0.00"));
    InvalidRequestException notOnIt =
        catchThrowableOfType(InvalidRequestException.class, () -> august.line("support"));
    assertThat(notOnIt.field()).isEqualTo("line");
    assertThat(notOnIt.value()).isEqualTo("support");
    assertThat(notOnIt).hasMessageContaining("is not on INV-2025-08-JW");
    assertThat(august.appliedByGrant())
        .containsExactly(Map.entry(referral.grant().id(), dollars("50.00")));

    // The credit is used up.
    assertThat(remaining(referral)).isEqualTo(dollars("0.00"));
    assertThat(billing.credits().balance(CHATPPT, JOHN).available()).isEqualTo(dollars("0.00"));

    // In the ledger: one CHARGE for the invoice, from the grant to CONSUMED.
    LedgerTransaction t = august.transaction().orElseThrow();
    assertThat(t.id().value()).isEqualTo("txn_3");
    assertThat(t.type()).isEqualTo(TransactionType.CHARGE);
    assertThat(t.actor()).isEqualTo(FINANCE);
    assertThat(t.recordedAt()).isEqualTo(SEPT_1);
    assertThat(postingsOf(t))
        .containsExactly(tuple("GRANT:grt_1", -5000L), tuple("CONSUMED", 5000L));
    assertThat(t.references())
        .containsEntry("billing.invoice", AUGUST)
        .containsEntry("billing.invoiceLines", "2 4000 grt_1\n3 1000 grt_1")
        .containsEntry("billing.lineage", "5000 GRANT grt_1");
    assertThat(august.replayed()).isFalse();
    assertLedger(TransactionType.GRANT, TransactionType.CHARGE);

    // Listeners hear of it once, with what was applied and what is due.
    assertThat(eventsOf(InvoiceCreditsApplied.class))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.invoice()).isEqualTo(AUGUST);
              assertThat(e.transaction()).isEqualTo(t.id());
              assertThat(e.applied()).isEqualTo(dollars("50.00"));
              assertThat(e.due()).isEqualTo(dollars("50.00"));
              assertThat(e.occurredAt()).isEqualTo(SEPT_1);
            });
  }

  @Test
  void when_the_meters_in_scope_come_to_40_dollars_the_credit_pays_40_and_keeps_10() {
    GrantResult referral =
        grant(referral("50.00").scope(Scope.meters("chatppt.tokens", "chatppt.images")));
    clock.set(SEPT_1);
    InvoiceCreditResult august =
        apply(
            "august-credits",
            AUGUST,
            List.of(
                InvoiceLine.fixedFee("platform", "chatppt.platform", dollars("35.00")),
                InvoiceLine.licence("seat", "chatppt.pro-seat", dollars("25.00")),
                InvoiceLine.usage("tokens", "chatppt.tokens", dollars("30.00")),
                InvoiceLine.usage("images", "chatppt.images", dollars("10.00"))));

    assertThat(august.total()).isEqualTo(dollars("100.00"));
    assertThat(august.applied()).isEqualTo(dollars("40.00"));
    assertThat(august.due()).isEqualTo(dollars("60.00"));
    assertThat(paidOn(august, "tokens")).containsExactly(tuple("grt_1", "30.00"));
    assertThat(paidOn(august, "images")).containsExactly(tuple("grt_1", "10.00"));
    assertThat(remaining(referral)).isEqualTo(dollars("10.00"));
    assertThat(billing.credits().balance(CHATPPT, JOHN).available()).isEqualTo(dollars("10.00"));
  }

  // ------------------------------------------------------------------ the three ways to apply

  @Test
  void a_credit_on_the_whole_invoice_pays_the_lines_in_order_until_it_is_spent() {
    GrantResult goodwill = grant(adjustment("70.00").scope(Scope.everything()));
    clock.set(SEPT_1);
    InvoiceCreditResult august = apply("august-credits", AUGUST, AUGUST_LINES);

    assertThat(paidOn(august, "platform")).containsExactly(tuple("grt_1", "20.00"));
    assertThat(paidOn(august, "seat")).containsExactly(tuple("grt_1", "15.00"));
    assertThat(paidOn(august, "tokens")).containsExactly(tuple("grt_1", "35.00"));
    assertThat(paidOn(august, "images")).isEmpty();
    assertThat(dueOn(august)).containsExactly("0.00", "0.00", "5.00", "20.00", "5.00");
    assertThat(august.applied()).isEqualTo(dollars("70.00"));
    assertThat(august.due()).isEqualTo(dollars("30.00"));
    assertThat(remaining(goodwill)).isEqualTo(dollars("0.00"));
  }

  @Test
  void a_credit_on_one_line_item_pays_that_line_only_and_keeps_the_rest() {
    GrantResult seatCredit =
        grant(
            adjustment("100.00")
                .scope(Scope.items(ItemRef.of(ChargeKind.LICENCE, "chatppt.pro-seat"))));
    clock.set(SEPT_1);
    InvoiceCreditResult august = apply("august-credits", AUGUST, AUGUST_LINES);

    assertThat(paidOn(august, "seat")).containsExactly(tuple("grt_1", "15.00"));
    assertThat(august.lines())
        .filteredOn(l -> !l.line().id().equals("seat"))
        .allSatisfy(l -> assertThat(l.applied()).isEmpty());
    assertThat(august.due()).isEqualTo(dollars("85.00"));
    assertThat(remaining(seatCredit)).isEqualTo(dollars("85.00"));
  }

  @Test
  void credits_on_all_fixed_fees_all_licences_all_add_ons_and_all_usage_pay_only_their_kind() {
    GrantResult fees = grant(adjustment("25.00").scope(Scope.allFixedFees()));
    GrantResult licences = grant(adjustment("100.00").scope(Scope.allLicences()));
    GrantResult addOns = grant(adjustment("8.00").scope(Scope.allAddOns()));
    GrantResult usage = grant(adjustment("50.00").scope(Scope.allUsageMeters()));
    clock.set(SEPT_1);
    InvoiceCreditResult august =
        apply(
            "august-credits",
            AUGUST,
            List.of(
                InvoiceLine.fixedFee("platform", "chatppt.platform", dollars("20.00")),
                InvoiceLine.fixedFee("support", "chatppt.support", dollars("10.00")),
                InvoiceLine.licence("seat", "chatppt.pro-seat", dollars("15.00")),
                InvoiceLine.licence("extra-seat", "chatppt.extra-seat", dollars("5.00")),
                InvoiceLine.addOn("storage", "chatppt.storage", dollars("8.00")),
                InvoiceLine.usage("tokens", "chatppt.tokens", dollars("42.00"))));

    assertThat(paidOn(august, "platform")).containsExactly(tuple("grt_1", "20.00"));
    assertThat(paidOn(august, "support")).containsExactly(tuple("grt_1", "5.00"));
    assertThat(paidOn(august, "seat")).containsExactly(tuple("grt_3", "15.00"));
    assertThat(paidOn(august, "extra-seat")).containsExactly(tuple("grt_3", "5.00"));
    assertThat(paidOn(august, "storage")).containsExactly(tuple("grt_5", "8.00"));
    assertThat(paidOn(august, "tokens")).containsExactly(tuple("grt_7", "42.00"));
    assertThat(august.line("support").due()).isEqualTo(dollars("5.00"));
    assertThat(august.applied()).isEqualTo(dollars("95.00"));
    assertThat(august.due()).isEqualTo(dollars("5.00"));
    assertThat(remaining(fees)).isEqualTo(dollars("0.00"));
    assertThat(remaining(licences)).isEqualTo(dollars("80.00"));
    assertThat(remaining(addOns)).isEqualTo(dollars("0.00"));
    assertThat(remaining(usage)).isEqualTo(dollars("8.00"));
    // One transaction for the invoice, a posting per grant that paid.
    assertThat(postingsOf(august.transaction().orElseThrow()))
        .containsExactly(
            tuple("GRANT:grt_1", -2500L),
            tuple("GRANT:grt_3", -2000L),
            tuple("GRANT:grt_5", -800L),
            tuple("GRANT:grt_7", -4200L),
            tuple("CONSUMED", 9500L));
  }

  // ------------------------------------------------------------------ order and validity

  @Test
  void between_two_credits_the_lower_priority_number_pays_first_even_if_added_later() {
    GrantResult twenty = grant(adjustment("30.00").priority(20));
    GrantResult ten = grant(adjustment("30.00").priority(10));
    clock.set(SEPT_1);
    InvoiceCreditResult august = apply("august-credits", AUGUST, AUGUST_LINES);

    assertThat(paidOn(august, "platform")).containsExactly(tuple("grt_3", "20.00"));
    assertThat(paidOn(august, "seat"))
        .containsExactly(tuple("grt_3", "10.00"), tuple("grt_1", "5.00"));
    assertThat(paidOn(august, "tokens")).containsExactly(tuple("grt_1", "25.00"));
    assertThat(august.line("seat").applied()).extracting(a -> a.priority()).containsExactly(10, 20);
    assertThat(august.due()).isEqualTo(dollars("40.00"));
    assertThat(remaining(ten)).isEqualTo(dollars("0.00"));
    assertThat(remaining(twenty)).isEqualTo(dollars("0.00"));
    assertThat(august.transaction().orElseThrow().references())
        .containsEntry("billing.lineage", "3000 GRANT grt_3\n3000 GRANT grt_1");
  }

  @Test
  void a_credit_that_expired_pays_nothing_and_then_nothing_is_written() {
    // Expiry is exclusive: a credit that ends at midnight on September 1 cannot pay an invoice
    // issued at that instant.
    GrantResult august = grant(adjustment("50.00").expiresAt(SEPT_1));
    clock.set(SEPT_1);
    StoreState before = state();
    InvoiceCreditResult result = apply("august-credits", AUGUST, AUGUST_LINES);

    assertThat(result.applied()).isEqualTo(dollars("0.00"));
    assertThat(result.due()).isEqualTo(dollars("100.00"));
    assertThat(result.lines()).allSatisfy(l -> assertThat(l.applied()).isEmpty());
    assertThat(result.transaction()).as("no empty transaction").isEmpty();
    assertThat(result.replayed()).isFalse();
    assertThat(state()).isEqualTo(before);
    assertThat(eventsOf(InvoiceCreditsApplied.class)).isEmpty();
    assertThat(grantBalance(august).remaining())
        .as("not swept yet, but not spendable")
        .isEqualTo(dollars("50.00"));
  }

  @Test
  void a_credit_that_expires_a_day_later_still_pays() {
    GrantResult expiring = grant(adjustment("50.00").expiresAt(SEPT_1.plus(Duration.ofDays(1))));
    clock.set(SEPT_1);
    InvoiceCreditResult result = apply("august-credits", AUGUST, AUGUST_LINES);
    assertThat(result.applied()).isEqualTo(dollars("50.00"));
    assertThat(remaining(expiring)).isEqualTo(dollars("0.00"));
  }

  @Test
  void a_credit_not_yet_effective_pays_nothing_and_the_same_key_applies_it_once_it_is() {
    Instant sept15 = Instant.parse("2025-09-15T00:00:00Z");
    GrantResult later = grant(adjustment("50.00").effectiveFrom(sept15));
    clock.set(SEPT_1);
    StoreState before = state();
    InvoiceCreditResult early = apply("august-credits", AUGUST, AUGUST_LINES);

    assertThat(early.applied()).isEqualTo(dollars("0.00"));
    assertThat(early.transaction()).isEmpty();
    assertThat(state()).isEqualTo(before);
    assertThat(billing.ledger().find(CHATPPT, IdempotencyKey.of("august-credits")))
        .as("nothing was recorded, so the key is still free")
        .isEmpty();

    clock.set(sept15);
    InvoiceCreditResult onTime = apply("august-credits", AUGUST, AUGUST_LINES);
    assertThat(onTime.applied()).isEqualTo(dollars("50.00"));
    assertThat(onTime.replayed()).isFalse();
    assertThat(remaining(later)).isEqualTo(dollars("0.00"));
  }

  @Test
  void a_voided_credit_pays_nothing_and_the_next_credit_pays_instead() {
    GrantResult voided = grant(adjustment("50.00").priority(1));
    GrantResult other = grant(adjustment("10.00").priority(90));
    billing
        .credits()
        .voidGrant(
            VoidGrantRequest.builder(CHATPPT, JOHN, voided.grant().id())
                .idempotencyKey(IdempotencyKey.of("void-1"))
                .actor(FINANCE)
                .reason("error")
                .build());
    clock.set(SEPT_1);
    InvoiceCreditResult august = apply("august-credits", AUGUST, AUGUST_LINES);

    assertThat(paidOn(august, "platform")).containsExactly(tuple("grt_3", "10.00"));
    assertThat(august.appliedByGrant()).containsOnlyKeys(other.grant().id());
    assertThat(august.due()).isEqualTo(dollars("90.00"));
    assertThat(grantBalance(voided).voided()).isTrue();
  }

  @Test
  void credits_never_make_the_account_owe_even_when_its_policy_would_allow_it() {
    AccountId org = AccountId.of("wick-org");
    billing
        .credits()
        .openAccount(
            OpenAccountRequest.builder(CHATPPT, org, USD)
                .actor(FINANCE)
                .overdraftPolicy(OverdraftPolicy.allowDownTo(dollars("500.00")))
                .build());
    billing
        .credits()
        .grant(
            GrantRequest.builder(CHATPPT, org, dollars("10.00"))
                .idempotencyKey(IdempotencyKey.of("org-grant"))
                .actor(FINANCE)
                .reason("goodwill")
                .build());
    clock.set(SEPT_1);
    InvoiceCreditResult result =
        billing
            .invoiceCredits()
            .apply(
                InvoiceCreditRequest.builder(CHATPPT, org, AUGUST)
                    .lines(AUGUST_LINES)
                    .idempotencyKey(IdempotencyKey.of("org-credits"))
                    .actor(FINANCE)
                    .reason("invoice")
                    .build());

    assertThat(result.applied()).isEqualTo(dollars("10.00"));
    assertThat(result.due()).isEqualTo(dollars("90.00"));
    assertThat(billing.credits().balance(CHATPPT, org).owed()).isEqualTo(dollars("0.00"));
    assertThat(
            result
                .transaction()
                .orElseThrow()
                .minorOn(LedgerAccount.counter(LedgerAccount.Kind.OVERDRAFT)))
        .isZero();
  }

  // ------------------------------------------------------------------ preview

  @Test
  void a_preview_shows_what_would_be_applied_and_writes_nothing() {
    grant(referral("50.00").scope(Scope.meters("chatppt.tokens", "chatppt.images")));
    clock.set(SEPT_1);
    StoreState before = state();
    int eventsBefore = events.size();
    InvoiceCreditResult preview =
        billing.invoiceCredits().preview(request("august-credits", AUGUST, AUGUST_LINES));

    assertThat(state()).isEqualTo(before);
    assertThat(events).hasSize(eventsBefore);
    assertThat(preview.transaction()).isEmpty();
    assertThat(preview.replayed()).isFalse();
    assertThat(preview.applied()).isEqualTo(dollars("50.00"));

    InvoiceCreditResult applied = apply("august-credits", AUGUST, AUGUST_LINES);
    assertThat(applied.lines()).isEqualTo(preview.lines());
    assertThat(applied.due()).isEqualTo(preview.due());

    // Previewed again after it was applied, the preview answers what apply would: the replay.
    StoreState after = state();
    InvoiceCreditResult again =
        billing.invoiceCredits().preview(request("august-credits", AUGUST, AUGUST_LINES));
    assertThat(again.replayed()).isTrue();
    assertThat(again.transaction()).isEqualTo(applied.transaction());
    assertThat(again.lines()).isEqualTo(applied.lines());
    assertThat(state()).isEqualTo(after);
  }

  // ------------------------------------------------------------------ exactly once

  @Test
  void the_same_request_twice_applies_credits_once_and_the_replay_rebuilds_every_line() {
    GrantResult ten = grant(adjustment("30.00").priority(10));
    GrantResult twenty = grant(adjustment("80.00").priority(20));
    clock.set(SEPT_1);
    InvoiceCreditResult first = apply("august-credits", AUGUST, AUGUST_LINES);
    assertThat(first.applied()).isEqualTo(dollars("100.00"));
    assertThat(remaining(twenty)).isEqualTo(dollars("10.00"));

    // Later, the remaining credit is spent elsewhere; the replay still tells the original story.
    clock.advance(Duration.ofHours(1));
    InvoiceCreditResult september =
        apply(
            "september-credits",
            "INV-2025-09-JW",
            List.of(InvoiceLine.usage("tokens", "chatppt.tokens", dollars("50.00"))));
    assertThat(september.applied()).isEqualTo(dollars("10.00"));
    StoreState before = state();
    int eventsBefore = events.size();

    InvoiceCreditResult replay =
        billing.invoiceCredits().apply(request("august-credits", AUGUST, AUGUST_LINES));
    assertThat(replay.replayed()).isTrue();
    assertThat(replay.transaction()).isEqualTo(first.transaction());
    assertThat(replay.lines()).isEqualTo(first.lines());
    assertThat(replay.applied()).isEqualTo(first.applied());
    assertThat(replay.due()).isEqualTo(first.due());
    assertThat(state()).isEqualTo(before);
    assertThat(events).hasSize(eventsBefore);
    assertThat(remaining(ten)).isEqualTo(dollars("0.00"));
    assertThat(remaining(twenty)).isEqualTo(dollars("0.00"));
  }

  @Test
  void the_same_key_with_another_invoice_or_other_lines_is_a_conflict_and_writes_nothing() {
    grant(adjustment("30.00"));
    clock.set(SEPT_1);
    InvoiceCreditResult first = apply("august-credits", AUGUST, AUGUST_LINES);
    StoreState before = state();

    List<InvoiceCreditRequest> others =
        List.of(
            request("august-credits", "INV-OTHER", AUGUST_LINES),
            request("august-credits", AUGUST, List.of(PLATFORM, SEAT, TOKENS, IMAGES)),
            request(
                "august-credits",
                AUGUST,
                List.of(
                    PLATFORM,
                    SEAT,
                    TOKENS,
                    IMAGES,
                    InvoiceLine.usage("voice", "chatppt.voice", dollars("5.01")))));
    for (InvoiceCreditRequest other : others) {
      IdempotencyConflictException e =
          catchThrowableOfType(
              IdempotencyConflictException.class, () -> billing.invoiceCredits().apply(other));
      assertThat(e).isNotNull();
      assertThat(e.original()).isEqualTo(first.transaction().orElseThrow().id());
      assertThat(
              catchThrowableOfType(
                  IdempotencyConflictException.class,
                  () -> billing.invoiceCredits().preview(other)))
          .isNotNull();
      assertThat(state()).isEqualTo(before);
    }
  }

  // ------------------------------------------------------------------ refused requests

  @Test
  void bad_requests_name_the_field_and_value_and_leave_the_store_exactly_as_it_was() {
    grant(adjustment("30.00"));
    clock.set(SEPT_1);
    StoreState before = state();

    assertRefused(() -> request("k", AUGUST, List.of()), "lines", "[]");
    assertRefused(
        () ->
            request(
                "k",
                AUGUST,
                List.of(
                    PLATFORM,
                    SEAT,
                    InvoiceLine.usage("platform", "chatppt.tokens", dollars("1.00")))),
        "lines[2].id",
        "platform");
    assertRefused(
        () ->
            request(
                "k",
                AUGUST,
                List.of(
                    PLATFORM,
                    InvoiceLine.usage("tokens", "chatppt.tokens", Amount.of(EUR, "1.00")))),
        "lines[1].amount",
        "EUR 1.00");
    assertRefused(
        () -> InvoiceLine.usage("tokens", "chatppt.tokens", dollars("0.00")), "amount", "USD 0.00");
    assertRefused(
        () -> InvoiceLine.usage("tokens", "chatppt.tokens", dollars("-1.00")),
        "amount",
        "USD -1.00");
    assertRefused(() -> request("k", " ", AUGUST_LINES), "invoice", "\" \"");
    assertRefused(
        () ->
            InvoiceCreditRequest.builder(CHATPPT, JOHN, AUGUST)
                .lines(AUGUST_LINES)
                .idempotencyKey(IdempotencyKey.of("k"))
                .actor(FINANCE)
                .reason("")
                .build(),
        "reason",
        "\"\"");
    List<InvoiceLine> withNull = new ArrayList<>(AUGUST_LINES);
    withNull.add(null);
    assertRefused(() -> request("k", AUGUST, withNull), "lines[5]", "null");

    // A euro invoice on a dollar account is a unit mismatch (rule 8), for apply and for preview.
    InvoiceCreditRequest euros =
        request(
            "k",
            AUGUST,
            List.of(InvoiceLine.fixedFee("platform", "chatppt.platform", Amount.of(EUR, "20.00"))));
    assertThat(
            catchThrowableOfType(
                UnitMismatchException.class, () -> billing.invoiceCredits().apply(euros)))
        .isNotNull();
    assertThat(
            catchThrowableOfType(
                UnitMismatchException.class, () -> billing.invoiceCredits().preview(euros)))
        .isNotNull();

    // An account that does not exist.
    InvoiceCreditRequest nobody =
        InvoiceCreditRequest.builder(CHATPPT, AccountId.of("nobody"), AUGUST)
            .lines(AUGUST_LINES)
            .idempotencyKey(IdempotencyKey.of("k"))
            .actor(FINANCE)
            .reason("x")
            .build();
    assertThat(
            catchThrowableOfType(
                AccountNotFoundException.class, () -> billing.invoiceCredits().apply(nobody)))
        .isNotNull();

    assertThat(
            catchThrowableOfType(
                InvalidRequestException.class, () -> billing.invoiceCredits().apply(null)))
        .extracting(InvalidRequestException::field)
        .isEqualTo("request");
    assertThat(state()).isEqualTo(before);
    assertThat(billing.ledger().find(CHATPPT, IdempotencyKey.of("k"))).isEmpty();
  }

  @Test
  void an_invoice_of_a_thousand_lines_is_applied_and_one_more_line_is_refused() {
    grant(adjustment("30.00"));
    clock.set(SEPT_1);
    StoreState before = state();

    assertRefused(
        () -> request("k", AUGUST, cents(InvoiceCreditRequest.MAX_LINES + 1)),
        "lines",
        "1001 lines");
    assertThat(state()).isEqualTo(before);

    InvoiceCreditResult result = apply("k", AUGUST, cents(InvoiceCreditRequest.MAX_LINES));
    assertThat(result.lines()).hasSize(1000);
    assertThat(result.applied()).isEqualTo(dollars("10.00"));
    assertThat(result.due()).isEqualTo(dollars("0.00"));
  }

  /** {@code n} usage lines of one cent each, ids {@code call-0} to {@code call-(n-1)}. */
  static List<InvoiceLine> cents(int n) {
    List<InvoiceLine> lines = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      lines.add(InvoiceLine.usage("call-" + i, "chatppt.tokens", dollars("0.01")));
    }
    return lines;
  }

  @Test
  void john_himself_may_not_apply_credits_to_his_invoice_but_finance_may() {
    grant(adjustment("30.00"));
    clock.set(SEPT_1);
    StoreState before = state();
    InvoiceCreditRequest byJohn =
        InvoiceCreditRequest.builder(CHATPPT, JOHN, AUGUST)
            .lines(AUGUST_LINES)
            .idempotencyKey(IdempotencyKey.of("k"))
            .actor(JOHN_HIMSELF)
            .reason("please")
            .build();

    AccessDeniedException e =
        catchThrowableOfType(
            AccessDeniedException.class, () -> billing.invoiceCredits().apply(byJohn));
    assertThat(e).isNotNull();
    assertThat(state()).isEqualTo(before);
    assertThat(apply("k", AUGUST, AUGUST_LINES).applied()).isEqualTo(dollars("30.00"));
  }

  // ------------------------------------------------------------------ corrections

  @Test
  void reversing_the_invoice_transaction_gives_the_credit_back_last_taken_first() {
    GrantResult ten = grant(adjustment("30.00").priority(10));
    GrantResult twenty = grant(adjustment("30.00").priority(20));
    clock.set(SEPT_1);
    InvoiceCreditResult august = apply("august-credits", AUGUST, AUGUST_LINES);
    LedgerTransaction t = august.transaction().orElseThrow();

    // The invoice is corrected: $10 of the credits come back; the credit taken last returns first.
    ReversalResult part =
        billing
            .credits()
            .reverse(
                ReverseRequest.builder(CHATPPT, JOHN, t.id())
                    .amount(dollars("10.00"))
                    .idempotencyKey(IdempotencyKey.of("rev-1"))
                    .actor(FINANCE)
                    .reason("seat refunded")
                    .build());
    assertThat(part.transaction().type()).isEqualTo(TransactionType.REVERSAL);
    assertThat(part.transaction().corrects()).contains(t.id());
    assertThat(remaining(ten)).isEqualTo(dollars("0.00"));
    assertThat(remaining(twenty)).isEqualTo(dollars("10.00"));
    assertThat(part.remaining()).isEqualTo(dollars("50.00"));

    // The invoice is voided: everything else comes back.
    ReversalResult rest =
        billing
            .credits()
            .reverse(
                ReverseRequest.builder(CHATPPT, JOHN, t.id())
                    .idempotencyKey(IdempotencyKey.of("rev-2"))
                    .actor(FINANCE)
                    .reason("invoice voided")
                    .build());
    assertThat(rest.amount()).isEqualTo(dollars("50.00"));
    assertThat(remaining(ten)).isEqualTo(dollars("30.00"));
    assertThat(remaining(twenty)).isEqualTo(dollars("30.00"));
    assertLedger(
        TransactionType.GRANT,
        TransactionType.GRANT,
        TransactionType.CHARGE,
        TransactionType.REVERSAL,
        TransactionType.REVERSAL);

    // The original's record is unchanged, and its replay still reads as it was.
    InvoiceCreditResult replay =
        billing.invoiceCredits().apply(request("august-credits", AUGUST, AUGUST_LINES));
    assertThat(replay.replayed()).isTrue();
    assertThat(replay.lines()).isEqualTo(august.lines());

    // A corrected invoice gets the credits again under a new key.
    InvoiceCreditResult corrected =
        apply("august-credits-2", AUGUST, List.of(PLATFORM, TOKENS, IMAGES, VOICE));
    assertThat(corrected.applied()).isEqualTo(dollars("60.00"));
  }

  // ------------------------------------------------------------------ once per invoice

  @Test
  void an_invoice_is_credited_once_whatever_key_the_request_carries_until_it_is_reversed_in_full() {
    GrantResult credit = grant(adjustment("80.00").priority(10));
    clock.set(SEPT_1);
    InvoiceCreditResult august = apply("august-credits", AUGUST, AUGUST_LINES);
    LedgerTransaction t = august.transaction().orElseThrow();
    assertThat(august.applied()).isEqualTo(dollars("80.00"));

    // The host recomputes the invoice and sends it again under a key with a timestamp in it
    // (flexprice#1186 applied credits to a recomputed invoice a second time this way).
    AccountSnapshot before = store.loadAccount(CHATPPT, JOHN).orElseThrow();
    int eventsBefore = events.size();
    InvoiceCreditRequest again =
        request("august-credits@2025-09-01T00:05Z", AUGUST, List.of(PLATFORM, TOKENS));
    InvoiceAlreadyCreditedException refused =
        catchThrowableOfType(
            InvoiceAlreadyCreditedException.class, () -> billing.invoiceCredits().apply(again));
    assertThat(refused.field()).isEqualTo("invoice");
    assertThat(refused.value()).isEqualTo(AUGUST);
    assertThat(refused.standing()).isEqualTo(t.id());
    assertThat(refused.account()).isEqualTo(JOHN);
    assertThat(refused.tenant()).isEqualTo(CHATPPT);
    assertThat(refused.invoice()).isEqualTo(AUGUST);
    assertThat(refused).hasMessageContaining(t.id().value());
    // The preview says what apply would say; nothing was written by either.
    assertThat(
            catchThrowableOfType(
                InvoiceAlreadyCreditedException.class,
                () -> billing.invoiceCredits().preview(again)))
        .isNotNull();
    assertThat(store.loadAccount(CHATPPT, JOHN)).contains(before);
    assertThat(events).hasSize(eventsBefore);
    assertThat(billing.ledger().find(CHATPPT, IdempotencyKey.of(again.idempotencyKey().value())))
        .isEmpty();

    // Another invoice is not held by this one, and the same request replays as before.
    assertThat(apply("september-credits", "INV-2025-09-JW", List.of(TOKENS)).due())
        .isEqualTo(dollars("40.00"));
    assertThat(
            billing
                .invoiceCredits()
                .apply(request("august-credits", AUGUST, AUGUST_LINES))
                .replayed())
        .isTrue();

    // A partial reversal leaves the application standing: the invoice still has $70 of credit.
    reverse(t, Optional.of(dollars("10.00")), "rev-1");
    assertThat(
            catchThrowableOfType(
                    InvoiceAlreadyCreditedException.class,
                    () -> billing.invoiceCredits().apply(again))
                .standing())
        .isEqualTo(t.id());

    // Reversed in full, the invoice is free: the corrected one is credited under the new key.
    reverse(t, Optional.empty(), "rev-2");
    assertThat(remaining(credit)).isEqualTo(dollars("80.00"));
    InvoiceCreditResult corrected = billing.invoiceCredits().apply(again);
    assertThat(corrected.applied()).isEqualTo(dollars("60.00"));
    assertThat(corrected.replayed()).isFalse();
    assertThat(store.invoiceApplications(CHATPPT, JOHN, AUGUST))
        .extracting(LedgerTransaction::id)
        .containsExactly(t.id(), corrected.transaction().orElseThrow().id());
  }

  @Test
  void invoice_ids_that_differ_only_in_case_or_accents_are_different_invoices() {
    grant(adjustment("100.00").priority(10));
    clock.set(SEPT_1);
    apply("a", "INV-1", List.of(TOKENS));
    assertThat(apply("b", "inv-1", List.of(TOKENS)).applied()).isEqualTo(dollars("40.00"));
    InvoiceLine small = InvoiceLine.usage("tokens", "chatppt.tokens", dollars("0.01"));
    assertThat(apply("c", "INV-\u00c9", List.of(small)).transaction()).isPresent();
    assertThat(apply("d", "INV-E\u0301", List.of(small)).transaction()).isPresent();
    assertThat(store.invoiceApplications(CHATPPT, JOHN, "INV-1")).hasSize(1);
  }

  ReversalResult reverse(LedgerTransaction t, Optional<Amount> amount, String key) {
    ReverseRequest.Builder b =
        ReverseRequest.builder(CHATPPT, JOHN, t.id())
            .idempotencyKey(IdempotencyKey.of(key))
            .actor(FINANCE)
            .reason("invoice corrected");
    amount.ifPresent(b::amount);
    return billing.credits().reverse(b.build());
  }

  // ------------------------------------------------------------------ the story's vocabulary

  static Amount dollars(String value) {
    return Amount.of(USD, value);
  }

  GrantRequest.Builder referral(String value) {
    return GrantRequest.builder(CHATPPT, JOHN, dollars(value))
        .category(GrantCategory.REFERRAL)
        .name("referral credit");
  }

  GrantRequest.Builder adjustment(String value) {
    return GrantRequest.builder(CHATPPT, JOHN, dollars(value))
        .category(GrantCategory.ADJUSTMENT)
        .name("account credit");
  }

  GrantResult grant(GrantRequest.Builder request) {
    GrantResult result =
        billing
            .credits()
            .grant(
                request
                    .idempotencyKey(IdempotencyKey.of("grant-" + ++keys))
                    .actor(FINANCE)
                    .reason("add credits")
                    .build());
    assertThat(result.replayed()).isFalse();
    assertLedgerReplays();
    return result;
  }

  InvoiceCreditRequest request(String key, String invoice, List<InvoiceLine> lines) {
    return InvoiceCreditRequest.builder(CHATPPT, JOHN, invoice)
        .lines(lines)
        .idempotencyKey(IdempotencyKey.of(key))
        .actor(FINANCE)
        .reason("invoice credits")
        .build();
  }

  InvoiceCreditResult apply(String key, String invoice, List<InvoiceLine> lines) {
    InvoiceCreditResult result = billing.invoiceCredits().apply(request(key, invoice, lines));
    assertThat(result.invoice()).isEqualTo(invoice);
    assertThat(result.lines()).extracting(InvoiceCreditResult.LineCredit::line).isEqualTo(lines);
    for (InvoiceCreditResult.LineCredit l : result.lines()) {
      Amount paid = l.applied().stream().map(a -> a.amount()).reduce(dollars("0"), Amount::plus);
      assertThat(paid.plus(l.due())).isEqualTo(l.line().amount());
      assertThat(l.applied())
          .allSatisfy(
              a ->
                  assertThat(
                          grantOf(a.grant().value())
                              .scope()
                              .covers(l.line().kind(), l.line().itemCode()))
                      .isTrue());
    }
    assertThat(result.applied().plus(result.due())).isEqualTo(result.total());
    result
        .transaction()
        .ifPresent(
            t ->
                assertThat(t.minorOn(LedgerAccount.counter(LedgerAccount.Kind.CONSUMED)))
                    .isEqualTo(result.applied().minor()));
    assertLedgerReplays();
    return result;
  }

  dev.billingsdk.credit.Grant grantOf(String id) {
    return billing.credits().grants(CHATPPT, JOHN).stream()
        .filter(g -> g.grant().id().value().equals(id))
        .findFirst()
        .orElseThrow()
        .grant();
  }

  GrantBalance grantBalance(GrantResult grant) {
    return billing.credits().grants(CHATPPT, JOHN).stream()
        .filter(g -> g.grant().id().equals(grant.grant().id()))
        .findFirst()
        .orElseThrow();
  }

  Amount remaining(GrantResult grant) {
    return grantBalance(grant).remaining();
  }

  static List<Tuple> paidOn(InvoiceCreditResult result, String line) {
    return result.line(line).applied().stream()
        .map(a -> tuple(a.grant().value(), a.amount().toDecimal().toPlainString()))
        .toList();
  }

  static List<String> dueOn(InvoiceCreditResult result) {
    return result.lines().stream().map(l -> l.due().toDecimal().toPlainString()).toList();
  }

  static List<Tuple> postingsOf(LedgerTransaction t) {
    return t.postings().stream()
        .map(p -> tuple(p.account().toString(), p.amount().minor()))
        .toList();
  }

  <E extends BillingEvent> List<E> eventsOf(Class<E> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  void assertLedger(TransactionType... types) {
    assertThat(billing.ledger().transactions(CHATPPT, JOHN))
        .extracting(LedgerTransaction::type)
        .containsExactly(types);
  }

  /** Every grant's stored balance is the sum of its postings, and every transaction balances. */
  void assertLedgerReplays() {
    Map<String, Long> byGrant = new HashMap<>();
    for (LedgerTransaction t : billing.ledger().transactions(CHATPPT, JOHN)) {
      assertThat(t.postings().stream().mapToLong(p -> p.amount().minor()).sum())
          .as("postings of %s sum to zero", t.id())
          .isZero();
      for (Posting p : t.postings()) {
        if (p.account().isGrant()) {
          byGrant.merge(p.account().grantId(), p.amount().minor(), Long::sum);
        }
      }
    }
    for (GrantBalance g : billing.credits().grants(CHATPPT, JOHN)) {
      assertThat(byGrant.getOrDefault(g.grant().id().value(), 0L))
          .as("ledger replay of %s", g.grant().id())
          .isEqualTo(g.remaining().minor());
    }
  }

  void assertRefused(Runnable call, String field, String value) {
    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class, call::run);
    assertThat(e).as("expected %s to be refused", field).isNotNull();
    assertThat(e.field()).isEqualTo(field);
    assertThat(e.value()).isEqualTo(value);
  }

  /** Everything the store holds for John: a refused or read-only call must leave it as it was. */
  record StoreState(
      Optional<AccountSnapshot> account,
      List<LedgerTransaction> transactions,
      List<GrantBalance> grants,
      List<OutboxEntry> outbox) {}

  StoreState state() {
    return new StoreState(
        store.loadAccount(CHATPPT, JOHN),
        store.transactions(CHATPPT, JOHN),
        store.grants(CHATPPT, JOHN),
        store.pendingEvents(10_000));
  }
}
