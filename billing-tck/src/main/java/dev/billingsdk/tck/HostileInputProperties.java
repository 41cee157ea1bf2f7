package dev.billingsdk.tck;

import static dev.billingsdk.tck.TckFixture.ADMIN;
import static dev.billingsdk.tck.TckFixture.CREDIT;
import static dev.billingsdk.tck.TckFixture.credits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.BillingException;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Role;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.spi.BillingStore;
import java.text.Normalizer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Hostile input as jqwik properties ({@value #TRIES} tries each): generated text of emoji,
 * combining marks, right-to-left scripts, joiners, full-width and lookalike letters, generated
 * instants anywhere from year 1 to 9999 at any nanosecond, and generated defects. Each try writes a
 * handful of rows in a fresh tenant, so the store may be shared.
 */
public abstract class HostileInputProperties {
  /** For an adapter's subclass, which supplies the store under test. */
  protected HostileInputProperties() {}

  protected static final int TRIES = 1000;

  /** The store under test. May be shared: every try uses a fresh tenant. */
  protected abstract BillingStore store();

  // ------------------------------------------------------------------ generated text

  /** Code points a hostile caller likes: each pool is one way a store can get text wrong. */
  static Arbitrary<Integer> codePoints(boolean spaces) {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.integers().between('A', 'z')),
        Tuple.of(3, Arbitraries.integers().between(0x1F300, 0x1F64F)), // emoji: 4 bytes
        Tuple.of(1, Arbitraries.integers().between(0x1D400, 0x1D7FF)), // math letters: 4 bytes
        Tuple.of(1, Arbitraries.integers().between(0x20000, 0x2A6DF)), // CJK extension B
        Tuple.of(2, Arbitraries.integers().between(0x0300, 0x036F)), // combining marks
        Tuple.of(1, Arbitraries.integers().between(0x05D0, 0x05EA)), // Hebrew
        Tuple.of(1, Arbitraries.integers().between(0x0627, 0x064A)), // Arabic
        Tuple.of(1, Arbitraries.of(0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x202E, 0x2060)),
        Tuple.of(1, Arbitraries.of(0xFFFD, 0xFEFF, 0x00DF, 0x1E9E, 0x0130, 0x0131, 0xFB01)),
        Tuple.of(1, Arbitraries.integers().between(0xFF21, 0xFF5A)), // full-width letters
        Tuple.of(1, Arbitraries.integers().between(0x00C0, 0x017F)), // Latin with accents
        Tuple.of(spaces ? 2 : 0, Arbitraries.of(0x20, 0x20, 0x09, 0x0A, 0x00A0, 0x3000)));
  }

  /** Text of at most {@code max} UTF-16 units, never splitting a surrogate pair. */
  static Arbitrary<String> text(int max, boolean spaces) {
    return codePoints(spaces)
        .list()
        .ofMaxSize(max)
        .map(
            cps -> {
              StringBuilder s = new StringBuilder();
              for (int cp : cps) {
                if (s.length() + Character.charCount(cp) > max) {
                  break;
                }
                s.appendCodePoint(cp);
              }
              return s.toString();
            });
  }

  static boolean isIdentifier(String s) {
    try {
      InputContract.identifier(s, "id");
      return true;
    } catch (InvalidRequestException e) {
      return false;
    }
  }

  static Arbitrary<String> identifiers() {
    return Arbitraries.oneOf(
            text(12, false), text(InputContract.MAX_IDENTIFIER, false), text(40, true))
        .filter(HostileInputProperties::isIdentifier);
  }

  static Arbitrary<String> reasons() {
    return Arbitraries.oneOf(text(60, true), text(InputContract.MAX_REASON, true))
        .filter(s -> !s.isBlank());
  }

  // ------------------------------------------------------------------ text is kept

  record Texts(
      String account,
      String key,
      String actor,
      String name,
      String reason,
      String metaKey,
      String metaValue) {}

  @Provide
  Arbitrary<Texts> texts() {
    return Combinators.combine(
            identifiers(),
            identifiers(),
            identifiers(),
            text(InputContract.MAX_NAME, true),
            reasons(),
            text(InputContract.MAX_METADATA_KEY, true)
                .filter(k -> !k.isBlank() && !k.startsWith("billing.")),
            text(InputContract.MAX_METADATA_VALUE, true))
        .as(Texts::new);
  }

  @Property(tries = TRIES)
  void required_generatedHostileTextIsKeptByteForByte(@ForAll("texts") Texts t) {
    TckFixture f = new TckFixture(store());
    Map<String, String> metadata = Map.of(t.metaKey(), t.metaValue());
    AccountId a =
        f.credits()
            .openAccount(
                OpenAccountRequest.builder(f.tenant, AccountId.of(t.account()), CREDIT)
                    .actor(ADMIN)
                    .metadata(metadata)
                    .build())
            .id();
    GrantResult g =
        f.credits()
            .grant(
                GrantRequest.builder(f.tenant, a, credits(3))
                    .idempotencyKey(IdempotencyKey.of(t.key()))
                    .actor(Actor.of(t.actor(), Role.ADMIN))
                    .name(t.name())
                    .reason(t.reason())
                    .metadata(metadata)
                    .build());
    assertThat(f.store.findAccount(f.tenant, a).orElseThrow().id().value()).isEqualTo(t.account());
    assertThat(f.store.findAccount(f.tenant, a).orElseThrow().metadata()).isEqualTo(metadata);
    Grant back = f.store.findGrant(f.tenant, g.grant().id()).orElseThrow().grant();
    assertThat(back).isEqualTo(g.grant());
    assertThat(back.name()).isEqualTo(t.name());
    assertThat(back.metadata()).isEqualTo(metadata);
    assertThat(back.createdBy().id()).isEqualTo(t.actor());
    LedgerTransaction tx =
        f.store.findTransaction(f.tenant, IdempotencyKey.of(t.key())).orElseThrow();
    assertThat(tx).isEqualTo(g.transaction());
    assertThat(tx.reason()).isEqualTo(t.reason());
    assertThat(tx.idempotencyKey().value()).isEqualTo(t.key());
  }

  // ------------------------------------------------------------------ lookalikes stay apart

  /** Ways to make a lookalike of an identifier that a lossy store would merge with it. */
  enum Lookalike {
    UPPER(s -> s.toUpperCase(Locale.ROOT)),
    LOWER(s -> s.toLowerCase(Locale.ROOT)),
    NFD(s -> Normalizer.normalize(s, Normalizer.Form.NFD)),
    NFC(s -> Normalizer.normalize(s, Normalizer.Form.NFC)),
    NFKC(s -> Normalizer.normalize(s, Normalizer.Form.NFKC)),
    OUTSIDE_THE_BMP_AS_QUESTION_MARKS(s -> s.replaceAll("[\\x{10000}-\\x{10FFFF}]", "?")),
    ZERO_WIDTH_JOINER_INSIDE(
        s ->
            s.substring(0, s.offsetByCodePoints(0, 1))
                + "\u200D"
                + s.substring(s.offsetByCodePoints(0, 1))),
    SHARP_S_AS_SS(s -> s.replace("\u00DF", "ss")),
    COMBINING_MARK_ADDED(s -> s + "\u0301");

    final UnaryOperator<String> make;

    Lookalike(UnaryOperator<String> make) {
      this.make = make;
    }
  }

  record Pair(String id, String lookalike, Lookalike how) {}

  @Provide
  Arbitrary<Pair> lookalikes() {
    return Combinators.combine(identifiers(), Arbitraries.of(Lookalike.class))
        .as((id, how) -> new Pair(id, how.make.apply(id), how))
        .filter(p -> !p.lookalike().equals(p.id()) && isIdentifier(p.lookalike()));
  }

  @Property(tries = TRIES)
  void required_lookalikeIdsAndKeysStayApart(@ForAll("lookalikes") Pair p) {
    TckFixture f = new TckFixture(store());
    AccountId a = f.open(p.id());
    AccountId b = f.open(p.lookalike());
    GrantResult first = grant(f, a, 1, p.id());
    GrantResult second = grant(f, a, 2, p.lookalike());
    grant(f, b, 4, "#b"); // "#" is outside the generated alphabet: never one of the two
    assertThat(second.replayed()).as("a lookalike key is a new key").isFalse();
    assertThat(f.credits().balance(f.tenant, a).total().minor()).isEqualTo(3);
    assertThat(f.credits().balance(f.tenant, b).total().minor()).isEqualTo(4);
    assertThat(f.store.findAccount(f.tenant, b).orElseThrow().id()).isEqualTo(b);
    assertThat(f.store.findTransaction(f.tenant, IdempotencyKey.of(p.id())).orElseThrow().id())
        .isEqualTo(first.transaction().id());
    assertThat(
            f.store.findTransaction(f.tenant, IdempotencyKey.of(p.lookalike())).orElseThrow().id())
        .isEqualTo(second.transaction().id());
  }

  private static GrantResult grant(TckFixture f, AccountId a, long minor, String key) {
    return f.credits()
        .grant(
            GrantRequest.builder(f.tenant, a, credits(minor))
                .idempotencyKey(IdempotencyKey.of(key))
                .actor(ADMIN)
                .reason("lookalike")
                .build());
  }

  // ------------------------------------------------------------------ instants are kept

  static Arbitrary<Instant> anyLegalInstant() {
    long from = InputContract.EARLIEST.getEpochSecond();
    long to = InputContract.LATEST.getEpochSecond();
    Arbitrary<Long> seconds =
        Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.longs().between(from, to)),
            Tuple.of(1, Arbitraries.longs().between(from, from + 86_400)),
            Tuple.of(1, Arbitraries.longs().between(to - 86_400, to)),
            Tuple.of(1, Arbitraries.longs().between(-12_219_292_800L - 864_000, -12_219_292_800L)));
    Arbitrary<Integer> nanos =
        Arbitraries.oneOf(
            Arbitraries.integers().between(0, 999_999_999),
            Arbitraries.integers().between(0, 999_999).map(u -> u * 1_000),
            Arbitraries.of(0, 1_000, 999_999_000, 999_999_999));
    // LATEST is the last microsecond; a nanosecond after it is outside, not truncated into it.
    return Combinators.combine(seconds, nanos)
        .as(Instant::ofEpochSecond)
        .filter(i -> !i.isAfter(InputContract.LATEST));
  }

  @Provide
  Arbitrary<List<Instant>> instantPairs() {
    return anyLegalInstant()
        .list()
        .ofSize(2)
        .map(l -> l.stream().sorted().toList())
        .filter(
            l ->
                l.get(1)
                    .truncatedTo(ChronoUnit.MICROS)
                    .isAfter(l.get(0).truncatedTo(ChronoUnit.MICROS)));
  }

  @Property(tries = TRIES)
  void required_generatedInstantsAreKeptToTheMicrosecond(@ForAll("instantPairs") List<Instant> at) {
    TckFixture f = new TckFixture(store());
    Instant start = at.get(0);
    Instant end = at.get(1);
    Instant startMicros = start.truncatedTo(ChronoUnit.MICROS);
    Instant endMicros = end.truncatedTo(ChronoUnit.MICROS);
    f.clock.set(start);
    AccountId a = f.open("times");
    GrantResult g = f.grant(a, 5, b -> b.effectiveFrom(start).expiresAt(end));
    assertThat(f.store.findAccount(f.tenant, a).orElseThrow().openedAt()).isEqualTo(startMicros);
    Grant back = f.store.findGrant(f.tenant, g.grant().id()).orElseThrow().grant();
    assertThat(back.effectiveFrom()).isEqualTo(startMicros);
    assertThat(back.expiresAt()).contains(endMicros);
    assertThat(back.createdAt()).isEqualTo(startMicros);
    LedgerTransaction tx = f.store.findTransaction(f.tenant, g.transaction().id()).orElseThrow();
    assertThat(tx.recordedAt()).isEqualTo(startMicros);
    assertThat(tx).isEqualTo(g.transaction());
  }

  // ------------------------------------------------------------------ refusals write nothing

  /** Where a defect is sent. */
  enum Target {
    ACCOUNT,
    KEY,
    ACTOR,
    NAME,
    REASON,
    METADATA_KEY,
    METADATA_VALUE,
    EXPIRY,
    EFFECTIVE_FROM,
    CLOCK
  }

  /** A legal text made illegal: an unpaired surrogate or NUL at {@code at}, or too long. */
  record Defect(Target target, String legal, int at, char inserted, Instant instant) {
    String text(int max) {
      if (inserted == 'x') {
        return legal + "x".repeat(max + 1 - legal.length());
      }
      int i = Math.min(at, legal.length());
      if (i > 0 && Character.isHighSurrogate(legal.charAt(i - 1))) {
        i--; // never split a pair: the defect is the inserted char alone
      }
      return legal.substring(0, i) + inserted + legal.substring(i);
    }
  }

  @Provide
  Arbitrary<Defect> defects() {
    Arbitrary<Instant> outside =
        Arbitraries.oneOf(
            Arbitraries.of(HostileText.OUT_OF_RANGE),
            Arbitraries.longs()
                .between(Instant.MIN.getEpochSecond(), InputContract.EARLIEST.getEpochSecond() - 1)
                .map(Instant::ofEpochSecond),
            Arbitraries.longs()
                .between(InputContract.LATEST.getEpochSecond() + 1, Instant.MAX.getEpochSecond())
                .map(Instant::ofEpochSecond));
    return Combinators.combine(
            Arbitraries.of(Target.class),
            text(30, false).filter(HostileInputProperties::isIdentifier),
            Arbitraries.integers().between(0, 30),
            Arbitraries.of('\uD83D', '\uDE00', '\uDBFF', '\uDC00', '\u0000', 'x'),
            outside)
        .as(Defect::new);
  }

  @Property(tries = TRIES)
  void required_inputOutsideTheContractIsRefusedByNameAndWritesNothing(
      @ForAll("defects") Defect d) {
    TckFixture f = new TckFixture(store());
    AccountId a = f.open("acct");
    f.grant(a, 10);
    StoreState before = f.state(a);
    String field;
    Runnable call;
    switch (d.target()) {
      case ACCOUNT -> {
        field = "account";
        call = () -> f.open(d.text(InputContract.MAX_IDENTIFIER));
      }
      case KEY -> {
        field = "idempotencyKey";
        call = () -> grant(f, a, 1, d.text(InputContract.MAX_IDENTIFIER));
      }
      case ACTOR -> {
        field = "actor";
        call =
            () ->
                f.grant(
                    a, 1, b -> b.actor(Actor.of(d.text(InputContract.MAX_IDENTIFIER), Role.ADMIN)));
      }
      case NAME -> {
        field = "name";
        call = () -> f.grant(a, 1, b -> b.name(d.text(InputContract.MAX_NAME)));
      }
      case REASON -> {
        field = "reason";
        call = () -> f.grant(a, 1, b -> b.reason(d.text(InputContract.MAX_REASON)));
      }
      case METADATA_KEY -> {
        field = "metadata";
        call =
            () ->
                f.grant(a, 1, b -> b.metadata(Map.of(d.text(InputContract.MAX_METADATA_KEY), "v")));
      }
      case METADATA_VALUE -> {
        field = "metadata.k";
        call =
            () ->
                f.grant(
                    a, 1, b -> b.metadata(Map.of("k", d.text(InputContract.MAX_METADATA_VALUE))));
      }
      case EXPIRY -> {
        field = "expiresAt";
        call = () -> f.grant(a, 1, b -> b.expiresAt(d.instant()));
      }
      case EFFECTIVE_FROM -> {
        field = "effectiveFrom";
        call = () -> f.grant(a, 1, b -> b.effectiveFrom(d.instant()));
      }
      case CLOCK -> {
        field = "clock";
        f.clock.set(d.instant());
        call = () -> f.usage(a, 1);
      }
      default -> throw new IllegalStateException(d.target().name());
    }
    assertThatThrownBy(call::run)
        .isInstanceOf(BillingException.class)
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo(field));
    assertThat(f.state(a)).isEqualTo(before);
  }
}
