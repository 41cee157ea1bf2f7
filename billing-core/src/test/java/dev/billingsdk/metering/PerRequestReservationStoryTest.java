package dev.billingsdk.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.credit.AccountBalance;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ReservationResult;
import dev.billingsdk.credit.ReservationState;
import dev.billingsdk.credit.ReserveRequest;
import dev.billingsdk.credit.SettleRequest;
import dev.billingsdk.credit.SettlementResult;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.money.Amount;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * An LLM gateway charges per request: before calling the model it reserves what the request can
 * cost at most ({@code metering().estimate} of the max tokens, rounded up, so the hold always
 * covers it), and when the model answers it settles with what it did cost ({@code metering().price}
 * of the metered tokens, rounded with the book's mode). What the hold did not need goes back.
 *
 * <p>gpt-4o costs 0.0025 credits an input token and 0.0123 an output token; the book rounds
 * HALF_EVEN.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PerRequestReservationStoryTest extends DeductionStory {
  static final String TOKENS = "llm-tokens";
  static final Actor GATEWAY = Actor.system("llm-gateway");
  static final Map<String, String> INPUT = Map.of("model", "gpt-4o", "direction", "input");
  static final Map<String, String> OUTPUT = Map.of("model", "gpt-4o", "direction", "output");

  AccountId team;

  @BeforeEach
  void a_team_with_100_credits() {
    PriceBook prices =
        PriceBook.builder(RoundingMode.HALF_EVEN)
            .meter(
                TOKENS,
                MeterPrice.in(CREDITS)
                    .when(INPUT, PriceModel.perUnit("0.0025"))
                    .when(OUTPUT, PriceModel.perUnit("0.0123"))
                    .build())
            .build();
    start(at("2026-11-02T09:00:00Z"), MeteringSettings.of(prices, Duration.ofHours(1)));
    team = open("team-chat");
    grant(team, "100.00");
    define(
        Meter.builder(ACME, TOKENS, Aggregation.SUM)
            .unit("tokens")
            .dimensions("model", "direction")
            .build());
  }

  Amount estimate(String tokens, Map<String, String> dims) {
    return billing.metering().estimate(ACME, team, TOKENS, new BigDecimal(tokens), dims);
  }

  Amount price(String tokens, Map<String, String> dims) {
    return billing.metering().price(ACME, team, TOKENS, new BigDecimal(tokens), dims);
  }

  ReservationResult reserve(String key, Amount amount) {
    return billing
        .reservations()
        .reserve(
            ReserveRequest.builder(ACME, team, Charge.usage(TOKENS, amount))
                .timeToLive(Duration.ofMinutes(2))
                .idempotencyKey(IdempotencyKey.of(key))
                .actor(GATEWAY)
                .reason("before the completion")
                .build());
  }

  SettlementResult settle(String key, ReservationResult hold, Amount actual) {
    return billing
        .reservations()
        .settle(
            SettleRequest.builder(ACME, hold.reservation().id(), actual)
                .idempotencyKey(IdempotencyKey.of(key))
                .actor(GATEWAY)
                .reason("the completion returned")
                .build());
  }

  @Test
  void reserve_the_estimate_of_the_max_tokens_then_settle_the_price_of_the_metered_ones() {
    // The request may answer with up to 4,096 tokens: 4,096 * 0.0123 = 50.3808 -> up to 50.39.
    Amount hold = estimate("4096", OUTPUT);
    assertThat(hold).isEqualTo(credits("50.39"));
    ReservationResult reserved = reserve("req-1/hold", hold);
    assertThat(reserved.reservation().held()).isEqualTo(credits("50.39"));
    assertThat(reserved.transaction().type()).isEqualTo(TransactionType.HOLD);
    AccountBalance during = billing.credits().balance(ACME, team);
    assertThat(during.available()).isEqualTo(credits("49.61"));
    assertThat(during.reserved()).isEqualTo(credits("50.39"));

    // It answered with 1,234 tokens: 1,234 * 0.0123 = 15.1782 -> 15.18 (HALF_EVEN).
    clock.advance(Duration.ofSeconds(7));
    Amount actual = price("1234", OUTPUT);
    assertThat(actual).isEqualTo(credits("15.18"));
    SettlementResult settled = settle("req-1/settle", reserved, actual);
    assertThat(settled.charged()).isEqualTo(credits("15.18"));
    assertThat(settled.released()).isEqualTo(credits("35.21"));
    assertThat(settled.shortfall()).isEqualTo(credits("0.00"));
    assertThat(settled.reservation().state()).isEqualTo(ReservationState.SETTLED);
    assertThat(settled.transaction().type()).isEqualTo(TransactionType.USAGE_DEBIT);

    AccountBalance after = billing.credits().balance(ACME, team);
    assertThat(after.available()).isEqualTo(credits("84.82"));
    assertThat(after.reserved()).isEqualTo(credits("0.00"));

    // Settling again with the same key is the same settlement, not a second charge.
    assertThat(settle("req-1/settle", reserved, actual).replayed()).isTrue();
    assertThat(available(team)).isEqualTo(credits("84.82"));
  }

  @Test
  void the_input_is_known_before_the_call_and_the_output_is_capped() {
    // 3,001 prompt tokens: 7.5025 -> 7.51 to hold; at most 1,000 output tokens: 12.30 exactly.
    Amount hold = estimate("3001", INPUT).plus(estimate("1000", OUTPUT));
    assertThat(hold).isEqualTo(credits("19.81"));
    ReservationResult reserved = reserve("req-2/hold", hold);

    // The answer had 777 tokens: 777 * 0.0123 = 9.5571 -> 9.56; the prompt's 7.5025 -> 7.50.
    Amount actual = price("3001", INPUT).plus(price("777", OUTPUT));
    assertThat(actual).isEqualTo(credits("17.06"));
    SettlementResult settled = settle("req-2/settle", reserved, actual);
    assertThat(settled.charged()).isEqualTo(credits("17.06"));
    assertThat(settled.released()).isEqualTo(credits("2.75"));
    assertThat(available(team)).isEqualTo(credits("82.94"));
  }

  @Test
  void an_estimate_rounds_up_and_a_price_rounds_with_the_book() {
    // 1,001 output tokens cost 12.3123: the estimate holds 12.32, the price settles 12.31.
    assertThat(estimate("1001", OUTPUT)).isEqualTo(credits("12.32"));
    assertThat(price("1001", OUTPUT)).isEqualTo(credits("12.31"));
    // A whole amount needs no rounding either way: 1,000 * 0.0123 = 12.30.
    assertThat(estimate("1000", OUTPUT)).isEqualTo(credits("12.30"));
    assertThat(price("1000", OUTPUT)).isEqualTo(credits("12.30"));
    // HALF_EVEN: 3,001 input tokens = 750.25 minor -> 750; 3,003 = 750.75 -> 751; 3,002 = 750.5
    // -> 750 (to even); the estimate of all three rounds up.
    assertThat(price("3001", INPUT)).isEqualTo(credits("7.50"));
    assertThat(price("3003", INPUT)).isEqualTo(credits("7.51"));
    assertThat(price("3002", INPUT)).isEqualTo(credits("7.50"));
    assertThat(estimate("3002", INPUT)).isEqualTo(credits("7.51"));
    // Each request is priced on its own, from an empty month: the per-request flow does not go
    // through usage events, so the periodic deduction finds nothing of it to post.
    assertThat(runAt(at("2026-11-02T10:05:00Z")).postings()).isEmpty();
  }

  @Test
  void a_model_the_book_does_not_price_cannot_be_estimated_and_nothing_is_held() {
    UnpricedUsageException unpriced =
        catchThrowableOfType(
            UnpricedUsageException.class,
            () -> estimate("100", Map.of("model", "o1-preview", "direction", "output")));
    assertThat(unpriced).isNotNull();
    assertThat(unpriced.meter()).isEqualTo(TOKENS);
    assertThat(unpriced.dimensions()).containsEntry("model", "o1-preview");
    assertThat(billing.reservations().active(ACME, team)).isEmpty();
    assertThat(available(team)).isEqualTo(credits("100.00"));
  }
}
