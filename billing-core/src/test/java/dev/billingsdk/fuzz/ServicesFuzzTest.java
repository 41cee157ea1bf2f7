package dev.billingsdk.fuzz;

import static dev.billingsdk.fuzz.Hostile.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.BillingException;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdGenerator;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.DeductRequest;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.InvoiceCreditRequest;
import dev.billingsdk.credit.InvoiceLine;
import dev.billingsdk.credit.LowBalanceAlert;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.ReleaseRequest;
import dev.billingsdk.credit.ReservationId;
import dev.billingsdk.credit.ReserveRequest;
import dev.billingsdk.credit.ReverseRequest;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.credit.SettleRequest;
import dev.billingsdk.credit.VoidGrantRequest;
import dev.billingsdk.ledger.TransactionFilter;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.metering.Aggregation;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.MeterPrice;
import dev.billingsdk.metering.MeteringSettings;
import dev.billingsdk.metering.PriceBook;
import dev.billingsdk.metering.PriceModel;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.metering.UsageSummaryQuery;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.Price;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.testing.TestClock;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The service methods reached from {@link Billing} (credits, ledger, reservations, sweeps, invoice
 * credits, metering, deductions) on an {@link InMemoryBillingStore} holding an account with a
 * grant, a reservation, a meter and usage, called with hostile arguments: (a) only a {@link
 * BillingException} escapes; (b) a refused call leaves everything a host can read exactly as it was
 * (accounts, balances, grants, ledger, reservations, meters, usage summaries and the outbox).
 */
@SuppressWarnings("unchecked")
class ServicesFuzzTest {
  static final int TRIES = 3_000;
  static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");
  static final Actor ADMIN = Actor.of("alice", Role.ADMIN);

  /** The world of the current try (jqwik runs the tries of a property one after the other). */
  static World w;

  static final class World {
    final TestClock clock = new TestClock(NOW);
    final InMemoryBillingStore store = InMemoryBillingStore.create();
    final Billing billing;
    final GrantId grant;
    final TransactionId grantTx;
    final TransactionId chargeTx;
    final ReservationId reservation;

    /**
     * Whether a call ran at a clock past the seed reservation's expiry: the services then expire it
     * on the way (a legitimate write even when the call itself is refused), so (b) compares only
     * calls that ran before anything fell due.
     */
    boolean expiryDue;

    World() {
      PriceBook prices =
          PriceBook.builder(RoundingMode.HALF_UP)
              .meter(
                  "tokens", MeterPrice.of(CREDIT, new PriceModel.PerUnit(new BigDecimal("0.01"))))
              .build();
      billing =
          Billing.builder()
              .store(store)
              .clock(clock)
              .ids(IdGenerator.sequential())
              .metering(MeteringSettings.of(prices, Duration.ofHours(1)))
              .build();
      billing
          .credits()
          .openAccount(OpenAccountRequest.builder(ACME, ADA, CREDIT).actor(ADMIN).build());
      var g =
          billing
              .credits()
              .grant(
                  GrantRequest.builder(ACME, ADA, Amount.ofMinor(CREDIT, 10_000))
                      .expiresAt(NOW.plus(Duration.ofDays(30)))
                      .idempotencyKey(IdempotencyKey.of("seed-grant"))
                      .actor(ADMIN)
                      .reason("welcome")
                      .build());
      grant = g.grant().id();
      grantTx = g.transaction().id();
      chargeTx =
          billing
              .credits()
              .charge(
                  ChargeRequest.builder(
                          ACME, ADA, Charge.usage("tokens", Amount.ofMinor(CREDIT, 500)))
                      .idempotencyKey(IdempotencyKey.of("seed-charge"))
                      .actor(ADMIN)
                      .reason("usage")
                      .build())
              .transaction()
              .id();
      reservation =
          billing
              .reservations()
              .reserve(
                  ReserveRequest.builder(
                          ACME, ADA, Charge.usage("tokens", Amount.ofMinor(CREDIT, 100)))
                      .timeToLive(Duration.ofHours(1))
                      .idempotencyKey(IdempotencyKey.of("seed-hold"))
                      .actor(ADMIN)
                      .reason("hold")
                      .build())
              .reservation()
              .id();
      billing
          .metering()
          .defineMeter(
              Meter.builder(ACME, "tokens", Aggregation.SUM)
                  .unit("tokens")
                  .dimensions("model")
                  .build(),
              ADMIN);
      billing
          .metering()
          .ingest(
              UsageEvent.builder(ACME, ADA, "tokens")
                  .id("e-1")
                  .quantity(BigDecimal.TEN)
                  .occurredAt(NOW.minusSeconds(60))
                  .dimensions(Map.of("model", "gpt"))
                  .build(),
              ADMIN);
    }

