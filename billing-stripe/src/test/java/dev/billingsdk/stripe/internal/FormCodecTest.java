package dev.billingsdk.stripe.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FormCodecTest {

  @Test
  void checkoutParametersAreWrittenInStripesBracketFormSortedAndPercentEncoded() {
    Map<String, Object> params =
        Map.of(
            "mode",
            "payment",
            "success_url",
            "https://shop.example/done?session={CHECKOUT_SESSION_ID}",
            "cancel_url",
            "https://shop.example/cancel",
            "client_reference_id",
            "purchase-42",
            "metadata",
            Map.of("purchase_id", "p-42", "tenant", "acme"),
            "line_items",
            List.of(
                Map.of(
                    "quantity",
                    2,
                    "price_data",
                    Map.of(
                        "currency",
                        "usd",
                        "unit_amount",
                        1999L,
                        "product_data",
                        Map.of("name", "1 000 credits")))),
            "payment_intent_data",
            Map.of("setup_future_usage", "off_session"),
            "expand",
            List.of("payment_intent"));

    assertThat(FormCodec.encode(params))
        .isEqualTo(
            "cancel_url=https%3A%2F%2Fshop.example%2Fcancel"
                + "&client_reference_id=purchase-42"
                + "&expand[0]=payment_intent"
                + "&line_items[0][price_data][currency]=usd"
                + "&line_items[0][price_data][product_data][name]=1%20000%20credits"
                + "&line_items[0][price_data][unit_amount]=1999"
                + "&line_items[0][quantity]=2"
                + "&metadata[purchase_id]=p-42"
                + "&metadata[tenant]=acme"
                + "&mode=payment"
                + "&payment_intent_data[setup_future_usage]=off_session"
                + "&success_url=https%3A%2F%2Fshop.example%2Fdone%3Fsession%3D%7BCHECKOUT_SESSION_ID%7D");
  }

  @Test
  void arraysAreIndexedAndKeepTheirOrder() {
    assertThat(FormCodec.encode(Map.of("payment_method_types", List.of("card", "sepa_debit"))))
        .isEqualTo("payment_method_types[0]=card&payment_method_types[1]=sepa_debit");
    assertThat(FormCodec.encode(Map.of("a", List.of(List.of("x", "y"), Map.of("k", "v")))))
        .isEqualTo("a[0][0]=x&a[0][1]=y&a[1][k]=v");
  }

  @Test
  void scalarsAreWrittenExactly() {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("b", true);
    params.put("c", new BigDecimal("1E+3"));
    params.put("d", BigInteger.TEN.pow(20));
    params.put("e", (short) 7);
    params.put("f", (byte) 8);
    params.put("g", new StringBuilder("sb"));
    assertThat(FormCodec.encode(params))
        .isEqualTo("b=true&c=1000&d=100000000000000000000&e=7&f=8&g=sb");
  }

  @Test
  void unicodeIsUtf8AndPercentEncodedInKeysAndValues() {
    assertThat(FormCodec.encode(Map.of("metadata", Map.of("clé", "naïve 😀 a+b&c=d"))))
        .isEqualTo("metadata[cl%C3%A9]=na%C3%AFve%20%F0%9F%98%80%20a%2Bb%26c%3Dd");
    assertThat(FormCodec.encode(Map.of("k", "-._~*'()!"))).isEqualTo("k=-._~%2A%27%28%29%21");
  }

  @Test
  void emptyMapsAndListsAreLeftOut() {
    assertThat(FormCodec.encode(Map.of("a", Map.of(), "b", List.of(), "c", "x"))).isEqualTo("c=x");
    assertThat(FormCodec.encode(Map.of())).isEmpty();
  }

  @Test
  void theOrderOfTheCallersMapDoesNotMatter() {
    Map<String, Object> one = new LinkedHashMap<>();
    one.put("z", "1");
    one.put("a", Map.of("y", "2", "b", "3"));
    Map<String, Object> other = new LinkedHashMap<>();
    other.put("a", Map.of("b", "3", "y", "2"));
    other.put("z", "1");
    assertThat(FormCodec.encode(one))
        .isEqualTo(FormCodec.encode(other))
        .isEqualTo("a[b]=3&a[y]=2&z=1");
  }

  @Test
  void refusesWhatStripeCannotTakeExactly() {
    assertThatThrownBy(() -> FormCodec.encode(Map.of("amount", 12.5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("parameter amount is a java.lang.Double");
    assertThatThrownBy(() -> FormCodec.encode(Map.of("a", Map.of("x[y]", "v"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("one under a does not");
    assertThatThrownBy(() -> FormCodec.encode(Map.of("", "v")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the top level");
    assertThatThrownBy(() -> FormCodec.encode(Map.of("a", Map.of(1, "v"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a has a java.lang.Integer");
    assertThatThrownBy(() -> FormCodec.encode(Map.of("a", "x\uD800y")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a has an unpaired UTF-16 surrogate, which UTF-8 cannot carry");
    assertThatThrownBy(() -> FormCodec.encode(Map.of("a", "x\uDC00")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FormCodec.encode(Map.of("a", "x\uD800")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FormCodec.encode(Map.of("k\uD800", "v")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(a key)");
    Map<String, Object> withNull = new LinkedHashMap<>();
    withNull.put("a", null);
    assertThatThrownBy(() -> FormCodec.encode(withNull)).isInstanceOf(NullPointerException.class);
    List<Object> listWithNull = new java.util.ArrayList<>();
    listWithNull.add(null);
    assertThatThrownBy(() -> FormCodec.encode(Map.of("a", listWithNull)))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void messagesNameTheParameterNeverItsValue() {
    assertThatThrownBy(() -> FormCodec.encode(Map.of("card", Map.of("number", 4242.0))))
        .hasMessageNotContaining("4242");
  }

  @Test
  void decodesFormsBackIntoNestedParameters() {
    assertThat(
            FormCodec.decode(
                "line_items[0][price_data][currency]=usd&line_items[0][quantity]=1"
                    + "&metadata[a+b]=c%20d&expand[]=x&expand[]=y&flag&&mode=payment"))
        .isEqualTo(
            Map.of(
                "line_items",
                List.of(Map.of("price_data", Map.of("currency", "usd"), "quantity", "1")),
                "metadata",
                Map.of("a b", "c d"),
                "expand",
                List.of("x", "y"),
                "flag",
                "",
                "mode",
                "payment"));
    assertThat(FormCodec.decode("a[][b]=1&a[][b]=2"))
        .isEqualTo(Map.of("a", List.of(Map.of("b", "1"), Map.of("b", "2"))));
    assertThat(FormCodec.decode("m[1]=x")).isEqualTo(Map.of("m", Map.of("1", "x")));
    assertThat(FormCodec.decode("k=%C3%A9%F0%9F%98%80")).isEqualTo(Map.of("k", "é😀"));
    assertThat(FormCodec.decode("k=é")).isEqualTo(Map.of("k", "é"));
  }

  @Test
  void refusesMalformedForms() {
    for (String bad :
        List.of(
            "k=%4",
            "k=%zz",
            "k=%FF",
            "[a]=1",
            "a[b=1",
            "a]=1",
            "a[b]c]=1",
            "a[[b]]=1",
            "a=1&a=2",
            "a=1&a[b]=2",
            "k=\uD800")) {
      assertThatThrownBy(() -> FormCodec.decode(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void flattenGivesTheBracketedPairsUnencoded() {
    assertThat(FormCodec.flatten(Map.of("m", Map.of("é", "a b"))))
        .containsExactly(Map.entry("m[é]", "a b"));
  }
}
