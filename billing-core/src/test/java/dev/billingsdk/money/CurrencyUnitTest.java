package dev.billingsdk.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Currency;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CurrencyUnitTest {

  @ParameterizedTest(name = "{0} has {1} minor digits")
  @CsvSource({"JPY,0", "USD,2", "EUR,2", "KWD,3", "BHD,3"})
  void minor_units_come_from_the_JDK_ISO_4217_table(String code, int scale) {
    CurrencyUnit unit = CurrencyUnit.of(code);

    assertThat(unit.scale()).isEqualTo(scale);
    assertThat(unit.code()).isEqualTo(code);
    assertThat(unit.currency()).isEqualTo(Currency.getInstance(code));
    assertThat(unit).hasToString(code);
  }

  @Test
  void the_same_code_gives_equal_units() {
    assertThat(CurrencyUnit.of("USD")).isEqualTo(CurrencyUnit.of("USD"));
    assertThat(CurrencyUnit.of("USD")).isNotEqualTo(CurrencyUnit.of("EUR"));
  }

  @ParameterizedTest(name = "\"{0}\" is refused")
  @ValueSource(strings = {"usd", "Usd", "ABC", "QQQ", "US", "USDD", "", " USD", "12A"})
  void unknown_or_lower_case_codes_are_refused_naming_the_code(String code) {
    UnknownCurrencyException e =
        catchThrowableOfType(UnknownCurrencyException.class, () -> CurrencyUnit.of(code));

    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(code);
    assertThat(e.getMessage()).contains("currency " + code + ":");
  }

  @ParameterizedTest(name = "{0} has no minor unit")
  @ValueSource(strings = {"XAU", "XAG", "XXX", "XDR"})
  void codes_without_a_minor_unit_are_refused(String code) {
    UnknownCurrencyException e =
        catchThrowableOfType(UnknownCurrencyException.class, () -> CurrencyUnit.of(code));

    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(code);
    assertThat(e.getMessage()).contains("no minor unit");
  }

  @Test
  void a_currency_without_minor_unit_is_refused_by_the_constructor_too() {
    UnknownCurrencyException e =
        catchThrowableOfType(
            UnknownCurrencyException.class, () -> new CurrencyUnit(Currency.getInstance("XAU")));

    assertThat(e.code()).isEqualTo("XAU");
  }

  @Test
  void a_missing_code_is_an_invalid_request_naming_the_field() {
    var e =
        catchThrowableOfType(
            dev.billingsdk.InvalidRequestException.class, () -> CurrencyUnit.of(null));

    assertThat(e.field()).isEqualTo("currency");
    assertThat(e.value()).isEqualTo("null");
  }
}