    /** Everything a host can read back, as text; the outbox is read from the store's SPI. */
    List<String> observable() {
      List<String> seen = new ArrayList<>();
      for (TenantId t : List.of(ACME, TenantId.of("other"))) {
        for (AccountId a : List.of(ADA, AccountId.of("bob"), AccountId.of("nobody"))) {
          seen.add(read(() -> billing.credits().findAccount(t, a)));
          seen.add(read(() -> billing.credits().balance(t, a)));
          seen.add(read(() -> billing.credits().grants(t, a)));
          seen.add(read(() -> billing.ledger().transactions(t, a)));
          seen.add(read(() -> billing.reservations().active(t, a)));
        }
        seen.add(read(() -> billing.metering().meters(t)));
        seen.add(read(() -> billing.metering().monthlySummaries(UsageSummaryQuery.of(t))));
      }
      seen.add(read(() -> store.pendingEvents(10_000)));
      return seen;
    }

    static String read(Supplier<Object> read) {
      try {
        return String.valueOf(read.get());
      } catch (BillingException e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
      }
    }
  }

  @Property(tries = TRIES)
  void service_calls_refuse_only_with_billing_exceptions(@ForAll("calls") Call call) {
    w = new World();
    call.refusalOrNull();
  }

  @Property(tries = TRIES)
  void a_refused_service_call_leaves_the_store_as_it_was(@ForAll("calls") Call call) {
    w = new World();
    List<String> before = w.observable();
    BillingException refused = call.refusalOrNull();
    w.clock.set(NOW); // some calls run at a hostile clock: read back at the same instant
    if (refused != null && !w.expiryDue) {
      assertThat(w.observable())
          .as("after %s was refused with %s", call, refused.getMessage())
          .containsExactlyElementsOf(before);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The table
  // ---------------------------------------------------------------------------------------------

  static Arbitrary<String> reason() {
    return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just("because")), Tuple.of(1, text()));
  }

