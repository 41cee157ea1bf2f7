package dev.billingsdk.tck;

import static dev.billingsdk.tck.HostileText.EMOJI;
import static dev.billingsdk.tck.TckFixture.ADMIN;
import static dev.billingsdk.tck.TckFixture.CREDIT;
import static dev.billingsdk.tck.TckFixture.credits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccessPolicy;
import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.BillingException;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.Allocation;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.Reservation;
import dev.billingsdk.credit.ReservationResult;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.metering.Aggregation;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.MeteringSettings;
import dev.billingsdk.metering.PriceBook;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.IngestOutcome;
import dev.billingsdk.spi.MeteringStore;
import dev.billingsdk.spi.StoredUsageEvent;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Hostile input (issue 19): whatever the {@link InputContract} accepts, a store keeps exactly; what
 * it refuses is refused the same way on every store and leaves the store as it was. An adapter
 * extends it and supplies {@link #store()}; the usage rules run when the store is also a {@link
 * MeteringStore}. Every test uses a fresh tenant, so the store may be shared.
 */
public abstract class HostileInputTck {
  /** For an adapter's subclass, which supplies the store under test. */
  protected HostileInputTck() {}

  /** The store under test. May be shared across tests: each test uses a fresh tenant. */
  protected abstract BillingStore store();

  /** The store's metering side, or null if it has none (the usage rules are then skipped). */
  protected @Nullable MeteringStore meteringStore() {
    return store() instanceof MeteringStore m ? m : null;
  }

  /** The store's metering side; the test is skipped (aborted, as an assumption) without one. */
  private MeteringStore metering() {
    MeteringStore m = meteringStore();
    return m != null ? m : Assumptions.abort("the store has no metering side");
  }

  protected TckFixture f;

  @BeforeEach
  void newWorld() {
    f = new TckFixture(store());
  }

  // ------------------------------------------------------------------ helpers

  private AccountId open(String id) {
    return open(f, id);
  }

  private static AccountId open(TckFixture f, String id) {
    AccountId account = AccountId.of(id);
    Account opened =
        f.credits()
            .openAccount(
                OpenAccountRequest.builder(f.tenant, account, CREDIT)
                    .actor(ADMIN)
                    .overdraftPolicy(OverdraftPolicy.partial())
                    .build());
    assertThat(opened.id().value()).as("the opened account's id").isEqualTo(id);
    return account;
  }

  private GrantResult grant(AccountId account, long minor, String key) {
    return f.credits()
        .grant(
            GrantRequest.builder(f.tenant, account, credits(minor))
                .idempotencyKey(IdempotencyKey.of(key))
                .actor(ADMIN)
                .reason("hostile grant")
                .build());
  }

  private long total(AccountId account) {
    return f.credits().balance(f.tenant, account).total().minor();
  }

  private Grant storedGrant(GrantResult g) {
    return f.store.findGrant(f.tenant, g.grant().id()).orElseThrow().grant();
  }

  private LedgerTransaction stored(LedgerTransaction t) {
    return f.store.findTransaction(f.tenant, t.id()).orElseThrow();
  }

  /** Everything the store holds for {@code account} and the tenant's pending events. */
  private record Snapshot(StoreState state, List<?> events) {}

  private Snapshot snapshot(AccountId account) {
    return new Snapshot(f.state(account), f.pendingEventsOnly());
  }

