package dev.billingsdk.fuzz;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Unit;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Arguments a hostile (or careless) host may pass: each arbitrary mixes ordinary values with the
 * edge cases that used to escape as raw JDK exceptions (nulls, duplicates and nulls in varargs,
 * malformed text, extreme numbers, instants and durations).
 */
final class Hostile {
  private Hostile() {}

  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 2);
  static final CurrencyUnit USD = CurrencyUnit.of("USD");
  static final CurrencyUnit JPY = CurrencyUnit.of("JPY");
  static final TenantId ACME = TenantId.of("acme");
  static final AccountId ADA = AccountId.of("ada");

  /** The same arbitrary with null mixed in. */
  static <T> Arbitrary<T> orNull(Arbitrary<T> values) {
    return values.injectNull(0.12);
  }

  @SafeVarargs
  @SuppressWarnings("varargs")
  static <T> Arbitrary<T> oneOf(T... values) {
    return orNull(Arbitraries.of(Arrays.asList(values)));
  }

  /** Text: identifiers, blanks, control characters, NUL, unpaired surrogates, over-long. */
  static Arbitrary<String> text() {
    return oneOf(
        "a",
        "bob",
        "gpt-4o.input",
        "tokens",
        "model",
        "PROMOTIONAL",
        "",
        " ",
        "\t",
        " x",
        "x ",
        "a\u0000b",
        "a\u0007b",
        "\uD800",
        "a\uDC00b",
        "\uD83D\uDE00",
        "مرحبا",
        "١٢٣",
        "NaN",
        "-0",
        "1e100000000",
        "x".repeat(129),
        "y".repeat(5_000));
  }

  /** Mostly usable identifiers, so that values get built and reach deeper checks. */
  static Arbitrary<String> id() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.of("a", "b", "model", "region", "x-1")),
        net.jqwik.api.Tuple.of(2, text()));
  }

  /** Decimal text, legal and not. */
  static Arbitrary<String> decimalText() {
    return oneOf(
        "0",
        "1",
        "12.34",
        "-1",
        "-0",
        "0.001",
        "2.5E-3",
        "1e100000000",
        "1E-100000000",
        "NaN",
        "Infinity",
        "١٢٣",
        "",
        " 1",
        "1_000",
        "0x10",
        "9".repeat(61),
        "1".repeat(101),
        "1e60",
        "1e61");
  }

  static Arbitrary<BigDecimal> decimal() {
    return oneOf(
        BigDecimal.ZERO,
        BigDecimal.ONE,
        new BigDecimal("12.34"),
        new BigDecimal("-1"),
        new BigDecimal("0.001"),
        new BigDecimal("1E+3"),
        new BigDecimal("1E-12"),
        new BigDecimal("1E-13"),
        new BigDecimal("999999999999999999"),
        new BigDecimal("1E+18"),
        new BigDecimal(BigInteger.ONE, Integer.MIN_VALUE),
        new BigDecimal(BigInteger.ONE, Integer.MAX_VALUE),
        new BigDecimal(BigInteger.ONE, -61),
        new BigDecimal(BigInteger.ONE, 61),
        new BigDecimal(BigInteger.TEN.pow(100)),
        new BigDecimal(BigInteger.TEN.pow(100).negate(), 50),
        new BigDecimal(BigInteger.ONE.shiftLeft(5_000)),
        BigDecimal.valueOf(Long.MAX_VALUE),
        BigDecimal.valueOf(Long.MIN_VALUE));
  }

  static Arbitrary<BigInteger> bigInteger() {
    return oneOf(
        BigInteger.ZERO,
        BigInteger.ONE,
        BigInteger.TWO,
        BigInteger.TEN.negate(),
        BigInteger.TEN.pow(100),
        BigInteger.ONE.shiftLeft(100_000));
  }

  static Arbitrary<Long> longs() {
    return Arbitraries.oneOf(
        Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, 1L, -1L, 100L, 1_000_000_000_000_000L),
        Arbitraries.longs().between(-10_000, 10_000));
  }

  static Arbitrary<Integer> ints() {
    return Arbitraries.oneOf(
        Arbitraries.of(Integer.MIN_VALUE, Integer.MAX_VALUE, 0, 1, -1, 12, 13, 50, 100, 101, 9999),
        Arbitraries.integers().between(-5, 200));
  }

  static Arbitrary<Instant> instant() {
    return oneOf(
        Instant.parse("2024-06-01T00:00:00Z"),
        Instant.parse("2024-06-01T10:15:30.123456789Z"),
        Instant.parse("2024-05-31T23:00:00Z"),
        Instant.parse("2024-06-02T00:00:00Z"),
        Instant.parse("2099-01-01T00:00:00Z"),
        Instant.EPOCH,
        Instant.MIN,
        Instant.MAX,
        Instant.parse("0000-12-31T23:59:59Z"),
        Instant.parse("0001-01-01T00:00:00Z"),
        Instant.parse("9999-12-31T23:59:59.999999999Z"),
        Instant.parse("+10000-01-01T00:00:00Z"));
  }

  static Arbitrary<Duration> duration() {
    return oneOf(
        Duration.ofMinutes(1),
        Duration.ofMinutes(5),
        Duration.ofHours(1),
        Duration.ofDays(30),
        Duration.ZERO,
        Duration.ofSeconds(-1),
        Duration.ofNanos(1),
        Duration.ofMillis(1500),
        Duration.ofDays(36_500),
        Duration.ofDays(36_501),
        ChronoUnit.FOREVER.getDuration(),
        Duration.ofSeconds(Long.MAX_VALUE),
        Duration.ofSeconds(Long.MIN_VALUE));
  }

  static Arbitrary<Unit> unit() {
    return oneOf(CREDIT, USD, JPY, CreditUnit.of("TOKEN", 0), CreditUnit.of("MICRO", 12));
  }

  static Arbitrary<Amount> amount() {
    return orNull(
        Arbitraries.oneOf(
            Arbitraries.of(0L, 1L, 100L, 10_000L, -1L, Long.MAX_VALUE, Long.MIN_VALUE)
                .map(m -> Amount.ofMinor(CREDIT, m)),
            net.jqwik.api.Combinators.combine(
                    Arbitraries.of(CREDIT, USD, JPY), Arbitraries.longs().between(-5, 5_000))
                .as(Amount::ofMinor)));
  }

  static Arbitrary<TenantId> tenant() {
    return oneOf(ACME, TenantId.of("other"));
  }

  static Arbitrary<AccountId> account() {
    return oneOf(ADA, AccountId.of("bob"), AccountId.of("nobody"));
  }

  static Arbitrary<IdempotencyKey> key() {
    return orNull(
        Arbitraries.oneOf(
            Arbitraries.strings().withCharRange('a', 'f').ofLength(4).map(IdempotencyKey::of),
            Arbitraries.of(IdempotencyKey.of("k-1"), IdempotencyKey.of("seed-grant"))));
  }

  static Arbitrary<Actor> actor() {
    return oneOf(
        Actor.of("alice", Role.ADMIN),
        Actor.system("sys"),
        Actor.of("fin", Role.FINANCE),
        new Actor("nobody", java.util.Set.of()));
  }

  static <E extends Enum<E>> Arbitrary<E> enumOf(Class<E> type) {
    return orNull(Arbitraries.of(type));
  }

  /** Varargs arrays of {@code type}: null array, null element, duplicates, empty, ordinary. */
  @SuppressWarnings("unchecked")
  static <T> Arbitrary<T[]> varargs(Class<T> type, Arbitrary<T> element) {
    Arbitrary<T[]> ordinary =
        element
            .list()
            .ofMaxSize(4)
            .map(l -> l.toArray((T[]) java.lang.reflect.Array.newInstance(type, 0)));
    Arbitrary<T[]> duplicated =
        element.map(
            e -> {
              T[] a = (T[]) java.lang.reflect.Array.newInstance(type, 2);
              a[0] = e;
              a[1] = e;
              return a;
            });
    return Arbitraries.oneOf(ordinary, duplicated, Arbitraries.just(null));
  }

  /** String-to-string maps: ordinary, reserved or malformed keys, null keys and values. */
  static Arbitrary<Map<String, String>> map() {
    return Arbitraries.oneOf(
        Combinators2.pairs(text(), text())
            .list()
            .ofMaxSize(3)
            .map(
                entries -> {
                  Map<String, String> m = new HashMap<>();
                  entries.forEach(e -> m.put(e.get1(), e.get2()));
                  return m;
                }),
        Arbitraries.of(
            Map.of(),
            Map.of("model", "gpt-4o"),
            Map.of("billing.corrects", "x"),
            Map.of("k".repeat(65), "v"),
            Map.of("k", "v".repeat(1_025))),
        Arbitraries.just(null));
  }

  static <T> Arbitrary<Optional<T>> optional(Arbitrary<T> value) {
    return Arbitraries.oneOf(
        value.filter(v -> v != null).map(Optional::of),
        Arbitraries.just(Optional.<T>empty()),
        Arbitraries.just(null));
  }

  static <T> Arbitrary<List<T>> list(Arbitrary<T> element) {
    return orNull(element.list().ofMaxSize(3).map(l -> java.util.Collections.unmodifiableList(l)));
  }

  /** Pairs of arbitraries. */
  static final class Combinators2 {
    private Combinators2() {}

    static <A, B> Arbitrary<net.jqwik.api.Tuple.Tuple2<A, B>> pairs(
        Arbitrary<A> a, Arbitrary<B> b) {
      return net.jqwik.api.Combinators.combine(a, b).as(net.jqwik.api.Tuple::of);
    }
  }
}
