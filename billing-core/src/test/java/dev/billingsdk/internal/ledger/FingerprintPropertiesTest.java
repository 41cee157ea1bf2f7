package dev.billingsdk.internal.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/**
 * The fingerprint streams its canonical text into a reused digest instead of building it; stored
 * fingerprints depend on the exact value, so it must equal the SHA-256 of the text it stands for,
 * for any text (non-ASCII, surrogate pairs, fields longer than its buffer).
 */
class FingerprintPropertiesTest {

  /** The fingerprint as its documentation defines it: hash of the text, built in full. */
  private static String reference(String operation, List<String> fields, List<String> values)
      throws Exception {
    StringBuilder text = new StringBuilder(operation);
    for (int i = 0; i < fields.size(); i++) {
      String v = values.get(i);
      text.append('|').append(fields.get(i)).append('=').append(v.length()).append(':').append(v);
    }
    byte[] hash =
        MessageDigest.getInstance("SHA-256")
            .digest(text.toString().getBytes(StandardCharsets.UTF_8));
    return "sha256:" + HexFormat.of().formatHex(hash);
  }

  @Property(tries = 2_000)
  void theStreamedDigestIsTheDigestOfTheText(
      @ForAll @StringLength(max = 40) String operation,
      @ForAll @Size(max = 6) List<@StringLength(max = 600) String> values)
      throws Exception {
    List<String> fields = values.stream().map(v -> "f" + v.length()).toList();
    Fingerprint f = Fingerprint.of(operation);
    for (int i = 0; i < values.size(); i++) {
      f.add(fields.get(i), values.get(i));
    }
    assertThat(f.digest()).isEqualTo(reference(operation, fields, values));
  }

  @Test
  void aKnownRequestKeepsItsStoredFingerprint() throws Exception {
    // Pinned: changing the canonical form would turn every replay of an older request into an
    // idempotency conflict.
    String digest =
        Fingerprint.of("charge").add("account", "acct-1").add("amount", "2.50 CREDIT").digest();
    assertThat(digest)
        .isEqualTo(
            reference("charge", List.of("account", "amount"), List.of("acct-1", "2.50 CREDIT")));
    assertThat(Fingerprint.of("é😀").add("k", "ü€𝄞").digest())
        .isEqualTo(reference("é😀", List.of("k"), List.of("ü€𝄞")));
  }

  @Test
  void twoFingerprintsInProgressOnOneThreadDoNotMix() throws Exception {
    Fingerprint outer = Fingerprint.of("outer").add("a", "1");
    String inner = Fingerprint.of("inner").add("b", "2").digest();
    String outerDigest = outer.add("c", "3").digest();
    assertThat(inner).isEqualTo(reference("inner", List.of("b"), List.of("2")));
    assertThat(outerDigest).isEqualTo(reference("outer", List.of("a", "c"), List.of("1", "3")));
    // And the thread's digest is lent again afterwards.
    assertThat(Fingerprint.of("again").digest())
        .isEqualTo(reference("again", List.of(), List.of()));
  }

  @Test
  void anUnsortedMapPrintsAsItsSortedCopy() throws Exception {
    Map<String, String> map = Map.of("z", "1", "a", "2");
    assertThat(Fingerprint.of("m").add("refs", map).digest())
        .isEqualTo(reference("m", List.of("refs"), List.of(new TreeMap<>(map).toString())));
  }

  @Test
  void mapsPrintAsTheirSortedText() throws Exception {
    // Short ASCII maps are printed in one walk, others measured then streamed: the same text.
    List<Map<String, String>> maps =
        List.of(
            new TreeMap<>(Map.of("model", "gpt-4o", "direction", "input")),
            new TreeMap<>(Map.of("", "", "a", "")),
            new TreeMap<>(Map.of("é", "ü€𝄞", "a", "b")),
            new TreeMap<>(Map.of("k", "v".repeat(200))),
            new TreeMap<>(Map.of("k1", "x".repeat(60), "k2", "y".repeat(60))),
            Map.of("z", "1", "a", "2", "m", "3"));
    for (Map<String, String> map : maps) {
      assertThat(Fingerprint.of("m").add("refs", map).digest())
          .as("%s", map)
          .isEqualTo(reference("m", List.of("refs"), List.of(new TreeMap<>(map).toString())));
    }
  }

  @Test
  void typedValuesPrintAsTheirText() throws Exception {
    // Amounts, instants, numbers and empty maps are streamed without building their text: the
    // digest is the one of the text they print.
    dev.billingsdk.money.Unit credits = dev.billingsdk.money.CreditUnit.of("CREDIT", 2);
    dev.billingsdk.money.Unit yen = dev.billingsdk.money.CurrencyUnit.of("JPY");
    Object[] values = {
      dev.billingsdk.money.Amount.ofMinor(credits, 250),
      dev.billingsdk.money.Amount.ofMinor(credits, -5),
      dev.billingsdk.money.Amount.ofMinor(credits, Long.MIN_VALUE),
      dev.billingsdk.money.Amount.ofMinor(yen, 1200),
      java.time.Instant.parse("2026-01-31T12:00:00.120Z"),
      java.time.Instant.parse("+12026-01-31T12:00:00Z"),
      42,
      -7L,
      Map.of()
    };
    for (Object v : values) {
      Fingerprint f = Fingerprint.of("typed");
      if (v instanceof Map<?, ?>) {
        f.add("v", Map.<String, String>of());
      } else {
        f.add("v", v);
      }
      assertThat(f.digest())
          .as("%s", v)
          .isEqualTo(reference("typed", List.of("v"), List.of(String.valueOf(v))));
    }
  }
}
