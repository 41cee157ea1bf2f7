package dev.billingsdk.economy;

import static dev.billingsdk.economy.EconomyWorld.CREDIT;
import static dev.billingsdk.economy.EconomyWorld.USD;
import static dev.billingsdk.economy.EconomyWorld.credits;
import static dev.billingsdk.economy.EconomyWorld.hundredForADollar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.Percentage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneOffset;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The settings refuse what finance could mistype, naming the field; the defaults are safe. */
class EconomySettingsTest {

  static void refused(ThrowingCallable call, String field) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo(field));
  }

  EconomySettings.Builder b() {
    return EconomySettings.builder(hundredForADollar());
  }

  @Test
  void defaults_give_nothing_away() {
    EconomySettings s = b().build();
    assertThat(s.signUpCredits()).isEqualTo(credits(0));
    assertThat(s.referralCredits()).isEqualTo(credits(0));
    assertThat(s.maxReferralsPerMonth()).isEqualTo(EconomySettings.UNLIMITED);
    assertThat(s.referralsCapped()).isFalse();
    assertThat(s.refreshInterval()).isEqualTo(Duration.ofHours(1));
    assertThat(s.agentRevenueShare()).isEqualTo(Percentage.ZERO);
    assertThat(s.dryRunMonthlyReset()).isFalse();
    assertThat(s.subscriptionsEnabled()).isFalse();
    assertThat(s.calendarZone()).isEqualTo(ZoneOffset.UTC);
    assertThat(s.creditUnit()).isEqualTo(CREDIT);
  }

  @Test
  void negative_credits_and_credits_of_another_unit_are_refused_by_field() {
    Amount minusOne = credits(-1);
    refused(() -> b().signUpCredits(minusOne), "signUpCredits");
    refused(() -> b().referralCredits(minusOne), "referralCredits");
    refused(() -> b().creditsPerHour(minusOne), "creditsPerHour");
    refused(() -> b().lowBalanceThreshold(minusOne), "lowBalanceThreshold");
    Amount tokens = Amount.of(CreditUnit.of("TOKEN", 0), 5);
    refused(() -> b().signUpCredits(tokens), "signUpCredits");
    refused(() -> b().lowBalanceThreshold(Amount.of(USD, 5)), "lowBalanceThreshold");
    refused(() -> b().maxReferralsPerMonth(-2), "maxReferralsPerMonth");
    refused(() -> CreditPrice.of(credits(0), Amount.of(USD, 1)), "creditPrice.credits");
    refused(() -> CreditPrice.of(credits(100), Amount.of(USD, 0)), "creditPrice.money");
    refused(() -> CreditPrice.of(Amount.of(USD, 1), Amount.of(USD, 1)), "creditPrice.credits");
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT7H", "PT0S", "PT-1H", "PT59S", "PT25H", "PT1H0.5S", "PT11M"})
  void an_interval_that_does_not_divide_a_day_is_refused(String interval) {
    refused(() -> b().refreshInterval(Duration.parse(interval)), "refreshInterval");
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT1M", "PT15M", "PT1H", "PT6H", "PT8H", "PT24H", "PT90M"})
  void an_interval_that_divides_a_day_is_kept(String interval) {
    assertThat(b().refreshInterval(Duration.parse(interval)).build().refreshInterval())
        .isEqualTo(Duration.parse(interval));
  }

  @ParameterizedTest
  @ValueSource(strings = {"-0.0001", "100.0001", "101", "12.34567", "-5"})
  void a_share_outside_0_to_100_percent_or_finer_than_four_places_is_refused(String share) {
    refused(() -> Percentage.of(share), "percentage");
  }

  @Test
  void percentages_are_exact_and_equal_whatever_their_trailing_zeros() {
    assertThat(Percentage.of("12.50")).isEqualTo(Percentage.of("12.5"));
    assertThat(Percentage.of("100.000")).isEqualTo(Percentage.of(100));
    assertThat(Percentage.of("1E+2")).isEqualTo(Percentage.of(100));
    assertThat(Percentage.of("12.5").fraction()).isEqualByComparingTo(new BigDecimal("0.125"));
    assertThat(Percentage.of("0.0001")).isGreaterThan(Percentage.ZERO);
    assertThat(Percentage.of("33.3333").toString()).isEqualTo("33.3333 %");
  }

  @Test
  void each_setter_once_naming_the_value_already_set() {
    assertThatThrownBy(() -> b().signUpCredits(credits(5)).signUpCredits(credits(6)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> {
              assertThat(e.field()).isEqualTo("signUpCredits");
              assertThat(e.getMessage()).contains("already set to CREDIT 5");
            });
    assertThatThrownBy(() -> b().dryRunMonthlyReset(true).dryRunMonthlyReset(false))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(e.getMessage()).contains("already set to true"));
  }

  @Test
  void a_change_keeps_what_it_does_not_set_and_the_credit_unit() {
    EconomySettings base =
        b().signUpCredits(credits(500)).maxReferralsPerMonth(3).dryRunMonthlyReset(true).build();
    EconomySettings changed =
        EconomySettings.builder(base)
            .creditPrice(CreditPrice.of(credits(80), Amount.of(USD, 1)))
            .maxReferralsPerMonth(-1)
            .build();
    assertThat(changed.signUpCredits()).isEqualTo(credits(500));
    assertThat(changed.dryRunMonthlyReset()).isTrue();
    assertThat(changed.maxReferralsPerMonth()).isEqualTo(-1);
    assertThat(changed.creditPrice().credits()).isEqualTo(credits(80));
    assertThat(changed.changesSince(base))
        .extracting(EconomySettings.FieldChange::field)
        .containsExactly("creditPrice", "maxReferralsPerMonth");
    refused(
        () ->
            EconomySettings.builder(base)
                .creditPrice(
                    CreditPrice.of(Amount.of(CreditUnit.of("TOKEN", 0), 80), Amount.of(USD, 1))),
        "creditPrice");
    refused(() -> b().creditPrice(hundredForADollar()), "creditPrice");
  }
}
