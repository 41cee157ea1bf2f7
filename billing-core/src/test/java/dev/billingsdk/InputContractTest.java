package dev.billingsdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.ReserveRequest;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.setup.Billing;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one input contract: what text, instants, decimals and durations the library accepts. */
class InputContractTest {
  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 2);

  static final TenantId tenant = TenantId.of("acme");
  static final AccountId account = AccountId.of("org-1");
  static final Actor admin = Actor.of("alice", Role.ADMIN);

  /** A store whose clock stands at {@code now}, with account org-1 holding 5 credits. */
  static Billing billingWithFiveCredits(Instant now) {
    Billing billing =
        Billing.builder()
            .store(InMemoryBillingStore.create())
            .clock(Clock.fixed(now, ZoneOffset.UTC))
            .build();
    billing
        .credits()
        .openAccount(OpenAccountRequest.builder(tenant, account, CREDIT).actor(admin).build());
    billing
        .credits()
        .grant(
            dev.billingsdk.credit.GrantRequest.builder(tenant, account, Amount.of(CREDIT, "5"))
                .idempotencyKey(IdempotencyKey.of("g-1"))
                .actor(admin)
                .reason("welcome")
                .build());
    return billing;
  }

  static InvalidRequestException refused(Runnable call, String field) {
    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class, call::run);
    assertThat(e).as("expected a refusal naming %s", field).isNotNull();
    assertThat(e.field()).isEqualTo(field);
    return e;
  }

  @Nested
  class Text {
    @Test
    void unpaired_surrogates_are_refused_where_a_driver_would_replace_them_and_merge_two_ids() {
      // "a\uD800" and "a\uDBFF" both become "a?" through the PostgreSQL and MariaDB drivers.
      InvalidRequestException high = refused(() -> AccountId.of("org-\uD800"), "account");
      assertThat(high.getMessage()).contains("unpaired surrogate U+D800 at index 4");
      assertThat(high.value()).isEqualTo("org-\\uD800");
      refused(() -> AccountId.of("org-\uDC00"), "account");
      refused(() -> AccountId.of("\uDC00\uD800"), "account"); // a pair in the wrong order
      refused(() -> IdempotencyKey.of("key-\uD83D"), "idempotencyKey");
      refused(() -> InputContract.reason("refund \uDFFF", "reason"), "reason");
    }

    @Test
    void characters_outside_the_basic_plane_and_combining_marks_are_kept_as_they_are() {
      String emoji = "\uD83D\uDE00".repeat(64); // 64 code points, 128 UTF-16 characters
      assertThat(AccountId.of(emoji).value()).isEqualTo(emoji);
      String composed = "caf\u00E9";
      String decomposed = "cafe\u0301";
      assertThat(AccountId.of(composed)).isNotEqualTo(AccountId.of(decomposed));
      assertThat(InputContract.reason("\u05E9\u05DC\u05D5\u05DD, refund ", "reason")).endsWith(" ");
    }

    @Test
    void lengths_are_counted_in_utf16_characters_and_the_refusal_shows_a_shortened_value() {
      refused(() -> AccountId.of("\uD83D\uDE00".repeat(64) + "x"), "account");
      InvalidRequestException e =
          refused(() -> InputContract.reason("r".repeat(4_001), "reason"), "reason");
      assertThat(e.value()).isEqualTo("r".repeat(64) + "... (4001 characters)");
      assertThat(e.getMessage()).hasSizeLessThan(200);
      assertThat(InputContract.reason("r".repeat(4_000), "reason")).hasSize(4_000);
    }

    @Test
    void nul_is_refused_in_free_text_even_where_empty_text_is_allowed() {
      assertThat(InputContract.text("", "name", InputContract.MAX_NAME)).isEmpty();
      refused(() -> InputContract.text("a\0b", "name", InputContract.MAX_NAME), "name");
      refused(() -> InputContract.text(null, "name", InputContract.MAX_NAME), "name");
    }
  }

  @Nested
  class Instants {
    @Test
    void years_1_to_9999_are_accepted_and_kept_to_the_microsecond() {
      assertThat(InputContract.instant(InputContract.EARLIEST, "at"))
          .isEqualTo(Instant.parse("0001-01-01T00:00:00Z"));
      assertThat(InputContract.instant(InputContract.LATEST, "at"))
          .isEqualTo(Instant.parse("9999-12-31T23:59:59.999999Z"));
      assertThat(InputContract.instant(Instant.parse("2026-01-01T00:00:00.123456789Z"), "at"))
          .isEqualTo(Instant.parse("2026-01-01T00:00:00.123456Z"));
    }

    @Test
    void instants_that_some_database_would_change_are_refused() {
      // MariaDB reads year -4712 back as 4713 and year 0 as 1; PostgreSQL's range ends in 294276.
      for (String text :
          new String[] {
            "-4712-01-01T00:00:00Z",
            "0000-12-31T23:59:59.999999Z",
            "+10000-01-01T00:00:00Z",
            "+294277-01-01T00:00:00Z"
          }) {
        refused(() -> InputContract.instant(Instant.parse(text), "expiresAt"), "expiresAt");
      }
      refused(() -> InputContract.instant(Instant.MIN, "expiresAt"), "expiresAt");
      refused(() -> InputContract.instant(Instant.MAX, "expiresAt"), "expiresAt");
      refused(() -> InputContract.instant(InputContract.LATEST.plusNanos(1), "at"), "at");
      refused(() -> InputContract.instant(InputContract.EARLIEST.minusNanos(1), "at"), "at");
    }

    @Test
    void a_clock_outside_the_range_is_refused_before_it_dates_a_write() {
      InMemoryBillingStore store = InMemoryBillingStore.create();
      Billing billing =
          Billing.builder().store(store).clock(Clock.fixed(Instant.MAX, ZoneOffset.UTC)).build();
      Actor admin = Actor.of("alice", Role.ADMIN);
      InvalidRequestException e =
          refused(
              () ->
                  billing
                      .credits()
                      .openAccount(
                          OpenAccountRequest.builder(
                                  TenantId.of("acme"), AccountId.of("org-1"), CREDIT)
                              .actor(admin)
                              .build()),
              "clock");
      assertThat(e.getMessage()).contains("years 1 to 9999");
    }

    @Test
    void a_time_to_live_that_ends_after_year_9999_is_refused_and_reserves_nothing() {
      Billing billing = billingWithFiveCredits(Instant.parse("9999-12-31T00:00:00Z"));
      var before = billing.ledger().transactions(tenant, account);

      InvalidRequestException e =
          refused(
              () ->
                  billing
                      .reservations()
                      .reserve(
                          ReserveRequest.builder(
                                  tenant, account, Charge.usage("llm", Amount.of(CREDIT, "1")))
                              .timeToLive(Duration.ofDays(2))
                              .idempotencyKey(IdempotencyKey.of("r-1"))
                              .actor(admin)
                              .reason("an LLM call")
                              .build()),
              "timeToLive");

      assertThat(e.getMessage()).contains("ends after 9999-12-31T23:59:59.999999Z");
      assertThat(billing.ledger().transactions(tenant, account)).isEqualTo(before);
      assertThat(billing.credits().balance(tenant, account).available())
          .isEqualTo(Amount.of(CREDIT, "5"));
    }

    @Test
    void a_range_bound_is_rounded_up_so_it_selects_the_same_stored_instants() {
      Instant micro = Instant.parse("2026-01-01T10:00:00.000001Z");
      assertThat(InputContract.bound(micro, "until")).isEqualTo(micro);
      assertThat(InputContract.bound(micro.plusNanos(1), "until"))
          .isEqualTo(Instant.parse("2026-01-01T10:00:00.000002Z"));
      assertThat(InputContract.bound(micro.minusNanos(1), "from")).isEqualTo(micro);
      // Stored instants are whole microseconds: for each, "before the bound" answers the same.
      Instant until = micro.plusNanos(500);
      for (Instant stored :
          new Instant[] {micro.minusNanos(1_000), micro, micro.plusNanos(1_000)}) {
        assertThat(stored.isBefore(InputContract.bound(until, "until")))
            .as("%s before %s", stored, until)
            .isEqualTo(stored.isBefore(until));
      }
      assertThat(InputContract.bound(InputContract.LATEST, "until"))
          .isEqualTo(InputContract.LATEST);
      refused(() -> InputContract.bound(InputContract.LATEST.plusNanos(1), "until"), "until");
      refused(() -> InputContract.bound(null, "until"), "until");
    }

    @Test
    void the_clock_is_read_to_the_microsecond() {
      Instant fine = Instant.parse("2026-03-01T10:00:00.000000999Z");
      Billing billing = billingWithFiveCredits(fine);
      assertThat(billing.ledger().transactions(tenant, account).get(0).recordedAt())
          .isEqualTo(fine.truncatedTo(ChronoUnit.MICROS));
    }
  }

  @Nested
  class Durations {
    @Test
    void durations_are_bounded_so_adding_one_to_an_accepted_instant_never_overflows() {
      refused(
          () -> InputContract.duration(ChronoUnit.FOREVER.getDuration(), "lateArrival", true),
          "lateArrival");
      refused(
          () -> InputContract.duration(Duration.ofSeconds(Long.MAX_VALUE), "timeToLive", true),
          "timeToLive");
      refused(() -> InputContract.duration(Duration.ZERO, "timeToLive", true), "timeToLive");
      refused(() -> InputContract.duration(Duration.ofNanos(-1), "clockSkew", false), "clockSkew");
      assertThat(InputContract.duration(Duration.ZERO, "clockSkew", false)).isZero();
      assertThat(InputContract.LATEST.plus(InputContract.MAX_DURATION)).isAfter(Instant.EPOCH);
    }

    @Test
    void durations_are_kept_to_the_microsecond_and_a_positive_one_must_last_one() {
      assertThat(InputContract.duration(Duration.ofNanos(1_999), "timeToLive", true))
          .isEqualTo(Duration.ofNanos(1_000));
      assertThat(InputContract.duration(Duration.ofSeconds(5), "timeToLive", true))
          .isEqualTo(Duration.ofSeconds(5));
      assertThat(InputContract.duration(Duration.ofNanos(999), "clockSkew", false)).isZero();
      InvalidRequestException e =
          refused(
              () -> InputContract.duration(Duration.ofNanos(999), "timeToLive", true),
              "timeToLive");
      assertThat(e.getMessage()).contains("at least 1 microsecond");
    }
  }

  @Nested
  class Decimals {
    @ParameterizedTest(name = "{0}")
    @ValueSource(
        strings = {
          "1e100000000",
          "1e10000000",
          "1E-2147483648",
          "1e+99999",
          "-0.5e-99999999999999999999",
        })
    void absurd_exponents_are_refused_by_reading_a_handful_of_characters(String absurd) {
      DecimalText.Scan ordinary = DecimalText.scan("123456789012.345678");
      DecimalText.Scan scan = DecimalText.scan(absurd);

      assertThat(ordinary.ok()).isTrue();
      assertThat(scan.ok()).isFalse();
      assertThat(scan.examined())
          .as("characters examined to refuse %s", absurd)
          .isLessThanOrEqualTo(ordinary.examined());
      refused(() -> Amount.of(CREDIT, absurd), "value");
    }

    @Test
    void a_very_long_digit_string_is_refused_before_any_digit_is_read() {
      String digits = "9".repeat(1_000_000);
      DecimalText.Scan scan = DecimalText.scan(digits);
      assertThat(scan.ok()).isFalse();
      assertThat(scan.examined()).isZero();
      refused(() -> Amount.of(CREDIT, digits), "value");
    }

    @Test
    void decimals_of_absurd_scale_or_precision_are_refused_without_arithmetic_on_their_digits() {
      BigDecimal tiny = new BigDecimal(BigInteger.ONE, Integer.MAX_VALUE);
      BigDecimal huge = new BigDecimal(BigInteger.ONE, Integer.MIN_VALUE);
      BigDecimal wide = new BigDecimal(BigInteger.TEN.pow(100_000), 2);

      assertThat(refused(() -> Amount.of(CREDIT, tiny), "value").getMessage())
          .contains("1 x 10^-2147483647");
      assertThat(refused(() -> Amount.of(CREDIT, huge, RoundingMode.DOWN), "value").getMessage())
          .contains("1 x 10^2147483648");
      assertThat(refused(() -> Amount.of(CREDIT, wide), "value").getMessage())
          .contains("a number of about 100000 digits");
    }

    @Test
    void ordinary_decimals_parse_as_before() {
      assertThat(Amount.of(CurrencyUnit.of("USD"), "12.34").minor()).isEqualTo(1234);
      assertThat(Amount.of(CREDIT, "2.5E1").minor()).isEqualTo(2500);
      assertThat(Amount.of(CREDIT, "-0").minor()).isZero();
      assertThat(Amount.of(CREDIT, "+1.").minor()).isEqualTo(100);
      refused(() -> Amount.of(CREDIT, "NaN"), "value");
      refused(() -> Amount.of(CREDIT, "\u0661\u0662"), "value"); // Arabic-Indic digits
      refused(() -> Amount.of(CREDIT, "1_000"), "value");
      refused(() -> Amount.of(CREDIT, ""), "value");
      refused(() -> Amount.of(CREDIT, "1e"), "value");
    }
  }

  @Test
  void a_charge_with_hostile_text_is_refused_and_leaves_the_store_as_it_was() {
    InMemoryBillingStore store = InMemoryBillingStore.create();
    Billing billing = Billing.builder().store(store).build();
    TenantId tenant = TenantId.of("acme");
    AccountId account = AccountId.of("org-1");
    Actor admin = Actor.of("alice", Role.ADMIN);
    billing
        .credits()
        .openAccount(OpenAccountRequest.builder(tenant, account, CREDIT).actor(admin).build());
    var before = billing.ledger().transactions(tenant, account);

    refused(
        () ->
            billing
                .credits()
                .charge(
                    ChargeRequest.builder(
                            tenant, account, Charge.usage("llm", Amount.of(CREDIT, "1")))
                        .idempotencyKey(IdempotencyKey.of("k-1"))
                        .actor(admin)
                        .reason("tokens \uD800")
                        .build()),
        "reason");

    assertThat(billing.ledger().transactions(tenant, account)).isEqualTo(before);
  }
}
