package dev.billingsdk.flutterwave.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.payment.AmountNotRepresentableException;
import java.math.BigDecimal;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The conversion both ways, for a currency of every ISO 4217 scale a payment uses (0 to 3). */
class FlutterwaveAmountsPropertiesTest {

  @Provide
  Arbitrary<CurrencyUnit> currencies() {
    // UGX and JPY 0, NGN and USD 2, KWD and BHD 3 decimals.
    return Arbitraries.of("UGX", "JPY", "NGN", "USD", "KWD", "BHD").map(CurrencyUnit::of);
  }

  @Example
  void everyScaleIsCovered() {
    assertThat(
            java.util.stream.Stream.of("UGX", "NGN", "KWD")
                .map(c -> CurrencyUnit.of(c).scale())
                .toList())
        .containsExactly(0, 2, 3);
  }

  @Property
  void minorToMajorToMinorIsIdentity(
      @ForAll("currencies") CurrencyUnit currency,
      @ForAll @LongRange(min = 1, max = Long.MAX_VALUE) long minor) {
    Amount amount = Amount.ofMinor(currency, minor);
    BigDecimal major = FlutterwaveAmounts.toFlutterwave(amount);

    assertThat(major.scale()).isEqualTo(currency.scale());
    assertThat(FlutterwaveAmounts.fromFlutterwave(major, currency.code())).isEqualTo(amount);
    // Written to JSON and read back, as it crosses the wire.
    assertThat(
            FlutterwaveAmounts.fromFlutterwave(
                new BigDecimal(major.toPlainString()), currency.code()))
        .isEqualTo(amount);
  }

  @Property
  void anyLongReadsBack(@ForAll("currencies") CurrencyUnit currency, @ForAll long minor) {
    BigDecimal major = BigDecimal.valueOf(minor, currency.scale());
    assertThat(FlutterwaveAmounts.fromFlutterwave(major, currency.code()).minor()).isEqualTo(minor);
  }

  @Property
  void oneMoreDecimalIsRefused(
      @ForAll("currencies") CurrencyUnit currency,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long minor,
      @ForAll @IntRange(min = 1, max = 9) int digit) {
    BigDecimal major =
        BigDecimal.valueOf(minor, currency.scale())
            .add(BigDecimal.valueOf(digit, currency.scale() + 1));

    assertThatThrownBy(() -> FlutterwaveAmounts.fromFlutterwave(major, currency.code()))
        .isInstanceOf(AmountNotRepresentableException.class)
        .hasMessageContaining("more decimals");
  }
}
