package dev.billingsdk.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.billingsdk.InvalidRequestException;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CreditUnitTest {

  @ParameterizedTest(name = "scale {0} is accepted")
  @ValueSource(ints = {0, 1, 2, 4, 11, 12})
  void scales_from_0_to_12_are_accepted(int scale) {
    CreditUnit unit = CreditUnit.of("CREDIT", scale);

    assertThat(unit.scale()).isEqualTo(scale);
    assertThat(unit.code()).isEqualTo("CREDIT");
    assertThat(unit).hasToString("CREDIT(scale " + scale + ")");
  }

  @ParameterizedTest(name = "scale {0} is refused")
  @ValueSource(ints = {-1, 13, 18, Integer.MIN_VALUE, Integer.MAX_VALUE})
  void scales_outside_0_to_12_are_refused(int scale) {
    InvalidRequestException e =
        catchThrowableOfType(InvalidRequestException.class, () -> CreditUnit.of("CREDIT", scale));

    assertThat(e.field()).isEqualTo("scale");
    assertThat(e.value()).isEqualTo(Integer.toString(scale));
  }

  @ParameterizedTest(name = "{0} is an ISO currency and refused")
  @ValueSource(strings = {"USD", "EUR", "JPY", "KWD", "UYW", "XAU", "XXX", "XDR", "CLF", "USN"})
  void ISO_4217_codes_are_refused_as_credit_codes(String code) {
    InvalidRequestException e =
        catchThrowableOfType(InvalidRequestException.class, () -> CreditUnit.of(code, 2));

    assertThat(e.field()).isEqualTo("code");
    assertThat(e.value()).isEqualTo(code);
    assertThat(e.getMessage()).contains("ISO 4217");
  }

  @ParameterizedTest(name = "\"{0}\" is not a credit code")
  @ValueSource(
      strings = {"1CREDIT", "CR EDIT", "_X", "CRÉDIT", "A234567890123456789012345678901234"})
  void malformed_codes_are_refused(String code) {
    InvalidRequestException e =
        catchThrowableOfType(InvalidRequestException.class, () -> CreditUnit.of(code, 0));

    assertThat(e.field()).isEqualTo("code");
    assertThat(e.value()).isEqualTo(code);
  }

  @Test
  void a_blank_code_is_refused() {
    InvalidRequestException e =
        catchThrowableOfType(InvalidRequestException.class, () -> CreditUnit.of("  ", 0));

    assertThat(e.field()).isEqualTo("code");
    assertThat(e.value()).isEqualTo("\"  \"");
  }

  @Test
  void non_currency_three_letter_codes_and_lower_case_are_fine() {
    assertThat(CreditUnit.of("CRD", 0).code()).isEqualTo("CRD");
    // Withdrawn codes are not on the list of current codes, so they are free for credits.
    assertThat(CreditUnit.of("HRK", 2).code()).isEqualTo("HRK");
    assertThat(CreditUnit.of("usd", 0).code()).isEqualTo("usd");
    assertThat(CreditUnit.of("gpu-hours_v2", 3).code()).isEqualTo("gpu-hours_v2");
  }

  @Test
  void two_credit_units_are_the_same_only_if_code_and_scale_match() {
    assertThat(CreditUnit.of("CREDIT", 2)).isEqualTo(CreditUnit.of("CREDIT", 2));
    assertThat(CreditUnit.of("CREDIT", 2)).isNotEqualTo(CreditUnit.of("CREDIT", 4));
    assertThat(CreditUnit.of("CREDIT", 2)).isNotEqualTo(CreditUnit.of("TOKEN", 2));
  }
}