  /** {@code call} is refused as an {@link InvalidRequestException} naming {@code field}. */
  private static void refused(String field, ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOf(BillingException.class)
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo(field));
  }

  private static String describe(String s) {
    return InputContract.shown(s);
  }

  // ------------------------------------------------------------------ text

  @Nested
  @DisplayName("Text: whatever the contract accepts is kept byte for byte")
  class KeptText {
    @Test
    void required_idsThatDifferOnlyInLookalikeWaysAreSeparateAccounts() {
      long amount = 1;
      for (List<String> pair : HostileText.LOOKALIKE_PAIRS) {
        f = new TckFixture(store()); // a tenant per pair: "Acme" is in more than one pair
        AccountId a = open(pair.get(0));
        AccountId b = open(pair.get(1));
        grant(a, amount, "k-a-" + amount);
        grant(b, amount * 1_000, "k-b-" + amount);
        assertThat(total(a)).as("balance of %s", describe(pair.get(0))).isEqualTo(amount);
        assertThat(total(b)).as("balance of %s", describe(pair.get(1))).isEqualTo(amount * 1_000);
        assertThat(f.store.findAccount(f.tenant, a).orElseThrow().id().value())
            .isEqualTo(pair.get(0));
        assertThat(f.store.findAccount(f.tenant, b).orElseThrow().id().value())
            .isEqualTo(pair.get(1));
        assertThat(f.store.grants(f.tenant, a)).hasSize(1);
        assertThat(f.store.grants(f.tenant, b)).hasSize(1);
        amount++;
      }
    }

    @Test
    void required_lookalikeIdempotencyKeysNeverCollide() {
      long amount = 1;
      for (List<String> pair : HostileText.LOOKALIKE_PAIRS) {
        f = new TckFixture(store()); // a tenant per pair: "Acme" is in more than one pair
        AccountId a = open("acct");
        GrantResult first = grant(a, amount, pair.get(0));
        GrantResult second = grant(a, amount + 1_000, pair.get(1));
        assertThat(second.replayed())
            .as("%s is not %s", describe(pair.get(1)), describe(pair.get(0)))
            .isFalse();
        assertThat(second.transaction().id()).isNotEqualTo(first.transaction().id());
        for (int i = 0; i < 2; i++) {
          String key = pair.get(i);
          LedgerTransaction t =
              f.store.findTransaction(f.tenant, IdempotencyKey.of(key)).orElseThrow();
          assertThat(t.idempotencyKey().value()).isEqualTo(key);
          assertThat(t.id()).isEqualTo((i == 0 ? first : second).transaction().id());
        }
        assertThat(grant(a, amount, pair.get(0)).replayed()).as("a replay").isTrue();
        assertThat(f.store.transactions(f.tenant, a)).hasSize(2);
        assertThat(total(a)).isEqualTo(2 * amount + 1_000);
        amount++;
      }
    }

    @Test
    void required_idsKeysAndActorsAtTheLongestAreKeptByteForByte() {
      String longestKey = HostileText.EMOJI.repeat(63) + "k!";
      assertThat(longestKey).hasSize(InputContract.MAX_IDENTIFIER);
      AccountId a = open(HostileText.LONGEST_ID);
      Actor actor = Actor.of(HostileText.FAMILY + HostileText.CAFE_NFD, Role.ADMIN);
      GrantResult g =
          f.credits()
              .grant(
                  GrantRequest.builder(f.tenant, a, credits(5))
                      .idempotencyKey(IdempotencyKey.of(longestKey))
                      .actor(actor)
                      .reason("longest")
                      .build());
      LedgerTransaction t = stored(g.transaction());
      assertThat(t.account().value()).isEqualTo(HostileText.LONGEST_ID);
      assertThat(t.idempotencyKey().value()).isEqualTo(longestKey);
      assertThat(t.actor().id()).isEqualTo(actor.id());
      assertThat(storedGrant(g).createdBy().id()).isEqualTo(actor.id());
      assertThat(storedGrant(g).account().value()).isEqualTo(HostileText.LONGEST_ID);
      assertThat(t).isEqualTo(g.transaction());
    }

    @Test
    void required_reasonsNamesAndMetadataAreKeptByteForByteTrailingSpacesIncluded() {
      AccountId a =
          f.credits()
              .openAccount(
                  OpenAccountRequest.builder(f.tenant, AccountId.of("meta"), CREDIT)
                      .actor(ADMIN)
                      .metadata(HostileText.METADATA)
                      .build())
              .id();
      assertThat(f.store.findAccount(f.tenant, a).orElseThrow().metadata())
          .isEqualTo(HostileText.METADATA);
      int n = 0;
      for (String reason : HostileText.REASONS) {
        String name = HostileText.NAMES.get(n % HostileText.NAMES.size());
        GrantResult g =
            f.credits()
                .grant(
                    GrantRequest.builder(f.tenant, a, credits(1))
                        .idempotencyKey(IdempotencyKey.of("reason-" + n++))
                        .actor(ADMIN)
                        .name(name)
                        .reason(reason)
                        .metadata(HostileText.METADATA)
                        .build());
        Grant grant = storedGrant(g);
        assertThat(grant.name()).as("name %s", describe(name)).isEqualTo(name);
        assertThat(grant.metadata()).isEqualTo(HostileText.METADATA);
        assertThat(stored(g.transaction()).reason())
            .as("reason %s", describe(reason))
            .isEqualTo(reason);
        ChargeResult c =
            f.credits()
                .charge(
                    ChargeRequest.builder(f.tenant, a, Charge.usage("tokens", credits(1)))
                        .idempotencyKey(IdempotencyKey.of("charge-" + n))
                        .actor(ADMIN)
                        .reason(reason)
                        .build());
        assertThat(stored(c.transaction()).reason()).isEqualTo(reason);
      }
      for (String name : HostileText.NAMES) {
        GrantResult g =
            f.credits()
                .grant(
                    GrantRequest.builder(f.tenant, a, credits(1))
                        .idempotencyKey(IdempotencyKey.of("name-" + n++))
                        .actor(ADMIN)
                        .name(name)
                        .reason("names")
                        .build());
        assertThat(storedGrant(g).name()).as("name %s", describe(name)).isEqualTo(name);
      }
    }

    @Test
    void required_referencesAreKeptByteForByte() {
      AccountId a = open("refs");
      grant(a, 10, "g");
      ChargeResult c =
          f.credits()
              .charge(
                  ChargeRequest.builder(f.tenant, a, Charge.usage("tokens", credits(1)))
                      .idempotencyKey(IdempotencyKey.of("c"))
                      .actor(ADMIN)
                      .reason("refs")
                      .references(HostileText.METADATA)
                      .build());
      assertThat(stored(c.transaction()).references()).containsAllEntriesOf(HostileText.METADATA);
      assertThat(stored(c.transaction())).isEqualTo(c.transaction());
    }

    @Test
    void required_lookalikeTenantsAreSeparate() {
      for (List<String> pair : HostileText.LOOKALIKE_PAIRS.subList(0, 6)) {
        String run = "-" + UUID.randomUUID(); // a run per pair: "Acme" is in more than one pair
        TenantId t1 = TenantId.of(pair.get(0) + run);
        TenantId t2 = TenantId.of(pair.get(1) + run);
        AccountId a = AccountId.of("same");
        f.credits().openAccount(OpenAccountRequest.builder(t1, a, CREDIT).actor(ADMIN).build());
        f.credits().openAccount(OpenAccountRequest.builder(t2, a, CREDIT).actor(ADMIN).build());
        f.credits()
            .grant(
                GrantRequest.builder(t1, a, credits(7))
                    .idempotencyKey(IdempotencyKey.of("k"))
                    .actor(ADMIN)
                    .reason("t1")
                    .build());
        assertThat(f.credits().balance(t1, a).total().minor()).isEqualTo(7);
        assertThat(f.credits().balance(t2, a).total().minor())
            .as("tenant %s", describe(pair.get(1)))
            .isZero();
        assertThat(f.store.findTransaction(t2, IdempotencyKey.of("k"))).isEmpty();
      }
    }
  }

  // ------------------------------------------------------------------ usage

  /** A {@code Billing} with metering on the store, on the fixture's clock. */
  private Billing meteringBilling() {
    Assumptions.assumeTrue(meteringStore() != null, "the store has no metering side");
    return Billing.builder()
        .store(store())
        .clock(f.clock)
        .accessPolicy(AccessPolicy.allowAll())
        .metering(
            MeteringSettings.of(
                PriceBook.builder(RoundingMode.HALF_EVEN).build(), Duration.ofHours(1)))
        .build();
  }

  @Nested
  @DisplayName("Usage: event ids, meter keys, dimension values and times are kept exactly")
  class KeptUsage {
    @Test
    void required_lookalikeEventIdsMeterKeysAndDimensionValuesStayApartAndAreKept() {
      Billing billing = meteringBilling();
      AccountId a = open("usage");
      List<UsageEvent> sent = new ArrayList<>();
      java.util.Set<String> used = new java.util.HashSet<>();
      int n = 0;
      for (List<String> pair : HostileText.LOOKALIKE_PAIRS) {
        for (String key : pair) {
          billing
              .metering()
              .defineMeter(
                  Meter.builder(f.tenant, key, Aggregation.SUM).unit(key).dimensions(key).build(),
                  ADMIN);
        }
        for (int i = 0; i < 2; i++) {
          String text = pair.get(i);
          if (!used.add(text)) {
            continue; // "Acme" is in more than one pair; one event is enough
          }
          UsageEvent e =
              UsageEvent.builder(f.tenant, a, text)
                  .id(text)
                  .quantity(BigDecimal.valueOf(++n))
                  .occurredAt(TckFixture.START.minusNanos(n * 1_000L))
                  .dimensions(Map.of(text, pair.get(1 - i)))
                  .build();
          assertThat(billing.metering().ingest(e, ADMIN).duplicate())
              .as("event %s", describe(text))
              .isFalse();
          sent.add(e);
        }
      }
      for (UsageEvent e : sent) {
        assertThat(metering().findUsageEvent(f.tenant, e.id()).orElseThrow().event()).isEqualTo(e);
        Meter m = metering().findMeter(f.tenant, e.meter()).orElseThrow();
        assertThat(m.key()).isEqualTo(e.meter());
        assertThat(m.unit()).isEqualTo(e.meter());
        assertThat(m.dimensions()).containsExactly(e.meter());
      }
    }

    @Test
    void required_usageTimesAtTheContractsEdgesAreKeptExactly() {
      MeteringStore m = metering();
      AccountId a = open("usage-times");
      m.insertMeterIfAbsent(
          Meter.builder(f.tenant, "tokens", Aggregation.SUM).unit("tokens").build());
      List<StoredUsageEvent> sent = new ArrayList<>();
      int n = 0;
      for (Instant at : HostileText.EDGES) {
        UsageEvent e =
            UsageEvent.builder(f.tenant, a, "tokens")
                .id("edge-" + n++)
                .quantity(BigDecimal.ONE)
                .occurredAt(at)
                .build();
        sent.add(StoredUsageEvent.unsequenced(e, "sha256:edge-" + n, at));
      }
      List<IngestOutcome> outcomes = m.ingest(sent);
      assertThat(outcomes).hasSize(sent.size());
      for (StoredUsageEvent s : sent) {
        StoredUsageEvent back = m.findUsageEvent(f.tenant, s.event().id()).orElseThrow();
        assertThat(back.event()).isEqualTo(s.event());
        assertThat(back.event().occurredAt()).isEqualTo(s.event().occurredAt());
        assertThat(back.receivedAt()).isEqualTo(s.receivedAt());
      }
    }
  }

  // ------------------------------------------------------------------ instants

  @Nested
  @DisplayName("Instants: the contract's edges and every microsecond are kept exactly")
  class KeptInstants {
    @Test
    void required_edgeInstantsAreKeptAsEffectiveTimesExpiriesAndRecordingTimes() {
      List<Instant> edges = HostileText.EDGES;
      f.clock.set(edges.get(0));
      AccountId a = open("edges");
      assertThat(f.store.findAccount(f.tenant, a).orElseThrow().openedAt()).isEqualTo(edges.get(0));
      for (int i = 0; i < edges.size(); i++) {
        Instant at = edges.get(i);
        Optional<Instant> expiry =
            i + 1 < edges.size() ? Optional.of(edges.get(i + 1)) : Optional.empty();
        f.clock.set(at);
        GrantResult g =
            f.grant(
                a,
                100,
                b -> {
                  b.effectiveFrom(at);
                  expiry.ifPresent(b::expiresAt);
                });
        Grant back = storedGrant(g);
        assertThat(back.effectiveFrom()).as("effectiveFrom").isEqualTo(at);
        assertThat(back.expiresAt()).as("expiresAt").isEqualTo(expiry);
        assertThat(back.createdAt()).as("createdAt").isEqualTo(at);
        assertThat(stored(g.transaction()).recordedAt()).as("recordedAt").isEqualTo(at);
        assertThat(stored(g.transaction())).isEqualTo(g.transaction());
        ChargeResult c = f.usage(a, 1);
        assertThat(stored(c.transaction()).recordedAt()).isEqualTo(at);
        assertThat(stored(c.transaction()).effectiveAt()).isEqualTo(c.transaction().effectiveAt());
      }
      f.clock.set(InputContract.LATEST.minus(TckFixture.TTL));
      ReservationResult r = f.reserve(a, 1);
      Reservation held = f.reservation(r.reservation().id());
      assertThat(held.expiresAt()).isEqualTo(InputContract.LATEST);
      assertThat(held.createdAt()).isEqualTo(InputContract.LATEST.minus(TckFixture.TTL));
      f.assertConsistent(a);
    }

    @Test
    void required_finerThanAMicrosecondIsDroppedTheSameWayOnEveryStore() {
      Instant now = TckFixture.START.plusNanos(123_456_789);
      f.clock.set(now);
      AccountId a = open("nanos");
      Instant expiry = TckFixture.START.plus(Duration.ofDays(1)).plusNanos(999_999_999);
      GrantResult g = f.grant(a, 10, b -> b.expiresAt(expiry));
      Instant micros = now.truncatedTo(ChronoUnit.MICROS);
      assertThat(micros.getNano()).isEqualTo(123_456_000);
      assertThat(stored(g.transaction()).recordedAt()).isEqualTo(micros);
      assertThat(storedGrant(g).createdAt()).isEqualTo(micros);
      assertThat(storedGrant(g).expiresAt()).contains(expiry.truncatedTo(ChronoUnit.MICROS));
      assertThat(f.store.findAccount(f.tenant, a).orElseThrow().openedAt()).isEqualTo(micros);
    }

    @Test
    void required_grantsOneMicrosecondApartPayInTheSameOrderAsInMemory() {
      List<String> onStore = orderOfPayment(f);
      List<String> inMemory = orderOfPayment(new TckFixture(InMemoryBillingStore.create()));
      assertThat(inMemory).as("the reference order").containsExactly("older", "newer");
      assertThat(onStore).isEqualTo(inMemory);
    }

    /**
     * Two grants alike but for their start, one microsecond apart, the later-starting one created
     * first: the oldest effective pays first, so the store must keep the microsecond.
     */
    private List<String> orderOfPayment(TckFixture w) {
      Instant t = TckFixture.START.plus(Duration.ofMillis(7));
      w.clock.set(t.plusNanos(2_000));
      AccountId a = open(w, "micro-order");
      GrantResult newer = w.grant(a, 5, b -> b.name("newer").effectiveFrom(t.plusNanos(1_000)));
      GrantResult older = w.grant(a, 5, b -> b.name("older").effectiveFrom(t));
      Map<String, String> names = new LinkedHashMap<>();
      names.put(newer.grant().id().value(), "newer");
      names.put(older.grant().id().value(), "older");
      ChargeResult first = w.usage(a, 5);
      ChargeResult second = w.usage(a, 5);
      List<String> order = new ArrayList<>();
      for (ChargeResult c : List.of(first, second)) {
        for (Allocation x : c.allocations()) {
          order.add(names.get(x.grant().value()));
        }
      }
      return order;
    }
  }

  // ------------------------------------------------------------------ refusals

  @Nested
  @DisplayName("Refusals: what the contract refuses is refused by name and writes nothing")
  class Refusals {
    @Test
    void required_malformedTextIsRefusedNamingTheFieldAndWritesNothing() {
      AccountId a = open("acct");
      grant(a, 100, "first");
      Snapshot before = snapshot(a);
      for (String bad : HostileText.MALFORMED) {
        refusedEverywhere(a, bad, bad, bad, bad, bad);
        assertThat(snapshot(a)).as("after %s", describe(bad)).isEqualTo(before);
      }
    }

    @Test
    void required_overLongTextIsRefusedNamingTheFieldAndWritesNothing() {
      AccountId a = open("acct");
      grant(a, 100, "first");
      Snapshot before = snapshot(a);
      String id = EMOJI.repeat(64) + "x";
      refusedEverywhere(
          a,
          id,
          EMOJI.repeat(InputContract.MAX_NAME / 2) + "x",
          EMOJI.repeat(InputContract.MAX_REASON / 2) + "x",
          "k".repeat(InputContract.MAX_METADATA_KEY + 1),
          EMOJI.repeat(InputContract.MAX_METADATA_VALUE / 2) + "x");
      assertThat(snapshot(a)).isEqualTo(before);
      refused("account", () -> open("x".repeat(InputContract.MAX_IDENTIFIER + 1)));
      refused("account", () -> open(" padded"));
      refused("account", () -> open("padded "));
      refused("account", () -> open("tab\there"));
      assertThat(snapshot(a)).isEqualTo(before);
    }

    /** Each bad value in each place it can go is refused by name. */
    private void refusedEverywhere(
        AccountId a, String id, String name, String reason, String metaKey, String metaValue) {
      refused("account", () -> open(id));
      refused("idempotencyKey", () -> grant(a, 1, id));
      refused(
          "actor",
          () ->
              f.credits()
                  .grant(
                      GrantRequest.builder(f.tenant, a, credits(1))
                          .idempotencyKey(IdempotencyKey.of("k-actor"))
                          .actor(Actor.of(id, Role.ADMIN))
                          .reason("r")
                          .build()));
      refused("name", () -> f.grant(a, 1, b -> b.name(name)));
      refused("reason", () -> f.grant(a, 1, b -> b.reason(reason)));
      refused("reason", () -> f.credits().charge(chargeWith(a, reason, Map.of())));
      refused("metadata", () -> f.grant(a, 1, b -> b.metadata(Map.of(metaKey, "v"))));
      refused("metadata.k", () -> f.grant(a, 1, b -> b.metadata(Map.of("k", metaValue))));
      refused("references.k", () -> f.credits().charge(chargeWith(a, "r", Map.of("k", metaValue))));
      refused(
          "metadata",
          () ->
              f.credits()
                  .openAccount(
                      OpenAccountRequest.builder(f.tenant, AccountId.of("m"), CREDIT)
                          .actor(ADMIN)
                          .metadata(Map.of(metaKey, "v"))
                          .build()));
    }

    private ChargeRequest chargeWith(AccountId a, String reason, Map<String, String> refs) {
      return ChargeRequest.builder(f.tenant, a, Charge.of(ChargeKind.USAGE, "tokens", credits(1)))
          .idempotencyKey(f.nextKey())
          .actor(ADMIN)
          .reason(reason)
          .references(refs)
          .build();
    }

    @Test
    void required_instantsOutsideTheContractAreRefusedNamingTheFieldAndWriteNothing() {
      AccountId a = open("acct");
      grant(a, 100, "first");
      Snapshot before = snapshot(a);
      for (Instant bad : HostileText.OUT_OF_RANGE) {
        refused("expiresAt", () -> f.grant(a, 1, b -> b.expiresAt(bad)));
        refused("effectiveFrom", () -> f.grant(a, 1, b -> b.effectiveFrom(bad)));
        assertThat(snapshot(a)).as("after %s", bad).isEqualTo(before);
      }
    }

    @Test
    void required_aClockOutsideTheContractIsRefusedAndWritesNothing() {
      AccountId a = open("acct");
      grant(a, 100, "first");
      Snapshot before = snapshot(a);
      for (Instant bad : HostileText.OUT_OF_RANGE) {
        f.clock.set(bad);
        refusedAtTheClock(f.billing, a);
        Billing fixed =
            Billing.builder()
                .store(store())
                .clock(Clock.fixed(bad, ZoneOffset.UTC))
                .accessPolicy(AccessPolicy.allowAll())
                .build();
        refusedAtTheClock(fixed, a);
        assertThat(snapshot(a)).as("with the clock at %s", bad).isEqualTo(before);
      }
      f.clock.set(TckFixture.START);
      assertThat(f.usage(a, 1).charged().minor()).as("the clock back in range").isEqualTo(1);
    }

    private void refusedAtTheClock(Billing billing, AccountId a) {
      List<Supplier<?>> calls =
          List.of(
              () ->
                  billing
                      .credits()
                      .openAccount(
                          OpenAccountRequest.builder(f.tenant, AccountId.of("c"), CREDIT)
                              .actor(ADMIN)
                              .build()),
              () ->
                  billing
                      .credits()
                      .grant(
                          GrantRequest.builder(f.tenant, a, credits(1))
                              .idempotencyKey(f.nextKey())
                              .actor(ADMIN)
                              .reason("clock")
                              .build()),
              () -> billing.credits().charge(f.chargeRequest(a, ChargeKind.USAGE, "tokens", 1)),
              () -> billing.reservations().reserve(f.reserveRequest(a, 1, TckFixture.TTL)));
      for (Supplier<?> call : calls) {
        refused("clock", call::get);
      }
    }

    @Test
    void required_malformedUsageIsRefusedByNameAndStoresNothing() {
      Billing billing = meteringBilling();
      AccountId a = open("usage");
      billing
          .metering()
          .defineMeter(
              Meter.builder(f.tenant, "tokens", Aggregation.SUM)
                  .unit("tokens")
                  .dimensions("model")
                  .build(),
              ADMIN);
      Instant at = TckFixture.START;
      for (String bad : HostileText.MALFORMED) {
        refused("id", () -> event(bad, "tokens", at, Map.of()));
        refused("meter", () -> event("e", bad, at, Map.of()));
        refused("dimensions.model", () -> event("e", "tokens", at, Map.of("model", bad)));
      }
      refused("dimensions.model", () -> event("e", "tokens", at, Map.of("model", "a ")));
      refused("dimensions.model", () -> event("e", "tokens", at, Map.of("model", " a")));
      for (Instant bad : HostileText.OUT_OF_RANGE) {
        refused("occurredAt", () -> event("e", "tokens", bad, Map.of()));
      }
      assertThat(metering().findUsageEvent(f.tenant, "e")).isEmpty();
      UsageEvent ok = event("e", "tokens", at, Map.of("model", "a"));
      assertThat(billing.metering().ingest(ok, ADMIN).duplicate()).isFalse();
      assertThat(metering().findUsageEvent(f.tenant, "e").orElseThrow().event()).isEqualTo(ok);
    }

    private UsageEvent event(String id, String meter, Instant at, Map<String, String> dims) {
      return UsageEvent.builder(f.tenant, AccountId.of("usage"), meter)
          .id(id)
          .quantity(BigDecimal.ONE)
          .occurredAt(at)
          .dimensions(dims)
          .build();
    }
  }
}
