package dev.billingsdk.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.billingsdk.AccountId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.InsufficientCreditException;
import dev.billingsdk.credit.LowBalanceAlert;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.event.BalanceBelowThreshold;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.metering.PriceModel.Tier;
import dev.billingsdk.spi.RatingCursor;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * How the deduction meets the account's terms: an allowance included in the plan, volume tiers that
 * get cheaper, an account that may not go below zero, a low-balance alert, and usage the price book
 * does not price (yet). Every amount is worked out by hand in the comments; the deduction runs
 * hourly.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DeductionPoliciesStoryTest extends DeductionStory {
  static final String TOKENS = "llm-tokens";
  static final String RENDERS = "image-renders";
  static final String EMBEDDINGS = "embeddings";
  static final Instant MONDAY = at("2026-11-02T10:00:00Z");

  /** A price book the story can change while the deduction runs (a host's catalogue). */
  static final class SwitchablePrices implements PriceBook {
    final AtomicReference<PriceBook> current;

    SwitchablePrices(PriceBook initial) {
      this.current = new AtomicReference<>(initial);
    }

    @Override
    public Optional<MeterPrice> priceFor(TenantId tenant, AccountId account, Meter meter) {
      return current.get().priceFor(tenant, account, meter);
    }

    @Override
    public RoundingMode rounding() {
      return current.get().rounding();
    }
  }

  void startWith(PriceBook prices) {
    start(MONDAY, MeteringSettings.of(prices, Duration.ofHours(1)));
  }

  /** Sends {@code n} of {@code meter} for the account at {@code when} (the clock moves there). */
  void use(AccountId account, String meter, String n, String when, Map<String, String> dims) {
    clock.set(at(when));
    send(usage(account.value() + "/" + meter + "@" + when, account, meter, n, at(when), dims));
  }

  void tokens(AccountId account, String n, String when) {
    use(account, TOKENS, n, when, Map.of("model", "gpt-4o"));
  }

  // ------------------------------------------------------------------ the included allowance

  @Test
  void the_included_allowance_is_used_up_before_anything_is_posted() {
    // 0.002 credits a token; the plan includes 10,000 tokens a month.
    startWith(
        PriceBook.builder(RoundingMode.HALF_EVEN)
            .meter(
                TOKENS,
                MeterPrice.in(CREDITS)
                    .otherwise(PriceModel.perUnit("0.002"))
                    .includedPerPeriod("10000")
                    .build())
            .build());
    AccountId team = open("team-plan");
    grant(team, "100.00");
    define(Meter.builder(ACME, TOKENS, Aggregation.SUM).unit("tokens").dimensions("model").build());

    // 10:00-11:00: 4,000 tokens, all included: rated, costs nothing, posts nothing.
    tokens(team, "4000", "2026-11-02T10:15:00Z");
    DeductionReport first = runAt(at("2026-11-02T11:05:00Z"));
    assertThat(first.postings()).hasSize(1);
    assertThat(first.postings().get(0).amount()).isEqualTo(credits("0.00"));
    assertThat(first.postings().get(0).key()).isEmpty();
    assertThat(first.postings().get(0).lines())
        .extracting(l -> l.quantity(), l -> l.credits())
        .containsExactly(tuple(new BigDecimal("4000"), credits("0.00")));

    // 11:00-12:00: 5,000 more, 9,000 of 10,000 used: still nothing to post.
    tokens(team, "5000", "2026-11-02T11:15:00Z");
    assertThat(amounts(runAt(at("2026-11-02T12:05:00Z")))).containsExactly(0L);
    assertThat(usagePostings(team)).isEmpty();

    // 12:00-13:00: 3,000 more: 1,000 of them included, 2,000 * 0.002 = 4.00.
    tokens(team, "3000", "2026-11-02T12:15:00Z");
    assertThat(amounts(runAt(at("2026-11-02T13:05:00Z")))).containsExactly(400L);
    // 13:00-14:00: 1,500 * 0.002 = 3.00.
    tokens(team, "1500", "2026-11-02T13:15:00Z");
    assertThat(amounts(runAt(at("2026-11-02T14:05:00Z")))).containsExactly(300L);

    // December includes its own 10,000: 10,500 tokens on the 1st cost 500 * 0.002 = 1.00.
    tokens(team, "10500", "2026-12-01T00:15:00Z");
    assertThat(amounts(runAt(at("2026-12-01T01:05:00Z")))).containsExactly(100L);

    assertThat(postedAmounts(team)).containsExactly(400L, 300L, 100L);
    assertThat(summaries(team, TOKENS))
        .extracting(UsageSummaryRow::month, UsageSummaryRow::quantity, UsageSummaryRow::credits)
        .containsExactly(
            tuple(11, new BigDecimal("13500"), credits("7.00")),
            tuple(12, new BigDecimal("10500"), credits("1.00")));
    assertThat(available(team)).isEqualTo(credits("92.00"));
  }

  // ------------------------------------------------------------------ volume tiers

  @Test
  void crossing_into_a_cheaper_volume_tier_gives_credit_back_so_the_month_nets_its_volume_price() {
    // Volume: the whole month's renders at 0.01 while there are at most 1,000, all at 0.005 beyond.
    startWith(
        PriceBook.builder(RoundingMode.HALF_EVEN)
            .meter(
                RENDERS,
                MeterPrice.of(
                    CREDITS, PriceModel.volume(Tier.upTo("1000", "0.01"), Tier.rest("0.005"))))
            .build());
    AccountId studio = open("studio");
    grant(studio, "100.00");
    define(
        Meter.builder(ACME, RENDERS, Aggregation.SUM).unit("renders").dimensions("size").build());
    Map<String, String> hd = Map.of("size", "1024x1024");

    // 10:00-11:00: 800 renders * 0.01 = 8.00.
    use(studio, RENDERS, "800", "2026-11-02T10:15:00Z", hd);
    assertThat(amounts(runAt(at("2026-11-02T11:05:00Z")))).containsExactly(800L);

    // 11:00-12:00: 400 more; 1,200 in the month, all at 0.005 = 6.00: 2.00 less than posted.
    use(studio, RENDERS, "400", "2026-11-02T11:15:00Z", hd);
    DeductionReport back = runAt(at("2026-11-02T12:05:00Z"));
    assertThat(amounts(back)).containsExactly(-200L);
    assertThat(back.postings().get(0).lines())
        .extracting(l -> l.quantity(), l -> l.credits())
        .containsExactly(tuple(new BigDecimal("400"), credits("-2.00")));
    // The 2.00 comes back as an ADJUSTMENT grant that pays only for this meter.
    GrantBalance adjustment =
        billing.credits().grants(ACME, studio).stream()
            .filter(g -> g.grant().category() == GrantCategory.ADJUSTMENT)
            .findFirst()
            .orElseThrow();
    assertThat(adjustment.grant().amount()).isEqualTo(credits("2.00"));
    assertThat(adjustment.grant().scope()).isEqualTo(Scope.meters(RENDERS));
    assertThat(adjustment.grant().metadata())
        .containsEntry(REF_METER, RENDERS)
        .containsEntry(REF_WINDOW_START, "2026-11-02T11:00:00Z")
        .containsEntry(REF_WINDOW_END, "2026-11-02T12:00:00Z");

    // 12:00-13:00: 300 more; 1,500 * 0.005 = 7.50: 1.50 more.
    use(studio, RENDERS, "300", "2026-11-02T12:15:00Z", hd);
    assertThat(amounts(runAt(at("2026-11-02T13:05:00Z")))).containsExactly(150L);

    // The month nets 8.00 - 2.00 + 1.50 = 7.50, the volume price of its 1,500 renders.
    assertThat(postedAmounts(studio)).containsExactly(800L, -200L, 150L);
    assertThat(summaries(studio, RENDERS))
        .extracting(UsageSummaryRow::quantity, UsageSummaryRow::credits)
        .containsExactly(tuple(new BigDecimal("1500"), credits("7.50")));
    assertThat(available(studio)).isEqualTo(credits("92.50"));

    // The credit back cannot pay for anything else: the 1.50 came from the older prepaid grant
    // (same priority, older), so 90.50 is all a fixed fee can use of the 92.50.
    InsufficientCreditException refused =
        catchThrowableOfType(
            InsufficientCreditException.class,
            () ->
                billing
                    .credits()
                    .charge(
                        ChargeRequest.builder(
                                ACME,
                                studio,
                                Charge.of(ChargeKind.FIXED_FEE, "support-plan", credits("91.00")))
                            .idempotencyKey(IdempotencyKey.of("support-fee"))
                            .actor(ADMIN)
                            .reason("monthly support plan")
                            .build()));
    assertThat(refused).isNotNull();
    assertThat(refused.available()).isEqualTo(credits("90.50"));
  }

  // ------------------------------------------------------------------ no overdraft

  @Test
  void an_account_that_may_not_overdraw_keeps_its_usage_unposted_until_it_is_topped_up() {
    startWith(
        PriceBook.builder(RoundingMode.HALF_EVEN)
            .meter(TOKENS, MeterPrice.of(CREDITS, PriceModel.perUnit("0.001")))
            .build());
    AccountId startup = open("startup", OverdraftPolicy.reject());
    AccountId bigco = open("bigco", OverdraftPolicy.reject());
    grant(startup, "1.00");
    grant(bigco, "100.00");
    define(Meter.builder(ACME, TOKENS, Aggregation.SUM).unit("tokens").dimensions("model").build());

    // 10:00-11:00: the startup uses 5,000 tokens = 5.00 with 1.00 left; bigco 2,000 = 2.00.
    tokens(startup, "5000", "2026-11-02T10:15:00Z");
    tokens(bigco, "2000", "2026-11-02T10:20:00Z");
    DeductionReport refused = runAt(at("2026-11-02T11:05:00Z"));
    assertThat(refused.failures())
        .extracting(
            DeductionReport.Failure::account,
            DeductionReport.Failure::meter,
            f -> f.cause().getClass())
        .containsExactly(tuple(startup, TOKENS, InsufficientCreditException.class));
    InsufficientCreditException why =
        (InsufficientCreditException) refused.failures().get(0).cause();
    assertThat(why.requested()).isEqualTo(credits("5.00"));
    assertThat(why.available()).isEqualTo(credits("1.00"));
    // The other account is not held up.
    assertThat(refused.postings())
        .extracting(DeductionPosting::account, p -> p.amount().minor(), DeductionPosting::posted)
        .containsExactly(tuple(bigco, 200L, true));
    // Nothing of the startup's was taken, nothing was summarised: it is decided, not posted.
    assertThat(available(startup)).isEqualTo(credits("1.00"));
    assertThat(usagePostings(startup)).isEmpty();
    assertThat(summaries(startup, TOKENS)).isEmpty();

    // 11:00-12:00: 1,000 more (1.00). The run at 12:05 still cannot post the 5.00 and says so.
    tokens(startup, "1000", "2026-11-02T11:15:00Z");
    DeductionReport still = runAt(at("2026-11-02T12:05:00Z"));
    assertThat(still.failures())
        .extracting(DeductionReport.Failure::account)
        .containsExactly(startup);
    assertThat(usagePostings(startup)).isEmpty();

    // Topped up with 10.00 at 12:10: the next run posts the 5.00 and then the 1.00, in order.
    clock.set(at("2026-11-02T12:10:00Z"));
    grant(startup, "10.00");
    DeductionReport paid = runAt(at("2026-11-02T12:15:00Z"));
    assertThat(paid.failures()).isEmpty();
    assertThat(paid.postings())
        .extracting(p -> p.windowStart().toString(), p -> p.amount().minor())
        .containsExactly(tuple("2026-11-02T10:15:00Z", 500L), tuple("2026-11-02T11:00:00Z", 100L));
    assertThat(postedAmounts(startup)).containsExactly(500L, 100L);
    assertThat(available(startup)).isEqualTo(credits("5.00"));
    assertThat(summaries(startup, TOKENS))
        .extracting(UsageSummaryRow::quantity, UsageSummaryRow::credits)
        .containsExactly(tuple(new BigDecimal("6000"), credits("6.00")));
    assertThat(runAt(at("2026-11-02T12:20:00Z")).postings()).isEmpty();
  }

  // ------------------------------------------------------------------ the low-balance alert

  @Test
  void the_low_balance_alert_fires_once_as_the_deductions_cross_its_threshold() {
    startWith(
        PriceBook.builder(RoundingMode.HALF_EVEN)
            .meter(TOKENS, MeterPrice.of(CREDITS, PriceModel.perUnit("0.01")))
            .build());
    AccountId team = open("team-alerts");
    grant(team, "100.00");
    define(Meter.builder(ACME, TOKENS, Aggregation.SUM).unit("tokens").dimensions("model").build());
    billing
        .credits()
        .configureLowBalanceAlert(
            ACME, team, Optional.of(LowBalanceAlert.below(credits("50.00"))), ADMIN);
    heard.clear();

    // 3,000 tokens an hour at 0.01 = 30.00 an hour: 70.00, 40.00, 10.00 left.
    tokens(team, "3000", "2026-11-02T10:15:00Z");
    runAt(at("2026-11-02T11:05:00Z"));
    assertThat(heard).filteredOn(BalanceBelowThreshold.class::isInstance).isEmpty();

    tokens(team, "3000", "2026-11-02T11:15:00Z");
    DeductionReport crossing = runAt(at("2026-11-02T12:05:00Z"));
    List<BalanceBelowThreshold> alerts =
        heard.stream()
            .filter(BalanceBelowThreshold.class::isInstance)
            .map(BalanceBelowThreshold.class::cast)
            .toList();
    assertThat(alerts).hasSize(1);
    BalanceBelowThreshold alert = alerts.get(0);
    assertThat(alert.account()).isEqualTo(team);
    assertThat(alert.balance()).isEqualTo(credits("40.00"));
    assertThat(alert.threshold()).isEqualTo(credits("50.00"));
    LedgerTransaction crossed =
        billing.ledger().find(ACME, crossing.postings().get(0).key().orElseThrow()).orElseThrow();
    assertThat(alert.transaction()).isEqualTo(crossed.id());
    assertThat(alert.occurredAt()).isEqualTo(at("2026-11-02T12:05:00Z"));

    tokens(team, "3000", "2026-11-02T12:15:00Z");
    runAt(at("2026-11-02T13:05:00Z"));
    assertThat(heard).filteredOn(BalanceBelowThreshold.class::isInstance).hasSize(1);
    assertThat(available(team)).isEqualTo(credits("10.00"));
  }

  // ------------------------------------------------------------------ unpriced usage

  @Test
  void unpriced_usage_is_reported_and_stays_unrated_until_the_book_prices_it() {
    // The book prices gpt-4o tokens only, and embeddings not at all.
    PriceBook gpt4oOnly =
        PriceBook.builder(RoundingMode.HALF_EVEN)
            .meter(
                TOKENS,
                MeterPrice.in(CREDITS)
                    .when(Map.of("model", "gpt-4o"), PriceModel.perUnit("0.001"))
                    .build())
            .build();
    SwitchablePrices prices = new SwitchablePrices(gpt4oOnly);
    startWith(prices);
    AccountId team = open("team-labs");
    grant(team, "100.00");
    define(Meter.builder(ACME, TOKENS, Aggregation.SUM).unit("tokens").dimensions("model").build());
    define(Meter.builder(ACME, EMBEDDINGS, Aggregation.SUM).unit("vectors").build());

    tokens(team, "1000", "2026-11-02T10:15:00Z");
    use(team, TOKENS, "2000", "2026-11-02T10:20:00Z", Map.of("model", "mistral-large"));
    use(team, EMBEDDINGS, "500", "2026-11-02T10:25:00Z", Map.of());
    RatingCursor tokensBefore = store.findRatingCursor(ACME, team, TOKENS).orElseThrow();
    RatingCursor embeddingsBefore = store.findRatingCursor(ACME, team, EMBEDDINGS).orElseThrow();

    DeductionReport unpriced = runAt(at("2026-11-02T11:05:00Z"));
    assertThat(unpriced.postings()).isEmpty();
    assertThat(unpriced.failures())
        .extracting(DeductionReport.Failure::meter, f -> f.cause().getClass())
        .containsExactlyInAnyOrder(
            tuple(TOKENS, UnpricedUsageException.class),
            tuple(EMBEDDINGS, UnpricedUsageException.class));
    UnpricedUsageException mistral =
        (UnpricedUsageException)
            unpriced.failures().stream()
                .filter(f -> f.meter().equals(TOKENS))
                .findFirst()
                .orElseThrow()
                .cause();
    assertThat(mistral.dimensions()).isEqualTo(Map.of("model", "mistral-large"));
    assertThat(mistral.meter()).isEqualTo(TOKENS);
    assertThat(mistral.account()).isEqualTo(team);
    assertThat(mistral.tenant()).isEqualTo(ACME);

    // Unrated means untouched: the watermarks did not move, nothing was posted or summarised, and
    // the gpt-4o tokens of the same window wait with the rest (a window is rated whole).
    tokens(team, "500", "2026-11-02T11:15:00Z");
    assertThat(runAt(at("2026-11-02T12:05:00Z")).failures()).hasSize(2);
    RatingCursor tokensNow = store.findRatingCursor(ACME, team, TOKENS).orElseThrow();
    assertThat(tokensNow.version()).isEqualTo(tokensBefore.version());
    assertThat(tokensNow.ratedUntil()).isEqualTo(tokensBefore.ratedUntil());
    assertThat(store.findRatingCursor(ACME, team, EMBEDDINGS)).contains(embeddingsBefore);
    assertThat(usagePostings(team)).isEmpty();
    assertThat(billing.metering().monthlySummaries(UsageSummaryQuery.of(ACME))).isEmpty();
    assertThat(available(team)).isEqualTo(credits("100.00"));

    // The catalogue adds mistral-large at 0.0005 and embeddings at 0.0001.
    prices.current.set(
        PriceBook.builder(RoundingMode.HALF_EVEN)
            .meter(
                TOKENS,
                MeterPrice.in(CREDITS)
                    .when(Map.of("model", "gpt-4o"), PriceModel.perUnit("0.001"))
                    .when(Map.of("model", "mistral-large"), PriceModel.perUnit("0.0005"))
                    .build())
            .meter(EMBEDDINGS, MeterPrice.of(CREDITS, PriceModel.perUnit("0.0001")))
            .build());
    DeductionReport priced = runAt(at("2026-11-02T12:10:00Z"));
    assertThat(priced.failures()).isEmpty();
    // embeddings [10:25, 11:00): 500 * 0.0001 = 0.05; tokens [10:15, 11:00): 1,000 * 0.001 +
    // 2,000 * 0.0005 = 2.00; tokens [11:00, 12:00): 500 * 0.001 = 0.50.
    assertThat(priced.postings())
        .extracting(DeductionPosting::meter, p -> p.windowStart().toString(), p -> p.amount())
        .containsExactly(
            tuple(EMBEDDINGS, "2026-11-02T10:25:00Z", credits("0.05")),
            tuple(TOKENS, "2026-11-02T10:15:00Z", credits("2.00")),
            tuple(TOKENS, "2026-11-02T11:00:00Z", credits("0.50")));
    assertThat(summaries(team, TOKENS))
        .extracting(r -> r.dimensions().get("model"), UsageSummaryRow::quantity, r -> r.credits())
        .containsExactly(
            tuple("gpt-4o", new BigDecimal("1500"), credits("1.50")),
            tuple("mistral-large", new BigDecimal("2000"), credits("1.00")));
    assertThat(available(team)).isEqualTo(credits("97.45"));
  }
}
