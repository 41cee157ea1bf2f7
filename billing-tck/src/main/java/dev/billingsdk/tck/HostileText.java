package dev.billingsdk.tck;

import dev.billingsdk.InputContract;
import java.time.Instant;
import java.util.List;

/**
 * The hostile-but-legal text and instants of {@link HostileInputTck} and {@link
 * HostileInputProperties}, and the illegal ones every store must see refused the same way. Every
 * legal value here is accepted by the {@link InputContract}; a store must keep it byte for byte.
 */
public final class HostileText {
  private HostileText() {}

  /** A character outside the Basic Multilingual Plane: a surrogate pair, 4 bytes of UTF-8. */
  public static final String EMOJI = "\uD83D\uDE00";

  /** Another one, which a lossy driver would replace with the same {@code ?}. */
  public static final String OTHER_EMOJI = "\uD83D\uDE03";

  /** A family joined by zero-width joiners. */
  public static final String FAMILY = "\uD83D\uDC69\u200D\uD83D\uDC69\u200D\uD83D\uDC67";

  /** "café" composed (NFC: U+00E9). */
  public static final String CAFE_NFC = "caf\u00E9";

  /** "café" decomposed (NFD: e + U+0301). */
  public static final String CAFE_NFD = "cafe\u0301";

  /**
   * Pairs of legal identifiers that differ only in ways a lossy driver, a normalising or
   * case-insensitive collation or a trimming column would erase: each pair must stay two values.
   */
  public static final List<List<String>> LOOKALIKE_PAIRS =
      List.of(
          List.of("Acme", "acme"),
          List.of("stra\u00DFe", "strasse"),
          List.of(CAFE_NFC, CAFE_NFD),
          List.of("\uFF21\uFF43\uFF4D\uFF45", "Acme"), // full-width letters
          List.of("\uD835\uDD04cme", "Acme"), // mathematical fraktur A, outside the BMP
          List.of("x" + EMOJI, "x?"),
          List.of("x" + EMOJI, "x" + OTHER_EMOJI),
          List.of("a\u200Db", "ab"), // zero-width joiner
          List.of("\uFFFD", "?"),
          List.of("\u0130d", "i\u0307d"), // Turkish dotted capital I and its lower case
          List.of("\uFB01le", "file"), // ligature
          List.of(FAMILY, "\uD83D\uDC69\uD83D\uDC69\uD83D\uDC67"),
          List.of("\u05E9\u05DC\u05D5\u05DD-1", "1-\u05E9\u05DC\u05D5\u05DD"), // right-to-left
          List.of("id\u00A0x", "id x"), // no-break space inside
          List.of(EMOJI.repeat(64), EMOJI.repeat(63) + OTHER_EMOJI)); // 128 UTF-16 units each

  /** An identifier of exactly {@link InputContract#MAX_IDENTIFIER} UTF-16 units: 64 emoji. */
  public static final String LONGEST_ID = EMOJI.repeat(InputContract.MAX_IDENTIFIER / 2);

  /** Legal free text (reasons) that a lossy column or driver would change. */
  public static final List<String> REASONS =
      List.of(
          "trailing spaces   ",
          "   leading spaces",
          "tab\tand line\nbreaks\r\n",
          "\u0645\u0631\u062D\u0628\u0627 \u200F\u202Eright to left",
          "\uFFFD\uFFFD replacement characters",
          "z\u0351\u0352\u0353\u0354a\u0300\u0301\u0302\u0303lgo", // stacked combining marks
          "' OR 1=1; -- \\\"json\":{}%_",
          "line\u2028separators\u2029",
          CAFE_NFD + " " + CAFE_NFC,
          // 4,000 UTF-16 units of 4-byte characters: 8,000 bytes of UTF-8
          EMOJI.repeat(InputContract.MAX_REASON / 2),
          // 4,000 characters of 3 bytes each: 12,000 bytes, the most UTF-8 a legal reason has
          "\u8A9E".repeat(InputContract.MAX_REASON));

  /** Legal names, the longest ones at {@link InputContract#MAX_NAME}. */
  public static final List<String> NAMES =
      List.of(
          EMOJI.repeat(InputContract.MAX_NAME / 2),
          "stra\u00DFe ",
          "\u00DF".repeat(InputContract.MAX_NAME - 3) + "   ",
          FAMILY + " " + CAFE_NFD,
          "");

  /** Legal metadata: case-only and trailing-space-only different keys, and the longest values. */
  public static final java.util.Map<String, String> METADATA =
      java.util.Map.of(
          "Key",
          "value   ",
          "key",
          "",
          "k ",
          EMOJI.repeat(InputContract.MAX_METADATA_VALUE / 2),
          "k",
          "x".repeat(InputContract.MAX_METADATA_VALUE - 4) + "    ",
          EMOJI.repeat(InputContract.MAX_METADATA_KEY / 2),
          "\u8A9E".repeat(1_024),
          CAFE_NFC,
          CAFE_NFD + "  ");

  // ------------------------------------------------------------------ refused

  /** Text no store may be handed: unpaired surrogates and NUL. */
  public static final List<String> MALFORMED =
      List.of(
          "a\uD83Db", // high surrogate alone
          "a\uDE00b", // low surrogate alone
          "a\uDE00\uD83Db", // a reversed pair
          "a\uD83D", // high surrogate at the end
          "a\u0000b"); // NUL

  /** Instants outside the contract. */
  public static final List<Instant> OUT_OF_RANGE =
      List.of(
          Instant.MIN,
          Instant.MAX,
          InputContract.EARLIEST.minusNanos(1),
          InputContract.LATEST.plusNanos(1_000),
          Instant.parse("+10000-01-01T00:00:00Z"),
          Instant.parse("-4712-01-01T00:00:00Z"));

  /** Instants at the contract's edges and with microsecond parts, all kept exactly. */
  public static final List<Instant> EDGES =
      List.of(
          InputContract.EARLIEST,
          InputContract.EARLIEST.plusNanos(1_000),
          Instant.parse("1582-10-10T12:00:00.000001Z"), // inside the Julian-Gregorian gap
          Instant.parse("1969-12-31T23:59:59.999999Z"),
          Instant.parse("2026-01-01T00:00:00.000001Z"),
          Instant.parse("2038-01-19T03:14:08.123456Z"),
          InputContract.LATEST.minusNanos(1_000),
          InputContract.LATEST);
}
