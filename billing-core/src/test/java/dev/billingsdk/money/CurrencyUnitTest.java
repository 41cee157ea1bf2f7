package dev.billingsdk.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CurrencyUnitTest {

  @ParameterizedTest(name = "{0} has {1} minor digits")
  @CsvSource({
    "JPY,0", "USD,2", "EUR,2", "KWD,3", "BHD,3", "UYW,4", "ZWG,2", "SLE,2", "VED,2", "VES,2"
  })
  void minor_units_come_from_the_library_s_ISO_4217_table(String code, int scale) {
    CurrencyUnit unit = CurrencyUnit.of(code);

    assertThat(unit.scale()).isEqualTo(scale);
    assertThat(unit.minorUnits()).isEqualTo(scale);
    assertThat(unit.code()).isEqualTo(code);
    assertThat(unit).hasToString(code).isEqualTo(new CurrencyUnit(code, scale));
  }

  @Test
  void the_same_code_gives_equal_units() {
    assertThat(CurrencyUnit.of("USD")).isEqualTo(CurrencyUnit.of("USD"));
    assertThat(CurrencyUnit.of("USD")).isNotEqualTo(CurrencyUnit.of("EUR"));
  }

  @ParameterizedTest(name = "\"{0}\" is refused")
  @ValueSource(strings = {"usd", "Usd", "ABC", "QQQ", "US", "USDD", "", " USD", "12A"})
  void unknown_or_lower_case_codes_are_refused_naming_field_and_code(String code) {
    UnknownCurrencyException e =
        catchThrowableOfType(UnknownCurrencyException.class, () -> CurrencyUnit.of(code));

    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(code);
    assertThat(e.field()).isEqualTo("currency");
    assertThat(e.value()).isEqualTo(InputContract.shown(code));
    assertThat(e.getMessage())
        .startsWith("currency is not")
        .contains("ISO 4217")
        .endsWith("(was: " + InputContract.shown(code) + ")");
  }

  @ParameterizedTest(name = "{0} was withdrawn")
  @ValueSource(strings = {"HRK", "SLL", "ZWL", "VEF", "DEM"})
  void withdrawn_codes_the_JDK_still_knows_are_unknown(String code) {
    UnknownCurrencyException e =
        catchThrowableOfType(UnknownCurrencyException.class, () -> CurrencyUnit.of(code));

    assertThat(e.field()).isEqualTo("currency");
    assertThat(e.value()).isEqualTo(code);
    assertThat(e.getMessage()).isEqualTo("currency is not an ISO 4217 code (was: " + code + ")");
  }

  @ParameterizedTest(name = "{0} is a fund")
  @ValueSource(strings = {"BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN", "UYI"})
  void fund_codes_are_refused_as_funds(String code) {
    FundCodeException e =
        catchThrowableOfType(FundCodeException.class, () -> CurrencyUnit.of(code));

    assertThat(e).isNotNull().isNotInstanceOf(UnknownCurrencyException.class);
    assertThat(e.field()).isEqualTo("currency");
    assertThat(e.value()).isEqualTo(code);
    assertThat(e.code()).isEqualTo(code);
    assertThat(e.getMessage())
        .isEqualTo(
            "currency is an ISO 4217 fund code (a unit of account, not a currency payments are"
                + " made in) (was: "
                + code
                + ")");
  }

  @ParameterizedTest(name = "{0} has no minor unit")
  @ValueSource(
      strings = {
        "XAU", "XAG", "XPT", "XPD", "XXX", "XTS", "XBA", "XBB", "XBC", "XBD", "XDR", "XSU", "XUA"
      })
  void codes_without_a_minor_unit_are_refused_saying_why(String code) {
    NoMinorUnitException e =
        catchThrowableOfType(NoMinorUnitException.class, () -> CurrencyUnit.of(code));

    assertThat(e).isNotNull().isNotInstanceOf(UnknownCurrencyException.class);
    assertThat(e.field()).isEqualTo("currency");
    assertThat(e.value()).isEqualTo(code);
    assertThat(e.code()).isEqualTo(code);
    assertThat(e.getMessage())
        .startsWith("currency is an ISO 4217 code without a minor unit")
        .endsWith("(was: " + code + ")");
  }

  @Test
  void the_three_refusals_are_distinct_types_of_one_family() {
    Map<String, Class<? extends CurrencyCodeException>> expected =
        Map.of(
            "QQQ", UnknownCurrencyException.class,
            "CLF", FundCodeException.class,
            "XAU", NoMinorUnitException.class);

    expected.forEach(
        (code, type) -> {
          CurrencyCodeException e =
              catchThrowableOfType(CurrencyCodeException.class, () -> CurrencyUnit.of(code));
          assertThat(e).as(code).isExactlyInstanceOf(type);
        });
  }

  @Test
  void the_constructor_checks_the_code_naming_its_own_field() {
    FundCodeException fund =
        catchThrowableOfType(FundCodeException.class, () -> new CurrencyUnit("CLF", 4));
    NoMinorUnitException metal =
        catchThrowableOfType(NoMinorUnitException.class, () -> new CurrencyUnit("XAU", 0));
    UnknownCurrencyException unknown =
        catchThrowableOfType(UnknownCurrencyException.class, () -> new CurrencyUnit("usd", 2));
    InvalidRequestException missing =
        catchThrowableOfType(InvalidRequestException.class, () -> new CurrencyUnit(null, 2));

    assertThat(List.of(fund.field(), metal.field(), unknown.field(), missing.field()))
        .containsOnly("code");
    assertThat(List.of(fund.value(), metal.value(), unknown.value(), missing.value()))
        .containsExactly("CLF", "XAU", "usd", "null");
  }

  @ParameterizedTest(name = "{0} with {1} decimals is refused")
  @CsvSource({"USD,0", "USD,3", "JPY,2", "KWD,2", "USD,-1"})
  void the_constructor_refuses_a_minor_unit_the_list_does_not_give(String code, int minor) {
    InvalidRequestException e =
        catchThrowableOfType(InvalidRequestException.class, () -> new CurrencyUnit(code, minor));

    assertThat(e.field()).isEqualTo("minorUnits");
    assertThat(e.value()).isEqualTo(Integer.toString(minor));
    assertThat(e.getMessage()).contains("must be " + CurrencyUnit.of(code).minorUnits());
  }

  @Test
  void a_missing_code_is_an_invalid_request_naming_the_field() {
    var e = catchThrowableOfType(InvalidRequestException.class, () -> CurrencyUnit.of(null));

    assertThat(e.field()).isEqualTo("currency");
    assertThat(e.value()).isEqualTo("null");
  }

  @Test
  void available_is_every_listed_code_with_a_minor_unit_that_is_not_a_fund() {
    List<String> expected =
        Iso4217.table().entries().values().stream()
            .filter(e -> e.minorUnits() >= 0 && !e.fund())
            .map(Iso4217.Entry::code)
            .toList();

    List<CurrencyUnit> available = CurrencyUnit.available();

    assertThat(available).extracting(CurrencyUnit::code).isEqualTo(expected);
    assertThat(available).hasSize(Iso4217.table().entries().size() - 8 - 13);
    assertThat(available).contains(CurrencyUnit.of("USD"), CurrencyUnit.of("UYW"));
    assertThat(available).allSatisfy(u -> assertThat(CurrencyUnit.of(u.code())).isEqualTo(u));
  }

  @Test
  void an_unknown_currency_made_by_a_caller_names_the_currency_field() {
    UnknownCurrencyException e = new UnknownCurrencyException("ABC", "is not sold here");

    assertThat(e.field()).isEqualTo("currency");
    assertThat(e.value()).isEqualTo("ABC");
    assertThat(e.code()).isEqualTo("ABC");
    assertThat(e).hasMessage("currency is not sold here (was: ABC)");
  }
}