  static Arbitrary<Actor> who() {
    return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(ADMIN)), Tuple.of(1, actor()));
  }

  static Arbitrary<TenantId> ten() {
    return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(ACME)), Tuple.of(1, tenant()));
  }

  static Arbitrary<AccountId> acct() {
    return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(ADA)), Tuple.of(1, account()));
  }

  static Arbitrary<Amount> credits() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.longs().between(1, 20_000).map(m -> Amount.ofMinor(CREDIT, m))),
        Tuple.of(2, amount()));
  }

  static Arbitrary<Charge> charge() {
    return orNull(
        net.jqwik.api.Combinators.combine(
                Arbitraries.of(ChargeKind.class),
                Arbitraries.of("tokens", "seat"),
                credits().filter(a -> a != null && a.isPositive()))
            .as(Charge::of));
  }

  /** Which seeded id (or a stranger) a call names. */
  static Arbitrary<Integer> which() {
    return Arbitraries.integers().between(0, 2);
  }

  static TransactionId tx(int which) {
    return switch (which) {
      case 0 -> w.grantTx;
      case 1 -> w.chargeTx;
      default -> TransactionId.of("missing");
    };
  }

  static ReservationId res(int which) {
    return which < 2 ? w.reservation : ReservationId.of("missing");
  }

  static GrantId grant(int which) {
    return which < 2 ? w.grant : GrantId.of("missing");
  }

  static Instant at(Object hostile) {
    Instant i = (Instant) hostile;
    if (i != null) {
      w.clock.set(i);
      w.expiryDue |= i.isAfter(NOW.plus(Duration.ofHours(1)));
    }
    return i;
  }

  @Provide
  Arbitrary<Call> calls() {
    List<Arbitrary<Call>> t = new ArrayList<>();
    // credits
    t.add(
        Call.of(
            "credits().openAccount",
            a ->
                w.billing
                    .credits()
                    .openAccount(
                        a[0] == null
                            ? null
                            : OpenAccountRequest.builder(
                                    (TenantId) a[1],
                                    (AccountId) a[2],
                                    (dev.billingsdk.money.Unit) a[3])
                                .actor((Actor) a[4])
                                .overdraftPolicy((OverdraftPolicy) a[5])
                                .build()),
            Arbitraries.of(true, true, true, false).map(b -> b ? Boolean.TRUE : null),
            ten(),
            acct(),
            unit(),
            who(),
            oneOf(
                OverdraftPolicy.reject(),
                OverdraftPolicy.partial(),
                OverdraftPolicy.allowDownTo(Amount.ofMinor(CREDIT, Long.MAX_VALUE)))));
    t.add(
        Call.of(
            "credits().findAccount",
            a -> w.billing.credits().findAccount((TenantId) a[0], (AccountId) a[1]),
            tenant(),
            account()));
    t.add(
        Call.of(
            "credits().grant",
            a ->
                w.billing
                    .credits()
                    .grant(
                        a[0] == null
                            ? null
                            : GrantRequest.builder((TenantId) a[1], (AccountId) a[2], (Amount) a[3])
                                .priority((Integer) a[4])
                                .effectiveFrom((Instant) a[5])
                                .expiresAt((Instant) a[6])
                                .idempotencyKey((IdempotencyKey) a[7])
                                .actor((Actor) a[8])
                                .reason((String) a[9])
                                .scope(Scope.meters("tokens"))
                                .build()),
            Arbitraries.of(true, true, true, false).map(b -> b ? Boolean.TRUE : null),
            ten(),
            acct(),
            credits(),
            Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(50)), Tuple.of(1, ints())),
            instant(),
            instant(),
            key(),
            who(),
            reason()));
    t.add(
        Call.of(
            "credits().charge",
            a -> {
              at(a[6]);
              return w.billing
                  .credits()
                  .charge(
                      ChargeRequest.builder((TenantId) a[0], (AccountId) a[1], (Charge) a[2])
                          .idempotencyKey((IdempotencyKey) a[3])
                          .actor((Actor) a[4])
                          .reason((String) a[5])
                          .build());
            },
            ten(),
            acct(),
            charge(),
            key(),
            who(),
            reason(),
            instant()));
    t.add(
        Call.of(
            "credits().chargeAll",
            a -> {
              List<ChargeRequest> list = null;
              if (a[0] != null) {
                list = new ArrayList<>();
                for (Object c : (List<Object>) a[0]) {
                  list.add(
                      c == null
                          ? null
                          : ChargeRequest.builder(ACME, (AccountId) a[1], (Charge) c)
                              .idempotencyKey((IdempotencyKey) a[2])
                              .actor(ADMIN)
                              .reason("r")
                              .build());
                }
              }
              return w.billing.credits().chargeAll(list);
            },
            list(charge()),
            acct(),
            key()));
    t.add(
        Call.of(
            "credits().quote",
            a -> w.billing.credits().quote((TenantId) a[0], (AccountId) a[1], (Charge) a[2]),
            ten(),
            acct(),
            charge()));
    t.add(
        Call.of(
            "credits().deduct",
            a ->
                w.billing
                    .credits()
                    .deduct(
                        DeductRequest.builder(
                                (TenantId) a[0],
                                (AccountId) a[1],
                                (GrantCategory) a[2],
                                (Amount) a[3])
                            .idempotencyKey((IdempotencyKey) a[4])
                            .actor((Actor) a[5])
                            .reason((String) a[6])
                            .build()),
            ten(),
            acct(),
            Arbitraries.of(
                    GrantCategory.PROMOTIONAL, GrantCategory.PURCHASED, GrantCategory.of("NONE"))
                .injectNull(0.1),
            credits(),
            key(),
            who(),
            reason()));
    t.add(
        Call.of(
            "credits().voidGrant",
            a ->
                w.billing
                    .credits()
                    .voidGrant(
                        VoidGrantRequest.builder(
                                (TenantId) a[0], (AccountId) a[1], grant((Integer) a[2]))
                            .idempotencyKey((IdempotencyKey) a[3])
                            .actor((Actor) a[4])
                            .reason((String) a[5])
                            .build()),
            ten(),
            acct(),
            which(),
            key(),
            who(),
            reason()));
    t.add(
        Call.of(
            "credits().reverse",
            a ->
                w.billing
                    .credits()
                    .reverse(
                        reverseRequest(a[0], a[1], tx((Integer) a[2]), a[3], a[4], a[5], a[6])),
            ten(),
            acct(),
            which(),
            optional(credits()),
            key(),
            who(),
            reason()));
    t.add(
        Call.of(
            "credits().configureLowBalanceAlert",
            a -> {
              w.billing
                  .credits()
                  .configureLowBalanceAlert(
                      (TenantId) a[0],
                      (AccountId) a[1],
                      a[2] == null ? null : ((Optional<Amount>) a[2]).map(LowBalanceAlert::below),
                      (Actor) a[3]);
              return null;
            },
            ten(),
            acct(),
            optional(credits().filter(x -> x != null && !x.isNegative())),
            who()));
    t.add(
        Call.of(
            "credits().balance/grants",
            a ->
                List.of(
                    w.billing.credits().balance((TenantId) a[0], (AccountId) a[1]),
                    w.billing.credits().grants((TenantId) a[0], (AccountId) a[1])),
            tenant(),
            account()));
    // ledger
    t.add(
        Call.of(
            "ledger().transactions/find",
            a ->
                List.of(
                    w.billing.ledger().transactions((TenantId) a[0], (AccountId) a[1]),
                    w.billing.ledger().find((TenantId) a[0], (IdempotencyKey) a[2]),
                    w.billing
                        .ledger()
                        .find((TenantId) a[0], a[3] == null ? null : tx((Integer) a[3]))),
            tenant(),
            account(),
            key(),
            orNull(which())));
    t.add(
        Call.of(
            "ledger().history",
            a ->
                w.billing
                    .ledger()
                    .history(
                        (TenantId) a[0],
                        (AccountId) a[1],
                        (TransactionFilter) a[2],
                        (Optional<String>) a[3],
                        (Integer) a[4]),
            ten(),
            acct(),
            oneOf(
                TransactionFilter.all(),
                TransactionFilter.all().types(TransactionType.GRANT),
                TransactionFilter.all()
                    .between(
                        Instant.parse("0001-01-01T00:00:00Z"),
                        Instant.parse("9999-01-01T00:00:00Z"))),
            optional(
                Arbitraries.oneOf(text(), Arbitraries.of("0", "1", "-1", "99999999999999999999"))),
            ints()));
    // reservations
    t.add(
        Call.of(
            "reservations().reserve",
            a -> {
              at(a[7]);
              return w.billing
                  .reservations()
                  .reserve(
                      ReserveRequest.builder((TenantId) a[0], (AccountId) a[1], (Charge) a[2])
                          .timeToLive((Duration) a[3])
                          .idempotencyKey((IdempotencyKey) a[4])
                          .actor((Actor) a[5])
                          .reason((String) a[6])
                          .build());
            },
            ten(),
            acct(),
            charge(),
            duration(),
            key(),
            who(),
            reason(),
            instant()));
    t.add(
        Call.of(
            "reservations().settle",
            a ->
                w.billing
                    .reservations()
                    .settle(
                        SettleRequest.builder((TenantId) a[0], res((Integer) a[1]), (Amount) a[2])
                            .idempotencyKey((IdempotencyKey) a[3])
                            .actor((Actor) a[4])
                            .reason((String) a[5])
                            .build()),
            ten(),
            which(),
            credits(),
            key(),
            who(),
            reason()));
    t.add(
        Call.of(
            "reservations().release",
            a ->
                w.billing
                    .reservations()
                    .release(
                        ReleaseRequest.builder((TenantId) a[0], res((Integer) a[1]))
                            .idempotencyKey((IdempotencyKey) a[2])
                            .actor((Actor) a[3])
                            .reason((String) a[4])
                            .build()),
            ten(),
            which(),
            key(),
            who(),
            reason()));
    t.add(
        Call.of(
            "reservations().find/active",
            a ->
                List.of(
                    Optional.ofNullable(
                        w.billing
                            .reservations()
                            .find((TenantId) a[0], a[1] == null ? null : res((Integer) a[1]))),
                    w.billing.reservations().active((TenantId) a[0], (AccountId) a[2])),
            tenant(),
            orNull(which()),
            account()));
    // sweeps
    t.add(
        Call.of(
            "sweeps().expireGrants/expireReservations",
            a -> {
              at(a[3]);
              return List.of(
                  w.billing.sweeps().expireGrants((TenantId) a[0], (Actor) a[1], (Boolean) a[2]),
                  w.billing
                      .sweeps()
                      .expireReservations((TenantId) a[0], (Actor) a[1], (Boolean) a[2]));
            },
            ten(),
            who(),
            Arbitraries.of(true, false),
            instant()));
    // invoice credits
    t.add(
        Call.of(
            "invoiceCredits().apply/preview",
            a -> {
              InvoiceCreditRequest r =
                  a[0] == null
                      ? null
                      : InvoiceCreditRequest.builder((TenantId) a[1], (AccountId) a[2], "inv-1")
                          .lines(
                              List.of(
                                  InvoiceLine.usage("l1", "tokens", (Amount) a[3]),
                                  InvoiceLine.fixedFee("l2", "seat", (Amount) a[4])))
                          .idempotencyKey((IdempotencyKey) a[5])
                          .actor((Actor) a[6])
                          .reason("invoice")
                          .build();
              return (Boolean) a[7]
                  ? w.billing.invoiceCredits().apply(r)
                  : w.billing.invoiceCredits().preview(r);
            },
            Arbitraries.of(true, true, true, false).map(b -> b ? Boolean.TRUE : null),
            ten(),
            acct(),
            credits(),
            credits(),
            key(),
            who(),
            Arbitraries.of(true, false)));
    // metering
    t.add(
        Call.of(
            "metering().defineMeter",
            a ->
                w.billing
                    .metering()
                    .defineMeter(
                        a[0] == null
                            ? null
                            : Meter.builder((TenantId) a[1], (String) a[2], (Aggregation) a[3])
                                .unit("tokens")
                                .dimensions("model")
                                .build(),
                        (Actor) a[4]),
            Arbitraries.of(true, true, true, false).map(b -> b ? Boolean.TRUE : null),
            ten(),
            Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of("tokens", "images")), Tuple.of(1, text())),
            oneOf(Aggregation.SUM, Aggregation.MAX, Aggregation.COUNT),
            who()));
    t.add(
        Call.of(
            "metering().findMeter/meters",
            a ->
                List.of(
                    w.billing.metering().findMeter((TenantId) a[0], (String) a[1]),
                    w.billing.metering().meters((TenantId) a[0])),
            tenant(),
            text()));
    Arbitrary<UsageEvent> event =
        orNull(
            net.jqwik.api.Combinators.combine(
                    Arbitraries.of("e-1", "e-2", "e-3"),
                    ten(),
                    acct(),
                    Arbitraries.of("tokens", "images"),
                    Arbitraries.of(
                        BigDecimal.ONE,
                        new BigDecimal("999999999999999999.999999999999"),
                        BigDecimal.ZERO),
                    instant()
                        .filter(
                            i ->
                                i != null
                                    && !i.isBefore(Instant.parse("0001-01-01T00:00:00Z"))
                                    && !i.isAfter(Instant.parse("9999-12-31T00:00:00Z"))),
                    Arbitraries.<Map<String, String>>of(
                        Map.of("model", "gpt"), Map.of(), Map.of("region", "eu")))
                .as(
                    (id, tenant, account, meter, quantity, at, dims) -> {
                      try {
                        return UsageEvent.builder(tenant, account, meter)
                            .id(id)
                            .quantity(quantity)
                            .occurredAt(at)
                            .dimensions(dims)
                            .build();
                      } catch (BillingException refusedValue) {
                        return null;
                      }
                    }));
    t.add(
        Call.of(
            "metering().ingest",
            a -> {
              at(a[3]);
              return (Boolean) a[2]
                  ? w.billing.metering().ingest((UsageEvent) a[0], (Actor) a[1])
                  : w.billing
                      .metering()
                      .ingest(
                          a[0] == null
                              ? null
                              : java.util.Arrays.asList((UsageEvent) a[0], (UsageEvent) a[0]),
                          (Actor) a[1]);
            },
            event,
            who(),
            Arbitraries.of(true, false),
            instant()));
    t.add(
        Call.of(
            "metering().monthlySummaries",
            a ->
                a[1] == null
                    ? w.billing.metering().monthlySummaries((UsageSummaryQuery) a[0])
                    : w.billing
                        .metering()
                        .monthlySummaries(
                            (UsageSummaryQuery) a[0], (Price) a[1], (RoundingMode) a[2]),
            orNull(
                Arbitraries.of(
                    UsageSummaryQuery.of(ACME), UsageSummaryQuery.of(ACME).month(2024, 6))),
            orNull(
                Arbitraries.of(
                    Price.of(Amount.of(USD, "1.00"), Amount.ofMinor(CREDIT, 100)),
                    Price.of(Amount.ofMinor(JPY, Long.MAX_VALUE), Amount.ofMinor(CREDIT, 1)))),
            enumOf(RoundingMode.class)));
    t.add(
        Call.of(
            "metering().estimate/price",
            a ->
                (Boolean) a[5]
                    ? w.billing
                        .metering()
                        .estimate(
                            (TenantId) a[0],
                            (AccountId) a[1],
                            (String) a[2],
                            (BigDecimal) a[3],
                            (Map<String, String>) a[4])
                    : w.billing
                        .metering()
                        .price(
                            (TenantId) a[0],
                            (AccountId) a[1],
                            (String) a[2],
                            (BigDecimal) a[3],
                            (Map<String, String>) a[4]),
            ten(),
            acct(),
            Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just("tokens")), Tuple.of(1, text())),
            decimal(),
            map(),
            Arbitraries.of(true, false)));
    // deductions
    t.add(
        Call.of(
            "deductions().run/dryRun",
            a -> {
              at(a[0]);
              return (Boolean) a[1]
                  ? w.billing.deductions().run()
                  : w.billing.deductions().dryRun();
            },
            instant(),
            Arbitraries.of(true, false)));
    return Arbitraries.oneOf(t);
  }

  /** A reverse request from fuzzed arguments: an empty amount reverses all, null is passed on. */
  @SuppressWarnings("unchecked")
  private static ReverseRequest reverseRequest(
      Object tenant,
      Object account,
      TransactionId original,
      Object amount,
      Object key,
      Object actor,
      Object reason) {
    ReverseRequest.Builder b =
        ReverseRequest.builder((TenantId) tenant, (AccountId) account, original);
    Optional<Amount> a = (Optional<Amount>) amount;
    if (a == null) {
      b.amount(null);
    } else {
      a.ifPresent(b::amount);
    }
    return b.idempotencyKey((IdempotencyKey) key)
        .actor((Actor) actor)
        .reason((String) reason)
        .build();
  }
}
