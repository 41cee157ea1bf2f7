package dev.billingsdk.flutterwave.internal;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * The one JSON configuration of the module. Flutterwave states amounts as JSON numbers in major
 * units, so every number with a fraction is read as a {@link java.math.BigDecimal} exactly as
 * written (never a {@code double}, and {@code 1500.50} keeps its scale), and a {@code BigDecimal}
 * is written in plain notation.
 */
public final class FlutterwaveJson {
  // JsonNodeFactory.withExactBigDecimals is deprecated since Jackson 2.15 in favour of
  // JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES; both are set, so that the trees keep every
  // number's scale whichever of the two a Jackson version honours.
  @SuppressWarnings("deprecation")
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
          .build();

  private FlutterwaveJson() {}

  /**
   * The shared mapper (thread-safe once configured; never reconfigure it).
   *
   * @return the mapper
   */
  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
