package dev.billingsdk.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A rated line's dimension key and its inverse: stores group usage summaries by the key and give
 * the dimension values back from it ({@link RatedLine#dimensionsOf}), so the two must round-trip
 * for every map, the separators and the escape character included.
 */
class DimensionKeyPropertiesTest {

  @Provide
  Arbitrary<Map<String, String>> dimensions() {
    // Text drawn mostly from the characters the key escapes, so escapes meet each other.
    Arbitrary<String> text =
        Arbitraries.strings().withChars("\\=;ab é").ofMinLength(0).ofMaxLength(6);
    return Arbitraries.maps(text, text).ofMaxSize(6);
  }

  @Property(tries = 5_000)
  void theKeyGivesBackTheValues(@ForAll("dimensions") Map<String, String> values) {
    assertThat(RatedLine.dimensionsOf(RatedLine.dimensionKey(values))).isEqualTo(values);
  }

  @Property(tries = 2_000)
  void equalKeysMeanEqualValues(
      @ForAll("dimensions") Map<String, String> a, @ForAll("dimensions") Map<String, String> b) {
    assertThat(RatedLine.dimensionKey(a).equals(RatedLine.dimensionKey(b))).isEqualTo(a.equals(b));
  }

  @Example
  void theEmptyMapAndOneEmptyPairAreTold() {
    assertThat(RatedLine.dimensionsOf("")).isEmpty();
    assertThat(RatedLine.dimensionsOf("=")).containsExactly(Map.entry("", ""));
    assertThat(RatedLine.dimensionsOf("model=gpt\\;4;region=eu"))
        .containsExactly(Map.entry("model", "gpt;4"), Map.entry("region", "eu"));
  }

  @Example
  void whatNoKeyLooksLikeIsRefused() {
    for (String broken : new String[] {"model", "a=b;c", "a=b=c", "a=b\\", "a=1;a=2", ";"}) {
      assertThatThrownBy(() -> RatedLine.dimensionsOf(broken))
          .as(broken)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(broken);
    }
  }
}
