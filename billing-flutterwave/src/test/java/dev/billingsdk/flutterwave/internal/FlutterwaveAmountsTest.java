package dev.billingsdk.flutterwave.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.payment.AmountNotRepresentableException;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class FlutterwaveAmountsTest {
  static final CurrencyUnit NGN = CurrencyUnit.of("NGN");
  static final CurrencyUnit UGX = CurrencyUnit.of("UGX");
  static final CurrencyUnit KWD = CurrencyUnit.of("KWD");

  @Test
  void sendsMajorUnitsWithTheIsoScale() {
    assertThat(FlutterwaveAmounts.toFlutterwave(Amount.ofMinor(NGN, 150050)))
        .isEqualTo(new BigDecimal("1500.50"));
    assertThat(FlutterwaveAmounts.toFlutterwave(Amount.ofMinor(UGX, 5000)))
        .isEqualTo(new BigDecimal("5000"));
    assertThat(FlutterwaveAmounts.toFlutterwave(Amount.ofMinor(KWD, 1)))
        .isEqualTo(new BigDecimal("0.001"));
  }

  @Test
  void refusesCreditsZeroAndNegativeAmounts() {
    assertThatThrownBy(
            () -> FlutterwaveAmounts.toFlutterwave(Amount.ofMinor(CreditUnit.of("CREDIT", 2), 5)))
        .isInstanceOf(AmountNotRepresentableException.class)
        .hasMessageContaining("not in a currency");
    assertThatThrownBy(() -> FlutterwaveAmounts.toFlutterwave(Amount.zero(NGN)))
        .isInstanceOf(AmountNotRepresentableException.class)
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> FlutterwaveAmounts.toFlutterwave(Amount.ofMinor(NGN, -1)))
        .isInstanceOf(AmountNotRepresentableException.class);
  }

  @Test
  void readsWhatFlutterwaveStatesExactly() {
    assertThat(FlutterwaveAmounts.fromFlutterwave(new BigDecimal("1500.5"), "NGN"))
        .isEqualTo(Amount.ofMinor(NGN, 150050));
    assertThat(FlutterwaveAmounts.fromFlutterwave(new BigDecimal("1500.500"), "NGN"))
        .isEqualTo(Amount.ofMinor(NGN, 150050));
    assertThat(FlutterwaveAmounts.fromFlutterwave(new BigDecimal("5E+3"), "UGX"))
        .isEqualTo(Amount.ofMinor(UGX, 5000));
    assertThat(FlutterwaveAmounts.fromFlutterwave(new BigDecimal("0.00"), "NGN"))
        .isEqualTo(Amount.zero(NGN));
    assertThat(FlutterwaveAmounts.fromFlutterwave(new BigDecimal("92233720368547758.07"), "NGN"))
        .isEqualTo(Amount.ofMinor(NGN, Long.MAX_VALUE));
  }

  @Test
  void refusesMoreDecimalsThanTheCurrencyHas() {
    assertThatThrownBy(() -> FlutterwaveAmounts.fromFlutterwave(new BigDecimal("10.005"), "NGN"))
        .isInstanceOf(AmountNotRepresentableException.class)
        .hasMessageContaining("10.005")
        .hasMessageContaining("more decimals than NGN");
    assertThatThrownBy(() -> FlutterwaveAmounts.fromFlutterwave(new BigDecimal("5000.5"), "UGX"))
        .isInstanceOf(AmountNotRepresentableException.class);
  }

  @Test
  void refusesWhatDoesNotFitALong() {
    assertThatThrownBy(
            () -> FlutterwaveAmounts.fromFlutterwave(new BigDecimal("92233720368547758.08"), "NGN"))
        .isInstanceOf(AmountNotRepresentableException.class)
        .hasMessageContaining("out of range");
    // An absurd exponent is refused without being expanded.
    assertThatThrownBy(
            () -> FlutterwaveAmounts.fromFlutterwave(new BigDecimal("1E+999999999"), "NGN"))
        .isInstanceOf(AmountNotRepresentableException.class)
        .hasMessageContaining("out of range");
    assertThatThrownBy(
            () -> FlutterwaveAmounts.fromFlutterwave(new BigDecimal("1E-999999999"), "NGN"))
        .isInstanceOf(AmountNotRepresentableException.class)
        .hasMessageContaining("more decimals");
  }

  @Test
  void refusesUnknownCurrencies() {
    assertThatThrownBy(() -> FlutterwaveAmounts.fromFlutterwave(BigDecimal.ONE, "ABC"))
        .isInstanceOf(AmountNotRepresentableException.class)
        .hasMessageContaining("ABC")
        .hasMessageContaining("not an ISO 4217 currency");
    assertThatThrownBy(() -> FlutterwaveAmounts.fromFlutterwave(BigDecimal.ONE, "ngn"))
        .isInstanceOf(AmountNotRepresentableException.class);
    assertThatThrownBy(() -> FlutterwaveAmounts.fromFlutterwave(BigDecimal.ONE, "XAU"))
        .isInstanceOf(AmountNotRepresentableException.class);
    assertThatThrownBy(() -> FlutterwaveAmounts.fromFlutterwave(BigDecimal.ONE, "not a code!"))
        .isInstanceOf(AmountNotRepresentableException.class)
        .hasMessageContaining("not three upper-case letters");
  }

  @Test
  void theMapperReadsNumbersAsExactDecimalsAndWritesThemPlain() throws Exception {
    JsonNode node = FlutterwaveJson.mapper().readTree("{\"a\":1500.50,\"b\":0.1,\"c\":45}");
    assertThat(node.get("a").isBigDecimal()).isTrue();
    assertThat(node.get("a").decimalValue()).isEqualTo(new BigDecimal("1500.50"));
    assertThat(node.get("b").decimalValue()).isEqualTo(new BigDecimal("0.1"));
    assertThat(node.get("c").isIntegralNumber()).isTrue();

    ObjectNode out = FlutterwaveJson.mapper().createObjectNode();
    out.put("amount", FlutterwaveAmounts.toFlutterwave(Amount.ofMinor(NGN, 100)));
    out.put("tiny", FlutterwaveAmounts.toFlutterwave(Amount.ofMinor(KWD, 1)));
    assertThat(FlutterwaveJson.mapper().writeValueAsString(out))
        .isEqualTo("{\"amount\":1.00,\"tiny\":0.001}");
  }

  @Test
  void zeroInAnyScaleIsZero() {
    assertThat(FlutterwaveAmounts.fromFlutterwave(new BigDecimal("0E+5"), "KWD"))
        .isEqualTo(Amount.zero(KWD));
    assertThat(FlutterwaveAmounts.fromFlutterwave(new BigDecimal("-12.5"), "NGN"))
        .isEqualTo(Amount.ofMinor(NGN, -1250));
  }

  @Test
  void describesNoCodeItCannotTrust() {
    assertThatThrownBy(() -> FlutterwaveAmounts.fromFlutterwave(BigDecimal.ONE, "ABCDEFGHIJ"))
        .isInstanceOf(AmountNotRepresentableException.class)
        .hasMessageContaining("not three upper-case letters");
  }
}
