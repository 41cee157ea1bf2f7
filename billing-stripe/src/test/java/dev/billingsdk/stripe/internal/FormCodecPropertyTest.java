package dev.billingsdk.stripe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The form codec over arbitrary nested parameters and arbitrary Unicode.
 *
 * <p>jqwik's edge cases are off: for these recursive generators it spends most of a minute
 * combining them, and the generators already give empty strings, ASCII punctuation and astral code
 * points often.
 */
class FormCodecPropertyTest {

  @Property(tries = 1500, edgeCases = EdgeCasesMode.NONE)
  void decodingTheEncodingGivesTheParametersBack(@ForAll("params") Map<String, Object> params) {
    assertThat(FormCodec.decode(FormCodec.encode(params))).isEqualTo(params);
  }

  @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
  void theEncodingIsAsciiAndIgnoresTheMapsOrder(@ForAll("params") Map<String, Object> params) {
    String encoded = FormCodec.encode(params);
    assertThat(encoded).matches("[A-Za-z0-9\\-._~%=&\\[\\]]*");
    List<String> keys = new ArrayList<>(params.keySet());
    Collections.reverse(keys);
    Map<String, Object> reversed = new LinkedHashMap<>();
    keys.forEach(k -> reversed.put(k, params.get(k)));
    assertThat(FormCodec.encode(reversed)).isEqualTo(encoded);
  }

  @Provide
  Arbitrary<Map<String, Object>> params() {
    return maps(3);
  }

  private static Arbitrary<Map<String, Object>> maps(int depth) {
    return Arbitraries.maps(keys(), values(depth)).ofMinSize(1).ofMaxSize(3);
  }

  private static Arbitrary<Object> values(int depth) {
    Arbitrary<Object> text = text().map(s -> s);
    if (depth == 0) {
      return text;
    }
    return Arbitraries.frequencyOf(
        Tuple.of(4, text),
        Tuple.of(1, maps(depth - 1).map(m -> m)),
        Tuple.of(1, values(depth - 1).list().ofMinSize(1).ofMaxSize(2).map(l -> l)));
  }

  /** Keys: any text but empty, bracketed or all digits (a level of digits decodes as a list). */
  private static Arbitrary<String> keys() {
    return text()
        .filter(s -> !s.isEmpty())
        .filter(s -> s.indexOf('[') < 0 && s.indexOf(']') < 0)
        .filter(s -> !s.chars().allMatch(c -> c >= '0' && c <= '9'));
  }

  /**
   * Well-formed Unicode: ASCII often (so '&', '=', '%', '+' and spaces come up), any code point.
   */
  private static Arbitrary<String> text() {
    Arbitrary<Integer> ascii = Arbitraries.integers().between(0, 0x7f);
    Arbitrary<Integer> any =
        Arbitraries.integers().between(0, 0x10FFFF).filter(cp -> cp < 0xD800 || cp > 0xDFFF);
    return Arbitraries.frequencyOf(Tuple.of(3, ascii), Tuple.of(2, any))
        .list()
        .ofMaxSize(8)
        .map(
            cps -> {
              StringBuilder s = new StringBuilder();
              cps.forEach(s::appendCodePoint);
              return s.toString();
            });
  }
}
