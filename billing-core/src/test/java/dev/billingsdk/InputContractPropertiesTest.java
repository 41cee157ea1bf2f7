package dev.billingsdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

/**
 * Properties of the {@link InputContract}: its text rule against a driver's oracle, and the bounded
 * cost of decimals.
 */
class InputContractPropertiesTest {
  /**
   * The oracle is what a driver does: text survives a round trip through UTF-8 exactly when it is
   * well-formed. The contract accepts a string exactly when it survives and has no NUL.
   */
  @Property(tries = 2_000)
  void text_is_accepted_exactly_when_it_survives_utf8_unchanged_and_has_no_nul(
      @ForAll("hostileText") String value) {
    boolean survives =
        new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(value);
    boolean legal = survives && value.indexOf('\0') < 0;
    InvalidRequestException e =
        catchThrowableOfType(
            InvalidRequestException.class,
            () -> InputContract.text(value, "reason", InputContract.MAX_REASON));
    assertThat(e == null).as("accepted %s", InputContract.shown(value)).isEqualTo(legal);
    if (e != null) {
      String shown = e.getMessage();
      assertThat(
              new String(shown.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)
                  .equals(shown))
          .as("the refusal's message is itself well-formed")
          .isTrue();
    }
  }

  @Provide
  Arbitrary<String> hostileText() {
    Arbitrary<Character> chars =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, Arbitraries.chars().ascii()),
            net.jqwik.api.Tuple.of(2, Arbitraries.chars().range('\uD800', '\uDFFF')),
            net.jqwik.api.Tuple.of(1, Arbitraries.of('\0', '\u0301', '\u200D', '\uFFFD')),
            net.jqwik.api.Tuple.of(2, Arbitraries.chars().range('\u0080', '\uFFFF')));
    return chars.list().ofMaxSize(12).map(InputContractPropertiesTest::join);
  }

  /**
   * The cost of every accepted decimal is bounded: the scan reads each character at most once, and
   * what it accepts has at most 60 digits and a scale within +/-60, so converting it to any unit's
   * scale touches at most a few hundred digits.
   */
  @Property(tries = 3_000)
  void the_work_a_decimal_costs_is_bounded_by_its_length_whatever_it_says(
      @ForAll("decimalText") String text) {
    DecimalText.Scan scan = DecimalText.scan(text);
    assertThat(scan.examined()).isLessThanOrEqualTo(Math.min(text.length(), 100));
    BigDecimal parsed;
    try {
      parsed = InputContract.decimal(text, "value");
    } catch (InvalidRequestException refusedText) {
      return;
    }
    assertThat(scan.ok()).isTrue();
    assertThat(Math.abs(parsed.scale())).isLessThanOrEqualTo(InputContract.MAX_DECIMAL_SCALE);
    assertThat(parsed.precision()).isLessThanOrEqualTo(InputContract.MAX_DECIMAL_DIGITS);
    assertThat(parsed.setScale(12, RoundingMode.DOWN).precision()).isLessThanOrEqualTo(200);
  }

  @Provide
  Arbitrary<String> decimalText() {
    Arbitrary<String> mantissa =
        Arbitraries.strings().withChars("0123456789").ofMinLength(0).ofMaxLength(70);
    Arbitrary<String> fraction =
        Arbitraries.strings().withChars("0123456789").ofMinLength(0).ofMaxLength(70);
    Arbitrary<String> exponent =
        Arbitraries.oneOf(
            Arbitraries.just(""),
            Arbitraries.integers().between(-100, 100).map(i -> "e" + i),
            Arbitraries.longs().map(l -> "E" + l),
            Arbitraries.strings().withChars("0123456789+-").ofMaxLength(12).map(s -> "e" + s));
    Arbitrary<String> sign = Arbitraries.of("", "-", "+");
    Arbitrary<String> built =
        net.jqwik.api.Combinators.combine(sign, mantissa, fraction, exponent)
            .as((s, m, f, e) -> s + m + (f.isEmpty() ? "" : "." + f) + e);
    Arbitrary<String> noise = Arbitraries.strings().withChars("0123456789.eE+-x ").ofMaxLength(30);
    return Arbitraries.oneOf(built, noise);
  }

  @Property(tries = 1_000)
  void accepted_text_parses_exactly_as_big_decimal_does(
      @ForAll @StringLength(max = 20) String any) {
    BigDecimal expected;
    try {
      expected = new BigDecimal(any);
    } catch (NumberFormatException notANumber) {
      assertThatThrownBy(() -> InputContract.decimal(any, "value"))
          .isInstanceOf(InvalidRequestException.class);
      return;
    }
    try {
      assertThat(InputContract.decimal(any, "value")).isEqualTo(expected);
    } catch (InvalidRequestException e) {
      // Refused only for being outside the bounds, never for being a number BigDecimal reads.
      assertThat(
              Math.abs((long) expected.scale()) > InputContract.MAX_DECIMAL_SCALE
                  || expected.precision() > InputContract.MAX_DECIMAL_DIGITS
                  || !any.chars().allMatch(c -> c < 128))
          .as("refused %s: %s", any, e.getMessage())
          .isTrue();
    }
  }

  static String join(java.util.List<Character> chars) {
    StringBuilder b = new StringBuilder(chars.size());
    chars.forEach(b::append);
    return b.toString();
  }
}
