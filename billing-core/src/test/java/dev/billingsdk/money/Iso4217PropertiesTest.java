package dev.billingsdk.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.billingsdk.InvalidRequestException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class Iso4217PropertiesTest {

  static final List<String> CODES = List.copyOf(Iso4217.table().entries().keySet());

  /** Every code of the table; with more tries than codes jqwik tries each one. */
  @Provide
  Arbitrary<String> tableCodes() {
    return Arbitraries.of(CODES);
  }

  /** Three upper-case letters: mostly not on the list, some on it. */
  @Provide
  Arbitrary<String> threeLetters() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withCharRange('A', 'Z').ofLength(3), Arbitraries.of(CODES));
  }

  @Property(tries = 1000)
  void every_table_code_is_a_unit_with_the_table_s_minor_unit_or_refused_for_its_kind(
      @ForAll("tableCodes") String code) {
    Iso4217.Entry entry = Iso4217.entry(code);

    if (entry.fund()) {
      assertThat(catchThrowableOfType(FundCodeException.class, () -> CurrencyUnit.of(code)))
          .isNotNull();
    } else if (!entry.hasMinorUnit()) {
      assertThat(catchThrowableOfType(NoMinorUnitException.class, () -> CurrencyUnit.of(code)))
          .isNotNull();
    } else {
      assertThat(CurrencyUnit.of(code).minorUnits()).isEqualTo(entry.minorUnits());
      assertThat(CurrencyUnit.of(code).scale()).isEqualTo(entry.minorUnits());
    }
  }

  @Property(tries = 2000)
  void a_three_letter_code_is_a_currency_only_if_the_table_says_so(
      @ForAll("threeLetters") String code) {
    Iso4217.Entry entry = Iso4217.entry(code);
    CurrencyCodeException refused =
        catchThrowableOfType(CurrencyCodeException.class, () -> CurrencyUnit.of(code));

    if (entry == null) {
      assertThat(refused).isExactlyInstanceOf(UnknownCurrencyException.class);
    } else if (entry.fund() || !entry.hasMinorUnit()) {
      assertThat(refused).isNotNull().isNotInstanceOf(UnknownCurrencyException.class);
    } else {
      assertThat(refused).isNull();
    }
    // A credit code may be any three letters but a listed one.
    InvalidRequestException credit =
        catchThrowableOfType(InvalidRequestException.class, () -> CreditUnit.of(code, 2));
    assertThat(credit == null).isEqualTo(entry == null);
  }
}
