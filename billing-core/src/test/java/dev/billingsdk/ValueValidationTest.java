package dev.billingsdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.CostBasis;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Price;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every validating value type refuses bad input with an {@link InvalidRequestException} that names
 * the field and the refused value, before anything can be written.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ValueValidationTest {
  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 0);
  static final CurrencyUnit USD = CurrencyUnit.of("USD");
  static final TenantId TENANT = TenantId.of("acme");
  static final AccountId ACCOUNT = AccountId.of("user-ada");
  static final Actor FINANCE = Actor.of("fin-1", Role.FINANCE);
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  static final Price DOLLAR_PER_100 = Price.of(Amount.of(USD, "1.00"), Amount.ofMinor(CREDIT, 100));

  static Amount credits(long n) {
    return Amount.ofMinor(CREDIT, n);
  }

  /** Asserts that {@code call} is refused naming {@code field} and {@code value}. */
  static InvalidRequestException refused(ThrowingCallable call, String field, String value) {
    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class, call);
    assertThat(e).as("expected an InvalidRequestException for %s", field).isNotNull();
    assertThat(e.field()).isEqualTo(field);
    assertThat(e.value()).isEqualTo(value);
    assertThat(e.getMessage()).startsWith(field + " ").contains("(was: " + value + ")");
    return e;
  }

  @Nested
  class Identifiers_via_TenantId {
    @Test
    void a_plain_id_is_accepted() {
      assertThat(TenantId.of("acme-corp_01").value()).isEqualTo("acme-corp_01");
      String longest = "t".repeat(dev.billingsdk.Identifiers.MAX_LENGTH);
      assertThat(TenantId.of(longest).value()).hasSize(128);
    }

    @Test
    void null_is_refused() {
      refused(() -> TenantId.of(null), "tenant", "null");
    }

    @Test
    void blank_is_refused() {
      refused(() -> TenantId.of(""), "tenant", "\"\"");
      refused(() -> TenantId.of("   "), "tenant", "\"   \"");
    }

    @Test
    void longer_than_128_characters_is_refused_showing_a_prefix() {
      String tooLong = "abcdefghijklmnop" + "x".repeat(113);
      refused(
          () -> TenantId.of(tooLong),
          "tenant",
          "abcdefghijklmnop" + "x".repeat(48) + "... (129 characters)");
    }

    @Test
    void control_characters_are_refused() {
      // The refused value is shown with control characters escaped, so a message stays printable.
      refused(() -> TenantId.of("ac\nme"), "tenant", "ac\\u000Ame");
      refused(() -> TenantId.of("ac\u0000me"), "tenant", "ac\\u0000me");
    }

    @Test
    void leading_or_trailing_white_space_is_refused() {
      refused(() -> TenantId.of(" acme"), "tenant", " acme");
      refused(() -> TenantId.of("acme\u2003"), "tenant", "acme\u2003");
    }

    @Test
    void other_identifiers_name_their_own_field() {
      refused(() -> AccountId.of(""), "account", "\"\"");
      refused(() -> IdempotencyKey.of(null), "idempotencyKey", "null");
      refused(() -> GrantId.of(" g"), "grant", " g");
      refused(() -> TransactionId.of("t\tx"), "transaction", "t\\u0009x");
      refused(() -> Actor.of(" ", Role.ADMIN), "actor", "\" \"");
      refused(() -> new Actor("ops", null), "roles", "null");
    }
  }

  @Nested
  class Grant_terms {
    Grant grant(int priority, Amount amount, Instant from, Optional<Instant> expiry, CostBasis cb) {
      return new Grant(
          GrantId.of("grt_1"),
          TENANT,
          ACCOUNT,
          "awarded",
          GrantCategory.PROMOTIONAL,
          priority,
          amount,
          from,
          expiry,
          Scope.everything(),
          cb,
          Map.of(),
          FINANCE,
          T0,
          1);
    }

    Grant grant(int priority) {
      return grant(priority, credits(100), T0, Optional.empty(), CostBasis.free());
    }

    Grant grantWithMetadata(Map<String, String> metadata) {
      return new Grant(
          GrantId.of("grt_1"),
          TENANT,
          ACCOUNT,
          "awarded",
          GrantCategory.PROMOTIONAL,
          50,
          credits(100),
          T0,
          Optional.empty(),
          Scope.everything(),
          CostBasis.free(),
          metadata,
          FINANCE,
          T0,
          1);
    }

    @Test
    void what_is_left_of_a_grant_is_in_the_grant_unit() {
      var e =
          catchThrowableOfType(
              dev.billingsdk.money.UnitMismatchException.class,
              () -> new GrantBalance(grant(50), Amount.of(USD, "1.00"), false));
      assertThat(e).as("a UnitMismatchException").isNotNull();
      assertThat(e.expected()).isEqualTo(CREDIT);
      assertThat(e.actual()).isEqualTo(USD);
      assertThat(new GrantBalance(grant(50), credits(40), false).remaining())
          .isEqualTo(credits(40));
    }

    @Test
    void stored_metadata_may_hold_the_library_keys_but_only_text_a_database_keeps() {
      assertThat(grantWithMetadata(Map.of("billing.usage.meter", "tokens")).metadata())
          .containsEntry("billing.usage.meter", "tokens");
      refused(
          () -> grantWithMetadata(Map.of("campaign", "q3\0")), "metadata.campaign", "q3\\u0000");
    }

    @ParameterizedTest(name = "priority {0} is refused")
    @ValueSource(ints = {0, 101, -1, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void priorities_outside_1_to_100_are_refused(int priority) {
      refused(() -> grant(priority), "priority", Integer.toString(priority));
    }

    @ParameterizedTest(name = "priority {0} is accepted")
    @ValueSource(ints = {1, 50, 100})
    void priorities_1_to_100_are_accepted(int priority) {
      assertThat(grant(priority).priority()).isEqualTo(priority);
    }

    @Test
    void the_amount_must_be_positive() {
      refused(
          () -> grant(10, credits(0), T0, Optional.empty(), CostBasis.free()),
          "amount",
          "CREDIT 0");
      refused(
          () -> grant(10, credits(-5), T0, Optional.empty(), CostBasis.free()),
          "amount",
          "CREDIT -5");
    }

    @Test
    void expiry_must_come_after_effective_from() {
      refused(
          () -> grant(10, credits(1), T0, Optional.of(T0), CostBasis.free()),
          "expiresAt",
          "2025-01-01T00:00:00Z");
      refused(
          () -> grant(10, credits(1), T0, Optional.of(T0.minusSeconds(1)), CostBasis.free()),
          "expiresAt",
          "2024-12-31T23:59:59Z");
      assertThat(
              grant(10, credits(1), T0, Optional.of(T0.plusSeconds(1)), CostBasis.free())
                  .expiresAt())
          .contains(T0.plusSeconds(1));
    }

    @Test
    void a_cost_basis_must_be_per_the_grant_unit() {
      Price perOtherCredit =
          Price.of(Amount.of(USD, "1.00"), Amount.ofMinor(CreditUnit.of("TOKEN", 0), 100));
      refused(
          () -> grant(10, credits(1), T0, Optional.empty(), CostBasis.paid(perOtherCredit)),
          "costBasis",
          "USD 1.00 per TOKEN 100");
    }

    @Test
    void a_missing_cost_basis_price_is_refused() {
      refused(() -> CostBasis.paid(null), "costBasis", "null");
    }

    @Test
    void active_from_effective_from_inclusive_until_expiry_exclusive() {
      Grant g = grant(10, credits(1), T0, Optional.of(T0.plusSeconds(60)), CostBasis.free());
      assertThat(g.isActiveAt(T0.minusNanos(1))).isFalse();
      assertThat(g.isActiveAt(T0)).isTrue();
      assertThat(g.isActiveAt(T0.plusSeconds(59))).isTrue();
      assertThat(g.isActiveAt(T0.plusSeconds(60))).isFalse();
    }
  }

  @Nested
  class GrantRequest_terms {
    GrantRequest.Builder builder() {
      return GrantRequest.builder(TENANT, ACCOUNT, credits(500))
          .idempotencyKey(IdempotencyKey.of("grant-1"))
          .actor(FINANCE)
          .reason("welcome credits");
    }

    @Test
    void each_setter_checks_its_value_at_once_where_the_mistake_is_made() {
      GrantRequest.Builder b = GrantRequest.builder(TENANT, ACCOUNT, credits(500));
      refused(() -> b.priority(0), "priority", "0");
      refused(() -> b.name("promo\uD800"), "name", "promo\\uD800");
      refused(
          () -> b.expiresAt(java.time.Instant.MAX),
          "expiresAt",
          "+1000000000-12-31T23:59:59.999999999Z");
      refused(() -> b.scope(null), "scope", "null");
      refused(() -> GrantRequest.builder(TENANT, ACCOUNT, credits(0)), "amount", "CREDIT 0");
    }

    @Test
    void a_setter_called_twice_is_refused_naming_the_value_it_already_has() {
      InvalidRequestException e =
          refused(() -> builder().priority(10).priority(20), "priority", "20");
      assertThat(e.getMessage()).contains("was already set to 10");
      refused(() -> builder().reason("again"), "reason", "again");
      refused(
          () -> builder().idempotencyKey(IdempotencyKey.of("grant-2")),
          "idempotencyKey",
          "grant-2");
    }

    @Test
    void the_builder_defaults_are_safe() {
      GrantRequest r = builder().build();
      assertThat(r.priority()).isEqualTo(50);
      assertThat(r.category()).isEqualTo(GrantCategory.PROMOTIONAL);
      assertThat(r.costBasis().isFree()).isTrue();
      assertThat(r.scope()).isEqualTo(Scope.everything());
      assertThat(r.effectiveFrom()).isEmpty();
      assertThat(r.expiresAt()).isEmpty();
    }

    @ParameterizedTest(name = "priority {0} is refused")
    @ValueSource(ints = {0, 101})
    void priority_0_and_101_are_refused(int priority) {
      refused(() -> builder().priority(priority).build(), "priority", Integer.toString(priority));
    }

    @ParameterizedTest(name = "priority {0} is accepted")
    @ValueSource(ints = {1, 100})
    void priority_1_and_100_are_accepted(int priority) {
      assertThat(builder().priority(priority).build().priority()).isEqualTo(priority);
    }

    @Test
    void a_nul_character_in_free_text_is_refused_because_no_database_keeps_it() {
      refused(
          () -> builder().reason("welcome\0credits").build(), "reason", "welcome\\u0000credits");
      refused(() -> builder().name("promo\0").build(), "name", "promo\\u0000");
      refused(
          () -> builder().metadata(java.util.Map.of("campaign", "q3\0")).build(),
          "metadata.campaign",
          "q3\\u0000");
    }

    @Test
    void purchased_credits_without_a_cost_basis_are_refused() {
      refused(() -> builder().category(GrantCategory.PURCHASED).build(), "costBasis", "free");
    }

    @Test
    void purchased_credits_at_a_zero_price_are_refused_as_free() {
      Price zero = Price.of(Amount.of(USD, "0.00"), credits(100));
      refused(
          () -> builder().category(GrantCategory.PURCHASED).costBasis(CostBasis.paid(zero)).build(),
          "costBasis",
          "USD 0.00 per CREDIT 100");
    }

    @Test
    void purchased_credits_with_a_price_are_accepted() {
      GrantRequest r =
          builder()
              .category(GrantCategory.PURCHASED)
              .costBasis(CostBasis.paid(DOLLAR_PER_100))
              .build();
      assertThat(r.costBasis().price()).contains(DOLLAR_PER_100);
    }

    @Test
    void the_amount_must_be_positive() {
      refused(
          () -> GrantRequest.builder(TENANT, ACCOUNT, credits(0)).build(), "amount", "CREDIT 0");
    }

    @Test
    void expiry_must_come_after_effective_from() {
      refused(
          () -> builder().effectiveFrom(T0).expiresAt(T0).build(),
          "expiresAt",
          "2025-01-01T00:00:00Z");
    }

    @Test
    void a_name_is_at_most_200_characters() {
      refused(
          () -> builder().name("n".repeat(201)).build(),
          "name",
          "n".repeat(64) + "... (201 characters)");
      assertThat(builder().name("n".repeat(200)).build().name()).hasSize(200);
    }

    @Test
    void key_actor_and_reason_are_required() {
      refused(
          () ->
              GrantRequest.builder(TENANT, ACCOUNT, credits(5)).actor(FINANCE).reason("r").build(),
          "idempotencyKey",
          "null");
      refused(
          () ->
              GrantRequest.builder(TENANT, ACCOUNT, credits(5))
                  .idempotencyKey(IdempotencyKey.of("k"))
                  .reason("r")
                  .build(),
          "actor",
          "null");
      refused(() -> builder().reason(" ").build(), "reason", "\" \"");
    }

    @Test
    void a_metadata_key_is_at_most_64_characters() {
      String longest = "k".repeat(64);
      assertThat(builder().metadata(Map.of(longest, "v")).build().metadata())
          .containsEntry(longest, "v");
      refused(
          () -> builder().metadata(Map.of(longest + "k", "v")).build(),
          "metadata",
          "k".repeat(64) + "... (65 characters)");
    }

    @Test
    void metadata_keys_reserved_for_the_library_are_refused() {
      refused(
          () -> builder().metadata(Map.of("billing.grant", "x")).build(),
          "metadata",
          "billing.grant");
    }

    @Test
    void a_missing_category_or_scope_is_refused() {
      refused(() -> builder().category(null).build(), "category", "null");
      refused(() -> builder().scope(null).build(), "scope", "null");
    }
  }

  @Nested
  class Charge_terms {
    @Test
    void the_amount_must_be_positive() {
      refused(() -> Charge.usage("gpt-4o", credits(0)), "amount", "CREDIT 0");
      refused(() -> Charge.usage("gpt-4o", credits(-1)), "amount", "CREDIT -1");
    }

    @Test
    void the_item_code_is_an_identifier() {
      refused(() -> Charge.usage("", credits(1)), "itemCode", "\"\"");
      refused(() -> Charge.usage(" gpt-4o", credits(1)), "itemCode", " gpt-4o");
    }

    @Test
    void the_kind_and_amount_are_required() {
      refused(() -> Charge.of(null, "fee", credits(1)), "kind", "null");
      refused(() -> Charge.of(ChargeKind.FIXED_FEE, "fee", null), "amount", "null");
    }

    @Test
    void a_valid_charge_keeps_its_terms() {
      Charge c = Charge.usage("gpt-4o", credits(3));
      assertThat(c.kind()).isEqualTo(ChargeKind.USAGE);
      assertThat(c.itemCode()).isEqualTo("gpt-4o");
      assertThat(c.amount()).isEqualTo(credits(3));
    }
  }

  @Nested
  class Scope_terms {
    @Test
    void a_scope_covering_nothing_is_refused() {
      refused(() -> new Scope(false, Set.of(), Set.of()), "scope", "nothing");
      refused(() -> Scope.meters(), "scope", "nothing");
    }

    @Test
    void everything_cannot_be_combined_with_parts() {
      refused(
          () -> new Scope(true, Set.of(ChargeKind.USAGE), Set.of()),
          "scope",
          "everything+[USAGE][]");
    }

    @Test
    void missing_parts_are_refused() {
      refused(() -> new Scope(false, null, Set.of()), "scope.kinds", "null");
      refused(() -> new Scope(false, Set.of(ChargeKind.USAGE), null), "scope.items", "null");
    }

    @Test
    void a_meter_name_is_an_identifier() {
      refused(() -> Scope.meters("gpt-4o", ""), "itemCode", "\"\"");
    }

    @Test
    void everything_prints_as_everything() {
      assertThat(Scope.everything().canonical()).isEqualTo("everything");
      assertThat(Scope.everything()).hasToString("everything");
      assertThat(Scope.allUsageMeters()).hasToString("all:USAGE");
    }

    @Test
    void named_meters_cover_those_meters_only() {
      Scope s = Scope.meters("gpt-4o");
      assertThat(s.covers(ChargeKind.USAGE, "gpt-4o")).isTrue();
      assertThat(s.covers(ChargeKind.USAGE, "gpt-4o-mini")).isFalse();
      assertThat(s.covers(ChargeKind.FIXED_FEE, "gpt-4o")).isFalse();
      assertThat(s.canonical()).isEqualTo("USAGE:gpt-4o");
      assertThat(Scope.allFixedFees().plusKinds(ChargeKind.LICENCE).canonical())
          .isEqualTo("all:FIXED_FEE,all:LICENCE");
    }
  }

  @Nested
  class GrantCategory_terms {
    @ParameterizedTest(name = "category \"{0}\" is refused")
    @ValueSource(strings = {"", "promo", "Awarded", "1ST", "A-B", "A B"})
    void codes_must_be_upper_case_words(String code) {
      refused(() -> GrantCategory.of(code), "category", code);
    }

    @Test
    void a_missing_code_is_refused() {
      refused(() -> GrantCategory.of(null), "category", "null");
    }

    @Test
    void a_host_may_define_its_own_category() {
      assertThat(GrantCategory.of("HACKATHON_2025").code()).isEqualTo("HACKATHON_2025");
      assertThat(GrantCategory.of("HACKATHON_2025")).hasToString("HACKATHON_2025");
      assertThat(GrantCategory.of("PURCHASED")).isEqualTo(GrantCategory.PURCHASED);
    }
  }

  @Nested
  class OverdraftPolicy_Limit_terms {
    @Test
    void a_limit_must_be_positive() {
      refused(() -> OverdraftPolicy.allowDownTo(credits(0)), "overdraftLimit", "CREDIT 0");
      refused(() -> OverdraftPolicy.allowDownTo(credits(-10)), "overdraftLimit", "CREDIT -10");
      refused(() -> OverdraftPolicy.allowDownTo(null), "overdraftLimit", "null");
    }

    @Test
    void each_policy_prints_what_it_allows() {
      assertThat(OverdraftPolicy.reject()).hasToString("reject");
      assertThat(OverdraftPolicy.partial()).hasToString("partial");
      assertThat(OverdraftPolicy.allowDownTo(credits(50))).hasToString("down to -CREDIT 50");
    }

    @Test
    void a_positive_limit_is_kept() {
      assertThat(OverdraftPolicy.allowDownTo(credits(50)))
          .isEqualTo(new OverdraftPolicy.Limit(credits(50)));
    }
  }

  @Nested
  class Ledger_values {
    final LedgerAccount grant = LedgerAccount.grant(GrantId.of("grt_1"));
    final LedgerAccount consumed = LedgerAccount.counter(LedgerAccount.Kind.CONSUMED);

    LedgerTransaction transaction(List<Posting> postings) {
      return new LedgerTransaction(
          TransactionId.of("txn_1"),
          TENANT,
          ACCOUNT,
          TransactionType.USAGE_DEBIT,
          IdempotencyKey.of("k1"),
          "sha256:00",
          FINANCE,
          "usage",
          T0,
          postings,
          Map.of(),
          1);
    }

    @Test
    void a_posting_must_not_be_zero() {
      refused(() -> Posting.of(grant, credits(0)), "amount", "CREDIT 0");
    }

    @Test
    void a_grant_ledger_account_needs_a_grant_id_and_counters_must_not_have_one() {
      refused(() -> new LedgerAccount(LedgerAccount.Kind.GRANT, ""), "grantId", "");
      refused(() -> new LedgerAccount(LedgerAccount.Kind.CONSUMED, "grt_1"), "grantId", "grt_1");
      refused(() -> new LedgerAccount(null, ""), "kind", "null");
      assertThat(grant.grant()).isEqualTo(GrantId.of("grt_1"));
    }

    @Test
    void unbalanced_postings_are_refused_naming_the_remaining_sum() {
      refused(
          () ->
              transaction(
                  List.of(Posting.of(grant, credits(-100)), Posting.of(consumed, credits(95)))),
          "postings",
          "CREDIT -5");
    }

    @Test
    void postings_must_balance_in_each_unit_not_just_in_total() {
      InvalidRequestException e =
          catchThrowableOfType(
              InvalidRequestException.class,
              () ->
                  transaction(
                      List.of(
                          Posting.of(grant, credits(-100)),
                          Posting.of(consumed, Amount.ofMinor(USD, 100)))));
      assertThat(e.field()).isEqualTo("postings");
      // Either unit's non-zero sum may be named first.
      assertThat(e.value()).isIn("CREDIT -100", "USD 1.00");
    }

    @Test
    void balanced_postings_are_kept_and_summed_per_account() {
      LedgerTransaction t =
          transaction(
              List.of(
                  Posting.of(grant, credits(-60)),
                  Posting.of(grant, credits(-40)),
                  Posting.of(consumed, credits(100))));
      assertThat(t.minorOn(grant)).isEqualTo(-100);
      assertThat(t.minorOn(consumed)).isEqualTo(100);
      assertThat(t.minorOn(LedgerAccount.counter(LedgerAccount.Kind.VOIDED))).isZero();
    }

    @Test
    void a_reference_without_a_value_is_refused_naming_its_key() {
      Map<String, String> references = new java.util.HashMap<>();
      references.put("note", null);
      List<Posting> postings =
          List.of(Posting.of(grant, credits(-5)), Posting.of(consumed, credits(5)));
      refused(
          () ->
              new LedgerTransaction(
                  TransactionId.of("txn_1"),
                  TENANT,
                  ACCOUNT,
                  TransactionType.USAGE_DEBIT,
                  IdempotencyKey.of("k1"),
                  "sha256:00",
                  FINANCE,
                  "usage",
                  T0,
                  postings,
                  references,
                  1),
          "references.note",
          "null");
    }

    @Test
    void a_reused_idempotency_key_names_the_key_the_tenant_and_the_original_transaction() {
      var e =
          new dev.billingsdk.ledger.IdempotencyConflictException(
              TENANT, IdempotencyKey.of("usage-7"), TransactionId.of("txn_42"));
      assertThat(e.getMessage())
          .isEqualTo(
              "idempotency key usage-7 in tenant acme was already used for a different request"
                  + " (transaction txn_42)");
      assertThat(e.original()).isEqualTo(TransactionId.of("txn_42"));
    }

    @Test
    void a_reason_and_fingerprint_are_required() {
      refused(
          () ->
              new LedgerTransaction(
                  TransactionId.of("txn_1"),
                  TENANT,
                  ACCOUNT,
                  TransactionType.CHARGE,
                  IdempotencyKey.of("k1"),
                  "",
                  FINANCE,
                  "r",
                  T0,
                  List.of(),
                  Map.of(),
                  1),
          "fingerprint",
          "\"\"");
    }
  }

  @Nested
  class LowBalanceAlert_terms {
    @Test
    void threshold_and_rearm_point_must_be_in_one_unit() {
      var e =
          catchThrowableOfType(
              dev.billingsdk.money.UnitMismatchException.class,
              () ->
                  new dev.billingsdk.credit.LowBalanceAlert(credits(10), Amount.of(USD, "-20.00")));
      assertThat(e).as("a UnitMismatchException").isNotNull();
      assertThat(e.expected()).isEqualTo(CREDIT);
      assertThat(e.actual()).isEqualTo(USD);
    }

    @Test
    void the_rearm_point_must_not_be_below_the_threshold() {
      refused(
          () -> new dev.billingsdk.credit.LowBalanceAlert(credits(10), credits(9)),
          "rearmAt",
          "CREDIT 9");
      assertThat(dev.billingsdk.credit.LowBalanceAlert.below(credits(10)).rearmAt())
          .isEqualTo(credits(10));
    }
  }

  @Nested
  class InvoiceLine_terms {
    @Test
    void a_line_is_covered_by_a_scope_of_its_kind_or_its_item() {
      var line =
          dev.billingsdk.credit.InvoiceLine.of(
              "line-1", ChargeKind.LICENCE, "seat-pro", credits(30));

      assertThat(line.isCoveredBy(Scope.everything())).isTrue();
      assertThat(line.isCoveredBy(Scope.allLicences())).isTrue();
      assertThat(
              line.isCoveredBy(
                  Scope.items(new dev.billingsdk.credit.ItemRef(ChargeKind.LICENCE, "seat-pro"))))
          .isTrue();
      assertThat(line.isCoveredBy(Scope.allUsageMeters())).isFalse();
      assertThat(
              line.isCoveredBy(
                  Scope.items(new dev.billingsdk.credit.ItemRef(ChargeKind.LICENCE, "seat-team"))))
          .isFalse();
    }

    @Test
    void a_line_amount_must_be_positive() {
      refused(
          () -> dev.billingsdk.credit.InvoiceLine.addOn("line-2", "storage", credits(0)),
          "amount",
          "CREDIT 0");
    }
  }

  @Nested
  class Account_terms {
    Account account(Optional<String> externalKey) {
      return new Account(
          TENANT, ACCOUNT, CREDIT, OverdraftPolicy.reject(), Map.of(), FINANCE, T0, externalKey);
    }

    @Test
    void an_external_key_is_an_identifier() {
      assertThat(account(Optional.of("crm-4711")).externalKey()).contains("crm-4711");
      refused(() -> account(Optional.of("crm 4711 ")), "externalKey", "crm 4711 ");
      refused(() -> account(null), "externalKey", "null");
    }
  }
}
