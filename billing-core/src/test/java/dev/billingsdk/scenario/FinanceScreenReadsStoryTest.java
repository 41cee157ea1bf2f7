package dev.billingsdk.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdGenerator;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.AccountBalance;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.Credits;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.VoidGrantRequest;
import dev.billingsdk.ledger.IdempotencyConflictException;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * What a finance screen reads (issue 12): balances by every category the account ever held, one
 * grant by id, and the account found by the host's key. Time is an injected clock.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FinanceScreenReadsStoryTest {
  static final TenantId ACME = TenantId.of("acme");
  static final TenantId GLOBEX = TenantId.of("globex");
  static final AccountId ADA = AccountId.of("user-ada");
  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 0);
  static final Actor FINANCE = Actor.of("finance-fran", Role.FINANCE);
  static final Actor METER = Actor.system("usage-meter");
  static final GrantCategory PARTNER = GrantCategory.of("PARTNER");
  static final GrantCategory PLAN = GrantCategory.of("PLAN");
  static final Instant NEW_YEAR = Instant.parse("2025-01-01T00:00:00Z");
  static final Instant FEB_1 = Instant.parse("2025-02-01T00:00:00Z");

  TestClock clock;
  Billing billing;
  Credits credits;
  int keys;

  @BeforeEach
  void a_billing_on_an_in_memory_store_with_a_frozen_clock() {
    clock = new TestClock(NEW_YEAR);
    billing =
        Billing.builder()
            .store(InMemoryBillingStore.create())
            .clock(clock)
            .ids(IdGenerator.sequential())
            .build();
    credits = billing.credits();
  }

  @Test
  void the_balance_keeps_every_category_ada_ever_held_with_zero_where_spent() {
    credits.openAccount(OpenAccountRequest.builder(ACME, ADA, CREDIT).actor(FINANCE).build());
    assertThat(credits.balance(ACME, ADA).availableByCategory()).isEmpty();

    GrantResult promo =
        grant(GrantCategory.PROMOTIONAL, 100, b -> b.expiresAt(FEB_1).name("welcome"));
    GrantResult bought = grant(PLAN, 500, b -> {});
    GrantResult partner = grant(PARTNER, 50, b -> {});
    assertCategories(GrantCategory.PROMOTIONAL, 100, PLAN, 500, PARTNER, 50);

    // Finance voids the partner allowance: the row stays, at zero.
    credits.voidGrant(
        VoidGrantRequest.builder(ACME, ADA, partner.grant().id())
            .idempotencyKey(key())
            .actor(FINANCE)
            .reason("partner contract ended")
            .build());
    assertCategories(GrantCategory.PROMOTIONAL, 100, PLAN, 500, PARTNER, 0);

    // February: the welcome credits expire (not yet swept, then swept); the row stays.
    clock.set(FEB_1.plus(Duration.ofHours(1)));
    assertCategories(GrantCategory.PROMOTIONAL, 0, PLAN, 500, PARTNER, 0);
    billing.sweeps().expireGrants(ACME, FINANCE, false);
    assertCategories(GrantCategory.PROMOTIONAL, 0, PLAN, 500, PARTNER, 0);

    // Ada spends everything she bought: every row is zero, in the same order.
    credits.charge(
        ChargeRequest.builder(ACME, ADA, Charge.usage("gpt-4o.input", credits(500)))
            .idempotencyKey(key())
            .actor(METER)
            .reason("usage")
            .build());
    assertCategories(GrantCategory.PROMOTIONAL, 0, PLAN, 0, PARTNER, 0);
    AccountBalance empty = credits.balance(ACME, ADA);
    assertThat(empty.grants()).isEmpty();
    assertThat(empty.available()).isEqualTo(credits(0));

    // A new promotional grant fills its old row; it does not move to the end.
    grant(GrantCategory.PROMOTIONAL, 30, b -> {});
    assertCategories(GrantCategory.PROMOTIONAL, 30, PLAN, 0, PARTNER, 0);

    // One grant by id, in any state.
    GrantBalance expired = credits.findGrant(ACME, promo.grant().id()).orElseThrow();
    assertThat(expired.grant().name()).isEqualTo("welcome");
    assertThat(expired.remaining()).isEqualTo(credits(0));
    assertThat(credits.findGrant(ACME, bought.grant().id()).orElseThrow().remaining())
        .isEqualTo(credits(0));
    assertThat(credits.findGrant(ACME, partner.grant().id()).orElseThrow().voided()).isTrue();
    assertThat(credits.findGrant(ACME, GrantId.of("grt_none"))).isEmpty();
    assertThat(credits.findGrant(GLOBEX, bought.grant().id())).isEmpty();
    assertThat(
            caught(
                    () -> credits.findGrant(null, bought.grant().id()),
                    InvalidRequestException.class)
                .field())
        .isEqualTo("tenant");
    assertThat(caught(() -> credits.findGrant(ACME, null), InvalidRequestException.class).field())
        .isEqualTo("grant");
  }

  @Test
  void adas_metadata_is_kept_and_is_part_of_her_accounts_terms() {
    Map<String, String> crm = Map.of("plan", "pro", "crm-id", "4711");
    OpenAccountRequest open =
        OpenAccountRequest.builder(ACME, ADA, CREDIT).actor(FINANCE).metadata(crm).build();
    assertThat(open.metadata()).isEqualTo(crm);

    Account ada = credits.openAccount(open);
    assertThat(ada.metadata()).isEqualTo(crm);
    assertThat(credits.findAccount(ACME, ADA).orElseThrow().metadata()).isEqualTo(crm);

    // Opening her again with the same metadata returns her; with other metadata is a conflict.
    assertThat(
            credits.openAccount(
                OpenAccountRequest.builder(ACME, ADA, CREDIT)
                    .actor(FINANCE)
                    .metadata(Map.of("crm-id", "4711", "plan", "pro"))
                    .build()))
        .isEqualTo(ada);
    caught(
        () ->
            credits.openAccount(
                OpenAccountRequest.builder(ACME, ADA, CREDIT)
                    .actor(FINANCE)
                    .metadata(Map.of("plan", "free"))
                    .build()),
        IdempotencyConflictException.class);
    caught(
        () ->
            credits.openAccount(
                OpenAccountRequest.builder(ACME, ADA, CREDIT).actor(FINANCE).build()),
        IdempotencyConflictException.class);
    assertThat(credits.findAccount(ACME, ADA)).contains(ada);
  }

  @Test
  void ada_is_found_by_her_email_and_only_in_her_tenant() {
    Account ada =
        credits.openAccount(
            OpenAccountRequest.builder(ACME, ADA, CREDIT)
                .actor(FINANCE)
                .externalKey("ada@example.com")
                .build());
    assertThat(ada.externalKey()).contains("ada@example.com");
    assertThat(credits.findAccountByKey(ACME, "ada@example.com")).contains(ada);
    assertThat(credits.findAccountByKey(ACME, "Ada@example.com")).isEmpty();
    assertThat(credits.findAccountByKey(GLOBEX, "ada@example.com")).isEmpty();

    // Opening her again with the same key returns her; with another key is a conflict.
    assertThat(
            credits.openAccount(
                OpenAccountRequest.builder(ACME, ADA, CREDIT)
                    .actor(FINANCE)
                    .externalKey("ada@example.com")
                    .build()))
        .isEqualTo(ada);
    caught(
        () ->
            credits.openAccount(
                OpenAccountRequest.builder(ACME, ADA, CREDIT)
                    .actor(FINANCE)
                    .externalKey("ada@work")
                    .build()),
        IdempotencyConflictException.class);

    // Another account of the tenant may not take her key; another tenant may.
    AccountId bob = AccountId.of("user-bob");
    InvalidRequestException taken =
        caught(
            () ->
                credits.openAccount(
                    OpenAccountRequest.builder(ACME, bob, CREDIT)
                        .actor(FINANCE)
                        .externalKey("ada@example.com")
                        .build()),
            InvalidRequestException.class);
    assertThat(taken.field()).isEqualTo("externalKey");
    assertThat(credits.findAccount(ACME, bob)).isEmpty();
    Account elsewhere =
        credits.openAccount(
            OpenAccountRequest.builder(GLOBEX, bob, CREDIT)
                .actor(FINANCE)
                .externalKey("ada@example.com")
                .build());
    assertThat(credits.findAccountByKey(GLOBEX, "ada@example.com")).contains(elsewhere);
    assertThat(credits.findAccountByKey(ACME, "ada@example.com")).contains(ada);

    // A key is an identifier: blank, padded or control characters are refused, naming the field.
    for (String bad : new String[] {"", " ada", "ada ", "a\u0000b", "x".repeat(129)}) {
      assertThat(
              caught(() -> credits.findAccountByKey(ACME, bad), InvalidRequestException.class)
                  .field())
          .as("lookup %s", bad)
          .isEqualTo("externalKey");
      assertThat(
              caught(
                      () ->
                          OpenAccountRequest.builder(ACME, bob, CREDIT)
                              .actor(FINANCE)
                              .externalKey(bad)
                              .build(),
                      InvalidRequestException.class)
                  .field())
          .as("open %s", bad)
          .isEqualTo("externalKey");
    }
    assertThat(
            caught(() -> credits.findAccountByKey(ACME, null), InvalidRequestException.class)
                .field())
        .isEqualTo("externalKey");
    assertThat(
            caught(
                    () -> credits.findAccountByKey(null, "ada@example.com"),
                    InvalidRequestException.class)
                .field())
        .isEqualTo("tenant");
    assertThat(
            caught(
                    () -> OpenAccountRequest.builder(ACME, bob, CREDIT).externalKey(null),
                    InvalidRequestException.class)
                .field())
        .isEqualTo("externalKey");
    assertThat(
            credits
                .openAccount(OpenAccountRequest.builder(ACME, bob, CREDIT).actor(FINANCE).build())
                .externalKey())
        .isEqualTo(Optional.empty());
  }

  private void assertCategories(Object... categoryThenMinor) {
    Map<GrantCategory, Amount> expected = new LinkedHashMap<>();
    for (int i = 0; i < categoryThenMinor.length; i += 2) {
      expected.put(
          (GrantCategory) categoryThenMinor[i],
          credits(((Integer) categoryThenMinor[i + 1]).longValue()));
    }
    AccountBalance balance = credits.balance(ACME, ADA);
    assertThat(balance.availableByCategory()).containsExactlyEntriesOf(expected);
    long sum = expected.values().stream().mapToLong(Amount::minor).sum();
    assertThat(balance.available()).isEqualTo(credits(sum));
  }

  private GrantResult grant(
      GrantCategory category, long n, java.util.function.Consumer<GrantRequest.Builder> terms) {
    GrantRequest.Builder b =
        GrantRequest.builder(ACME, ADA, credits(n))
            .category(category)
            .idempotencyKey(key())
            .actor(FINANCE)
            .reason("finance grants credits");
    terms.accept(b);
    return credits.grant(b.build());
  }

  private static <T extends Throwable> T caught(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Class<T> type) {
    return catchThrowableOfType(type, call);
  }

  private IdempotencyKey key() {
    return IdempotencyKey.of("k-" + ++keys);
  }

  private static Amount credits(long n) {
    return Amount.ofMinor(CREDIT, n);
  }
}
