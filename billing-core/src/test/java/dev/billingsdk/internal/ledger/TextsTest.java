package dev.billingsdk.internal.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A fingerprint streams numbers, amounts and instants printed by {@link Texts}; a stored
 * fingerprint depends on the text, so each must print exactly what the JDK prints.
 */
class TextsTest {
  private static final long[] EDGES = {
    0,
    1,
    -1,
    9,
    10,
    99,
    100,
    101,
    999,
    1000,
    12_345,
    -12_345,
    Long.MAX_VALUE,
    Long.MIN_VALUE,
    Long.MAX_VALUE - 1,
    Long.MIN_VALUE + 1,
    Integer.MAX_VALUE,
    Integer.MIN_VALUE
  };

  private static String print(byte[] out, int n) {
    return new String(out, 0, n, StandardCharsets.US_ASCII);
  }

  @Test
  void wholeNumbersPrintAsLongToString() {
    byte[] out = new byte[Texts.MAX_TEXT];
    SplittableRandom random = new SplittableRandom(17);
    for (int i = 0; i < 200_000; i++) {
      long v = i < EDGES.length ? EDGES[i] : random.nextLong() >> random.nextInt(64);
      assertThat(print(out, Texts.decimal(v, out, 0))).isEqualTo(Long.toString(v));
    }
  }

  @Test
  void scaledNumbersPrintAsBigDecimalToPlainString() {
    byte[] out = new byte[Texts.MAX_TEXT];
    SplittableRandom random = new SplittableRandom(18);
    for (int i = 0; i < 200_000; i++) {
      long v = i < EDGES.length ? EDGES[i] : random.nextLong() >> random.nextInt(64);
      if (v == Long.MIN_VALUE) {
        continue; // the caller prints it the JDK's way
      }
      int scale = random.nextInt(19);
      assertThat(print(out, Texts.plainDecimal(v, scale, out, 0)))
          .as("%d at scale %d", v, scale)
          .isEqualTo(BigDecimal.valueOf(v, scale).toPlainString());
    }
  }

  @Test
  void instantsPrintAsInstantToString() {
    byte[] out = new byte[Texts.MAX_TEXT];
    SplittableRandom random = new SplittableRandom(19);
    long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    long[] seconds = {min, max, 0, -1, 1, 86_399, 86_400, -86_400, 951_782_400, 4_107_542_400L};
    int[] nanos = {0, 1, 999_999_999, 1_000_000, 1000, 120_000, 500_000_000, 123_456_789};
    for (long s : seconds) {
      for (int nano : nanos) {
        Instant at = Instant.ofEpochSecond(s, nano);
        assertThat(print(out, Texts.isoInstant(at, out, 0))).isEqualTo(at.toString());
      }
    }
    for (int i = 0; i < 200_000; i++) {
      long s = min + random.nextLong(max - min + 1);
      int nano =
          switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1000;
            default -> random.nextInt(1_000_000_000);
          };
      Instant at = Instant.ofEpochSecond(s, nano);
      assertThat(print(out, Texts.isoInstant(at, out, 0))).isEqualTo(at.toString());
    }
    // Outside four-digit years it declines, and the JDK prints.
    assertThat(Texts.isoInstant(Instant.ofEpochSecond(min - 1), out, 0)).isEqualTo(-1);
    assertThat(Texts.isoInstant(Instant.ofEpochSecond(max + 1), out, 0)).isEqualTo(-1);
    assertThat(Texts.isoInstant(Instant.MAX, out, 0)).isEqualTo(-1);
    assertThat(Texts.isoInstant(Instant.MIN, out, 0)).isEqualTo(-1);
  }
}
