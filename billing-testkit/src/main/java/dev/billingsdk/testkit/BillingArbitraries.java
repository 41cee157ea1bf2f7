package dev.billingsdk.testkit;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.CostBasis;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.ItemRef;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Price;
import dev.billingsdk.money.Unit;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators of valid inputs for the billing library: units, amounts, overdraft policies,
 * scopes, grants, charges and usage events. Every request they make is one the library accepts on
 * an account open in the same unit (a charge may still be refused for want of credit: that is the
 * library's answer, not a bad request).
 *
 * <pre>{@code
 * @Property
 * void myCreditMath(@ForAll("grants") List<GrantRequest> grants) { ... }
 *
 * @Provide
 * Arbitrary<List<GrantRequest>> grants() {
 *   return BillingArbitraries.grants(TENANT, ACCOUNT, CREDIT).list().ofMaxSize(10);
 * }
 * }</pre>
 *
 * <p>The bounds are small on purpose, so a few grants and charges interact (a charge spans several
 * grants, an account runs dry, an overdraft fills up): amounts are 1 to 5,000 minor units, half of
 * them at most 100; charges 1 to 5,000, half at most 300; overdraft limits 1 to 5,000. Sums of a
 * few thousand generated amounts stay far below a {@code long}.
 *
 * <p>Requests carry a fresh idempotency key each ({@code testkit-<uuid>}), so a list of them never
 * repeats a key, and {@link #ACTOR} (an ADMIN, allowed everything by the default access policy).
 * The item codes charges use and scopes name are fixed: usage charges meter {@code m1}, {@code m2}
 * or {@code m3} ({@link #METERS}); other kinds use their name in lower case ({@code fixed_fee},
 * {@code licence}, {@code add_on}).
 */
public final class BillingArbitraries {
  private BillingArbitraries() {}

  /** Who the generated requests are sent by: {@code testkit} with the ADMIN role. */
  public static final Actor ACTOR = Actor.of("testkit", Role.ADMIN);

  /** The meters usage charges and usage events name. */
  public static final List<String> METERS = List.of("m1", "m2", "m3");

  /** The credit unit the examples use: {@code CREDIT} with 2 decimal places. */
  public static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 2);

  private static final long MAX_AMOUNT = 5_000;

  // ------------------------------------------------------------------ units and amounts

  /**
   * Units of account: credit units of scale 0, 2 and 4 ({@code CREDIT}, {@code TOKEN}), and the
   * currencies USD, EUR (2 decimals) and JPY (none).
   */
  public static Arbitrary<Unit> units() {
    return Arbitraries.of(
        CREDIT,
        CreditUnit.of("TOKEN", 0),
        CreditUnit.of("CREDIT", 4),
        CurrencyUnit.of("USD"),
        CurrencyUnit.of("EUR"),
        CurrencyUnit.of("JPY"));
  }

  /** Positive amounts in {@code unit}: 1 to 5,000 minor units, half of them at most 100. */
  public static Arbitrary<Amount> amounts(Unit unit) {
    return amounts(unit, MAX_AMOUNT);
  }

  /**
   * Positive amounts in {@code unit}: 1 to {@code maxMinor} minor units, half of them at most 100
   * (or {@code maxMinor}, if smaller).
   *
   * @throws IllegalArgumentException if {@code maxMinor} is not positive
   */
  public static Arbitrary<Amount> amounts(Unit unit, long maxMinor) {
    return smallOrLarge(unit, 100, maxMinor);
  }

  /** 1 to {@code large} minor units, half of them at most {@code small}. */
  private static Arbitrary<Amount> smallOrLarge(Unit unit, long small, long large) {
    Objects.requireNonNull(unit, "unit");
    if (large < 1) {
      throw new IllegalArgumentException("the largest amount must be positive: " + large);
    }
    return Arbitraries.oneOf(
            Arbitraries.longs().between(1, Math.min(small, large)),
            Arbitraries.longs().between(1, large))
        .map(minor -> Amount.ofMinor(unit, minor));
  }

  // ------------------------------------------------------------------ accounts

  /**
   * Every kind of overdraft policy: reject, partial, and a limit of 1 to 5,000 minor units of
   * {@code unit}.
   */
  public static Arbitrary<OverdraftPolicy> overdraftPolicies(Unit unit) {
    return overdraftPolicies(unit, MAX_AMOUNT);
  }

  /** Reject, partial, and a limit of 1 to {@code maxLimitMinor} minor units of {@code unit}. */
  public static Arbitrary<OverdraftPolicy> overdraftPolicies(Unit unit, long maxLimitMinor) {
    Objects.requireNonNull(unit, "unit");
    if (maxLimitMinor < 1) {
      throw new IllegalArgumentException("the largest limit must be positive: " + maxLimitMinor);
    }
    return Arbitraries.oneOf(
        Arbitraries.just(OverdraftPolicy.reject()),
        Arbitraries.just(OverdraftPolicy.partial()),
        Arbitraries.longs()
            .between(1, maxLimitMinor)
            .map(l -> OverdraftPolicy.allowDownTo(Amount.ofMinor(unit, l))));
  }

  // ------------------------------------------------------------------ grants

  /** Priorities 1 to 100, often the edges and the default (1, 2, 50, 100). */
  public static Arbitrary<Integer> priorities() {
    return Arbitraries.oneOf(
        Arbitraries.of(1, 2, GrantRequest.DEFAULT_PRIORITY, 100),
        Arbitraries.integers().between(1, 100));
  }

  /**
   * Every built-in category a grant may have without a paid cost basis (all but {@link
   * GrantCategory#PURCHASED}, which {@link #grantTerms} gives exactly the paid grants).
   */
  public static Arbitrary<GrantCategory> freeCategories() {
    return Arbitraries.of(
        GrantCategory.PROMOTIONAL,
        GrantCategory.PARTNER_ALLOWANCE,
        GrantCategory.SIGN_UP,
        GrantCategory.REFERRAL,
        GrantCategory.SUBSCRIPTION_ALLOWANCE,
        GrantCategory.ADJUSTMENT);
  }

  /**
   * Scopes of every shape: everything, each whole kind, named meters of {@link #METERS}, a named
   * add-on item, and a union of kinds.
   */
  public static Arbitrary<Scope> scopes() {
    return Arbitraries.of(
        Scope.everything(),
        Scope.allUsageMeters(),
        Scope.allFixedFees(),
        Scope.allLicences(),
        Scope.allAddOns(),
        Scope.meters("m1"),
        Scope.meters("m1", "m2"),
        Scope.items(ItemRef.of(ChargeKind.ADD_ON, "add_on")),
        Scope.kinds(ChargeKind.USAGE, ChargeKind.ADD_ON));
  }

  /**
   * Cost bases of credit in {@code unit}: free, or paid in USD (in EUR when {@code unit} is USD) at
   * 1 to 500 minor units per 10,000 minor units of credit, or 1 to 3 per 100.
   */
  public static Arbitrary<CostBasis> costBases(Unit unit) {
    Objects.requireNonNull(unit, "unit");
    CurrencyUnit paidIn =
        unit.equals(CurrencyUnit.of("USD")) ? CurrencyUnit.of("EUR") : CurrencyUnit.of("USD");
    return Arbitraries.oneOf(
        Arbitraries.just(CostBasis.free()),
        Arbitraries.longs()
            .between(1, 500)
            .map(
                c ->
                    CostBasis.paid(
                        Price.of(Amount.ofMinor(paidIn, c), Amount.ofMinor(unit, 10_000)))),
        Arbitraries.of(1L, 2L, 3L)
            .map(
                c ->
                    CostBasis.paid(
                        Price.of(Amount.ofMinor(paidIn, c), Amount.ofMinor(unit, 100)))));
  }

  /**
   * Grant terms in {@code unit}: an {@link #amounts amount}, a {@link #priorities priority}, a
   * {@link #scopes scope} and a {@link #costBases cost basis} (PURCHASED exactly when paid, else a
   * {@link #freeCategories free category}); effective at once or from 48 hours before to 10 days
   * after the grant is sent (each about half the time), and never expiring or expiring 1 hour to 30
   * days after it starts paying (often after exactly 1 or 2 days).
   */
  public static Arbitrary<GrantTerms> grantTerms(Unit unit) {
    Arbitrary<Optional<Duration>> effective =
        Arbitraries.integers().between(-48, 24 * 10).map(Duration::ofHours).optional(0.4);
    Arbitrary<Optional<Duration>> expiry =
        Arbitraries.oneOf(Arbitraries.of(24, 48), Arbitraries.integers().between(1, 24 * 30))
            .map(Duration::ofHours)
            .optional(0.5);
    return Combinators.combine(
            amounts(unit),
            priorities(),
            freeCategories(),
            effective,
            expiry,
            scopes(),
            costBases(unit))
        .as(
            (amount, priority, category, from, expires, scope, cost) ->
                new GrantTerms(
                    amount,
                    priority,
                    cost.isFree() ? category : GrantCategory.PURCHASED,
                    from,
                    expires,
                    scope,
                    cost));
  }

  /**
   * Grant requests in {@code unit} that the library accepts whenever they are sent: the {@link
   * #grantTerms terms} without a validity window (effective at once, never expiring), with a fresh
   * key, {@link #ACTOR} and a reason.
   */
  public static Arbitrary<GrantRequest> grants(TenantId tenant, AccountId account, Unit unit) {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(account, "account");
    return Combinators.combine(grantTerms(unit), keys())
        .as(
            (t, key) ->
                finish(
                    new GrantTerms(
                            t.amount(),
                            t.priority(),
                            t.category(),
                            Optional.empty(),
                            Optional.empty(),
                            t.scope(),
                            t.costBasis())
                        .builder(tenant, account, TestClock.DEFAULT_START),
                    key));
  }

  /**
   * Grant requests in {@code unit} with validity windows around {@code now} (see {@link
   * #grantTerms}): the library accepts them when sent before {@code now} + 1 hour (the earliest
   * expiry), so use them with a clock at or shortly after {@code now}, or generate {@link
   * #grantTerms} and build each request when it is sent.
   */
  public static Arbitrary<GrantRequest> grants(
      TenantId tenant, AccountId account, Unit unit, Instant now) {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(now, "now");
    return Combinators.combine(grantTerms(unit), keys())
        .as((t, key) -> finish(t.builder(tenant, account, now), key));
  }

  private static GrantRequest finish(GrantRequest.Builder b, IdempotencyKey key) {
    return b.idempotencyKey(key).actor(ACTOR).reason("testkit grant").build();
  }

  // ------------------------------------------------------------------ charges

  /**
   * Charges in {@code unit} of every kind: usage of a meter in {@link #METERS}, or a fixed fee,
   * licence or add-on named after its kind; 1 to 5,000 minor units, half of them at most 300.
   */
  public static Arbitrary<Charge> charges(Unit unit) {
    return Combinators.combine(
            Arbitraries.of(ChargeKind.class),
            Arbitraries.of(METERS),
            smallOrLarge(unit, 300, MAX_AMOUNT))
        .as(
            (kind, meter, amount) ->
                Charge.of(
                    kind, kind == ChargeKind.USAGE ? meter : kind.name().toLowerCase(), amount));
  }

  /** Charge requests of {@link #charges} on the account, with a fresh key and {@link #ACTOR}. */
  public static Arbitrary<ChargeRequest> charges(TenantId tenant, AccountId account, Unit unit) {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(account, "account");
    return Combinators.combine(charges(unit), keys())
        .as(
            (charge, key) ->
                ChargeRequest.builder(tenant, account, charge)
                    .idempotencyKey(key)
                    .actor(ACTOR)
                    .reason("testkit charge")
                    .build());
  }

  // ------------------------------------------------------------------ usage

  /**
   * Usage events of {@code meter} for the account, each with a fresh id: quantities 0 to 10,000
   * with up to 3 decimal places, no dimensions, occurring in the day up to {@code now}. A meter
   * that needs no dimensions (SUM, COUNT, MAX or LATEST, declaring none) takes them while no event
   * is older than the meter settings' late-arrival window: with the default 3 days, when ingested
   * with the clock from {@code now} to 2 days after it.
   */
  public static Arbitrary<UsageEvent> usageEvents(
      TenantId tenant, AccountId account, String meter, Instant now) {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(meter, "meter");
    Objects.requireNonNull(now, "now");
    Arbitrary<BigDecimal> quantities =
        Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.longs().between(0, 100).map(BigDecimal::valueOf)),
            Tuple.of(2, Arbitraries.longs().between(0, 10_000).map(BigDecimal::valueOf)),
            Tuple.of(
                2,
                Arbitraries.longs()
                    .between(0, 10_000_000)
                    .map(thousandths -> BigDecimal.valueOf(thousandths, 3))));
    Arbitrary<Instant> times =
        Arbitraries.longs()
            .between(0, Duration.ofDays(1).toSeconds())
            .map(ago -> now.minusSeconds(ago));
    return Combinators.combine(Arbitraries.create(UUID::randomUUID), quantities, times)
        .as(
            (id, quantity, at) ->
                UsageEvent.builder(tenant, account, meter)
                    .id("usage-" + id)
                    .quantity(quantity)
                    .occurredAt(at)
                    .build());
  }

  // ------------------------------------------------------------------ keys

  /** A fresh idempotency key for every value ({@code testkit-<uuid>}): never repeated. */
  public static Arbitrary<IdempotencyKey> keys() {
    return Arbitraries.create(() -> IdempotencyKey.of("testkit-" + UUID.randomUUID()));
  }
}
