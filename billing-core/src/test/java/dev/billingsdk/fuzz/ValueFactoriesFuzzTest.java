package dev.billingsdk.fuzz;

import static dev.billingsdk.fuzz.Hostile.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccessPolicy;
import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdGenerator;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Identifiers;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.AccountBalance;
import dev.billingsdk.credit.Allocation;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.CostBasis;
import dev.billingsdk.credit.DeductRequest;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantOrder;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.InvoiceCreditRequest;
import dev.billingsdk.credit.InvoiceLine;
import dev.billingsdk.credit.ItemRef;
import dev.billingsdk.credit.LowBalanceAlert;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.ReleaseRequest;
import dev.billingsdk.credit.Reservation;
import dev.billingsdk.credit.ReservationId;
import dev.billingsdk.credit.ReservationState;
import dev.billingsdk.credit.ReserveRequest;
import dev.billingsdk.credit.ReverseRequest;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.credit.SettleRequest;
import dev.billingsdk.credit.VoidGrantRequest;
import dev.billingsdk.event.BalanceBelowThreshold;
import dev.billingsdk.event.BalanceRecovered;
import dev.billingsdk.event.ChargePosted;
import dev.billingsdk.event.CreditsDeducted;
import dev.billingsdk.event.DebitReversed;
import dev.billingsdk.event.GrantCreated;
import dev.billingsdk.event.GrantExpired;
import dev.billingsdk.event.GrantVoided;
import dev.billingsdk.event.InvoiceCreditsApplied;
import dev.billingsdk.event.ReservationCreated;
import dev.billingsdk.event.ReservationExpired;
import dev.billingsdk.event.ReservationReleased;
import dev.billingsdk.event.ReservationSettled;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.ledger.TransactionFilter;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.ledger.TransactionPage;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.metering.Aggregation;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.MeterPrice;
import dev.billingsdk.metering.MeteringSettings;
import dev.billingsdk.metering.PriceBook;
import dev.billingsdk.metering.PriceModel;
import dev.billingsdk.metering.PriceRule;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.metering.UsageSummaryQuery;
import dev.billingsdk.metering.UsageSummaryRow;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Price;
import dev.billingsdk.money.Rational;
import dev.billingsdk.money.Unit;
import dev.billingsdk.setup.Billing;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every public factory, constructor, builder setter and {@code build()} of the value and request
 * types, called with hostile arguments: only a {@link dev.billingsdk.BillingException} may escape,
 * and a refusal names a field. One property per package, each over its table of entry points.
 */
@SuppressWarnings("unchecked")
class ValueFactoriesFuzzTest {
  static final int TRIES = 10_000;

  /** Every entry point in every table, by package (the report counts them). */
  static final Map<String, List<Arbitrary<Call>>> TABLES =
      Map.of(
          "dev.billingsdk", coreTable(),
          "money", moneyTable(),
          "credit", creditTable(),
          "ledger", ledgerTable(),
          "metering", meteringTable(),
          "event", eventTable());

  static void check(Call call) {
    var refusal = call.refusalOrNull();
    if (refusal instanceof InvalidRequestException invalid) {
      assertThat(invalid.field()).as("the field %s names", call).isNotBlank();
    }
  }

  @Property(tries = TRIES)
  void core_entry_points_refuse_only_with_billing_exceptions(@ForAll("core") Call call) {
    check(call);
  }

  @Property(tries = TRIES)
  void money_entry_points_refuse_only_with_billing_exceptions(@ForAll("money") Call call) {
    check(call);
  }

  @Property(tries = TRIES)
  void credit_entry_points_refuse_only_with_billing_exceptions(@ForAll("credit") Call call) {
    check(call);
  }

  @Property(tries = TRIES)
  void ledger_entry_points_refuse_only_with_billing_exceptions(@ForAll("ledger") Call call) {
    check(call);
  }

  @Property(tries = TRIES)
  void metering_entry_points_refuse_only_with_billing_exceptions(@ForAll("metering") Call call) {
    check(call);
  }

  @Property(tries = TRIES)
  void event_entry_points_refuse_only_with_billing_exceptions(@ForAll("event") Call call) {
    check(call);
  }

  @Provide
  Arbitrary<Call> core() {
    return Arbitraries.oneOf(TABLES.get("dev.billingsdk"));
  }

  @Provide
  Arbitrary<Call> money() {
    return Arbitraries.oneOf(TABLES.get("money"));
  }

  @Provide
  Arbitrary<Call> credit() {
    return Arbitraries.oneOf(TABLES.get("credit"));
  }

  @Provide
  Arbitrary<Call> ledger() {
    return Arbitraries.oneOf(TABLES.get("ledger"));
  }

  @Provide
  Arbitrary<Call> metering() {
    return Arbitraries.oneOf(TABLES.get("metering"));
  }

  @Provide
  Arbitrary<Call> event() {
    return Arbitraries.oneOf(TABLES.get("event"));
  }

  // ---------------------------------------------------------------------------------------------
  // Shared arbitraries of library values
  // ---------------------------------------------------------------------------------------------

  static Arbitrary<Role[]> roles() {
    return varargs(Role.class, enumOf(Role.class));
  }

  static Arbitrary<ChargeKind> kind() {
    return enumOf(ChargeKind.class);
  }

  static Arbitrary<Charge> charge() {
    return oneOf(
        Charge.usage("tokens", Amount.ofMinor(CREDIT, 100)),
        Charge.of(ChargeKind.FIXED_FEE, "seat", Amount.ofMinor(CREDIT, Long.MAX_VALUE)),
        Charge.usage("tokens", Amount.ofMinor(USD, 5)));
  }

  static Arbitrary<Scope> scope() {
    return oneOf(Scope.everything(), Scope.meters("tokens"), Scope.allFixedFees());
  }

  static Arbitrary<Price> price() {
    return oneOf(
        Price.of(Amount.of(USD, "1.00"), Amount.ofMinor(CREDIT, 100)),
        Price.of(Amount.zero(USD), Amount.ofMinor(CREDIT, 1)),
        Price.of(Amount.ofMinor(JPY, Long.MAX_VALUE), Amount.ofMinor(CREDIT, 1)));
  }

  static Arbitrary<GrantId> grantId() {
    return oneOf(GrantId.of("g-1"), GrantId.of("missing"));
  }

  static Arbitrary<TransactionId> txId() {
    return oneOf(TransactionId.of("t-1"), TransactionId.of("missing"));
  }

  static Arbitrary<ReservationId> reservationId() {
    return oneOf(ReservationId.of("r-1"), ReservationId.of("missing"));
  }

  static Arbitrary<GrantCategory> category() {
    return oneOf(GrantCategory.PROMOTIONAL, GrantCategory.PURCHASED, GrantCategory.of("X_1"));
  }

  static Arbitrary<PriceModel> model() {
    return oneOf(
        new PriceModel.PerUnit(new BigDecimal("0.01")),
        new PriceModel.FlatFee(BigDecimal.TEN),
        new PriceModel.PerHour(BigDecimal.ONE),
        new PriceModel.Package(new BigDecimal("1000"), BigDecimal.ONE),
        new PriceModel.Graduated(
            List.of(PriceModel.Tier.upTo("100", "0.1"), PriceModel.Tier.rest("0.01"))));
  }

  static Arbitrary<Grant> grant() {
    Instant t = Instant.parse("2024-06-01T00:00:00Z");
    return oneOf(
        new Grant(
            GrantId.of("g-1"),
            ACME,
            ADA,
            "",
            GrantCategory.PROMOTIONAL,
            50,
            Amount.ofMinor(CREDIT, 100),
            t,
            Optional.empty(),
            Scope.everything(),
            CostBasis.free(),
            Map.of(),
            Actor.system("sys"),
            t,
            1));
  }

  static Arbitrary<PriceModel.Tier> tier() {
    return oneOf(
        PriceModel.Tier.upTo("10", "1"), PriceModel.Tier.upTo("5", "1"), PriceModel.Tier.rest("0"));
  }

  static Arbitrary<Posting> posting() {
    return oneOf(
        Posting.of(LedgerAccount.grant(GrantId.of("g-1")), Amount.ofMinor(CREDIT, 5)),
        Posting.of(LedgerAccount.counter(LedgerAccount.Kind.ISSUED), Amount.ofMinor(CREDIT, -5)),
        Posting.of(LedgerAccount.counter(LedgerAccount.Kind.ISSUED), Amount.ofMinor(USD, -5)),
        Posting.of(
            LedgerAccount.counter(LedgerAccount.Kind.CONSUMED),
            Amount.ofMinor(CREDIT, Long.MAX_VALUE)),
        Posting.of(
            LedgerAccount.counter(LedgerAccount.Kind.CONSUMED),
            Amount.ofMinor(CREDIT, Long.MAX_VALUE)));
  }

  static <T> Arbitrary<Set<T>> setWithNulls(Arbitrary<T> element) {
    return orNull(element.list().ofMaxSize(3).map(HashSet::new));
  }

  // ---------------------------------------------------------------------------------------------
  // dev.billingsdk
  // ---------------------------------------------------------------------------------------------

  static List<Arbitrary<Call>> coreTable() {
    List<Arbitrary<Call>> t = new ArrayList<>();
    t.add(Call.of("TenantId.of", a -> TenantId.of((String) a[0]), text()));
    t.add(Call.of("AccountId.of", a -> AccountId.of((String) a[0]), text()));
    t.add(Call.of("IdempotencyKey.of", a -> IdempotencyKey.of((String) a[0]), text()));
    t.add(
        Call.of(
            "Actor.of",
            a -> {
              Role[] roles = (Role[]) a[1];
              if (roles == null || roles.length == 0) {
                return Actor.of((String) a[0], null, roles);
              }
              return Actor.of(
                  (String) a[0], roles[0], java.util.Arrays.copyOfRange(roles, 1, roles.length));
            },
            id(),
            roles()));
    t.add(Call.of("Actor.system", a -> Actor.system((String) a[0]), text()));
    t.add(
        Call.of(
            "new Actor",
            a -> new Actor((String) a[0], (Set<Role>) a[1]),
            id(),
            setWithNulls(enumOf(Role.class))));
    t.add(Call.of("Identifiers.check", a -> Identifiers.check((String) a[0], "f"), text()));
    t.add(
        Call.of(
            "InputContract.identifier", a -> InputContract.identifier((String) a[0], "f"), text()));
    t.add(
        Call.of(
            "InputContract.text",
            a -> InputContract.text((String) a[0], "f", (Integer) a[1]),
            text(),
            ints()));
    t.add(Call.of("InputContract.reason", a -> InputContract.reason((String) a[0], "f"), text()));
    t.add(
        Call.of(
            "InputContract.instant", a -> InputContract.instant((Instant) a[0], "f"), instant()));
    t.add(
        Call.of(
            "InputContract.now",
            a -> InputContract.now(Clock.fixed((Instant) a[0], ZoneOffset.UTC)),
            instant().filter(i -> i != null)));
    t.add(
        Call.of(
            "InputContract.decimal(String)",
            a -> InputContract.decimal((String) a[0], "f"),
            decimalText()));
    t.add(
        Call.of(
            "InputContract.decimal(BigDecimal)",
            a -> InputContract.decimal((BigDecimal) a[0], "f"),
            decimal()));
    t.add(
        Call.of(
            "InputContract.duration",
            a -> InputContract.duration((Duration) a[0], "f", (Boolean) a[1]),
            duration(),
            Arbitraries.of(true, false)));
    t.add(
        Call.of(
            "InvalidRequestException.requireText",
            a -> InvalidRequestException.requireText((String) a[0], "f"),
            text()));
    t.add(
        Call.of(
            "InvalidRequestException.requireNoNul",
            a -> InvalidRequestException.requireNoNul((String) a[0], "f"),
            text()));
    t.add(
        Call.of(
            "Billing.builder()...build()",
            a -> {
              Billing.Builder b = Billing.builder();
              if ((Boolean) a[0]) {
                b.store(InMemoryBillingStore.create());
              }
              b.maxAttempts((Integer) a[1]);
              b.coalesceCharges((Integer) a[2]);
              b.clock(a[3] == null ? null : Clock.fixed((Instant) a[3], ZoneOffset.UTC));
              b.ids(IdGenerator.sequential());
              b.accessPolicy(AccessPolicy.roleBased());
              b.grantOrder(GrantOrder.standard());
              b.listener(e -> {});
              return b.build().credits().balance(ACME, ADA);
            },
            Arbitraries.of(true, false),
            ints(),
            ints(),
            instant()));
    t.add(
        Call.of(
            "Billing.builder() setters given null",
            a -> {
              Billing.Builder b = Billing.builder();
              switch ((Integer) a[0]) {
                case 0 -> b.store(null);
                case 1 -> b.clock(null);
                case 2 -> b.ids(null);
                case 3 -> b.accessPolicy(null);
                case 4 -> b.grantOrder(null);
                case 5 -> b.listener(null);
                case 6 -> b.listenerFailureHandler(null);
                default -> b.metering(null);
              }
              return b;
            },
            Arbitraries.integers().between(0, 7)));
    return t;
  }

  // ---------------------------------------------------------------------------------------------
  // money
  // ---------------------------------------------------------------------------------------------

  static List<Arbitrary<Call>> moneyTable() {
    List<Arbitrary<Call>> t = new ArrayList<>();
    Arbitrary<RoundingMode> rounding = enumOf(RoundingMode.class);
    t.add(
        Call.of("Amount.ofMinor", a -> Amount.ofMinor((Unit) a[0], (Long) a[1]), unit(), longs()));
    t.add(Call.of("Amount.zero", a -> Amount.zero((Unit) a[0]), unit()));
    t.add(
        Call.of(
            "Amount.of(BigDecimal)",
            a -> Amount.of((Unit) a[0], (BigDecimal) a[1]),
            unit(),
            decimal()));
    t.add(
        Call.of(
            "Amount.of(String)",
            a -> Amount.of((Unit) a[0], (String) a[1]),
            unit(),
            decimalText()));
    t.add(
        Call.of(
            "Amount.of(BigDecimal, RoundingMode)",
            a -> Amount.of((Unit) a[0], (BigDecimal) a[1], (RoundingMode) a[2]),
            unit(),
            decimal(),
            rounding));
    t.add(
        Call.of(
            "Amount arithmetic",
            a -> {
              Amount x = (Amount) a[0];
              Amount y = (Amount) a[1];
              return List.of(x.plus(y), x.minus(y), x.negate(), x.min(y), x.max(y), x.compareTo(y));
            },
            amount().filter(x -> x != null),
            amount()));
    t.add(Call.of("Price.of", a -> Price.of((Amount) a[0], (Amount) a[1]), amount(), amount()));
    t.add(
        Call.of(
            "Price.convert",
            a -> ((Price) a[0]).convert((Amount) a[1], (RoundingMode) a[2]),
            ValueFactoriesFuzzTest.price().filter(p -> p != null),
            amount(),
            rounding));
    t.add(
        Call.of(
            "Rational.of(BigInteger, BigInteger)",
            a -> Rational.of((BigInteger) a[0], (BigInteger) a[1]),
            bigInteger(),
            bigInteger()));
    t.add(Call.of("Rational.of(long)", a -> Rational.of((Long) a[0]), longs()));
    t.add(Call.of("Rational.of(BigDecimal)", a -> Rational.of((BigDecimal) a[0]), decimal()));
    t.add(
        Call.of(
            "Rational.parse",
            a -> Rational.parse((String) a[0]),
            Arbitraries.oneOf(
                decimalText(),
                Arbitraries.of("1/0", "-3/-6", "1/", "/2", "1/2/3", "x".repeat(2_001)))));
    t.add(
        Call.of(
            "Rational arithmetic",
            a -> {
              Rational x = Rational.of((Long) a[0]);
              Rational y = Rational.of((Long) a[1]);
              return List.of(x.plus(y), x.minus(y), x.times(y), x.dividedBy(y));
            },
            longs(),
            longs()));
    t.add(
        Call.of(
            "CreditUnit.of", a -> CreditUnit.of((String) a[0], (Integer) a[1]), text(), ints()));
    t.add(
        Call.of(
            "CurrencyUnit.of",
            a -> CurrencyUnit.of((String) a[0]),
            Arbitraries.oneOf(
                text(), Arbitraries.of("USD", "XAU", "XXX", "ABC", "usd", "CLF", "UYW", "HRK"))));
    t.add(
        Call.of(
            "new CurrencyUnit",
            a -> new CurrencyUnit((String) a[0], (Integer) a[1]),
            orNull(Arbitraries.of("USD", "XAU", "XXX", "JPY", "CLF", "UYW", "usd")),
            Arbitraries.oneOf(ints(), Arbitraries.of(0, 2, 3, 4))));
    return t;
  }

  // ---------------------------------------------------------------------------------------------
  // credit
  // ---------------------------------------------------------------------------------------------

  static List<Arbitrary<Call>> creditTable() {
    List<Arbitrary<Call>> t = new ArrayList<>();
    t.add(Call.of("GrantId.of", a -> GrantId.of((String) a[0]), text()));
    t.add(Call.of("ReservationId.of", a -> ReservationId.of((String) a[0]), text()));
    t.add(Call.of("GrantCategory.of", a -> GrantCategory.of((String) a[0]), text()));
    t.add(Call.of("ItemRef.meter", a -> ItemRef.meter((String) a[0]), text()));
    t.add(Call.of("ItemRef.of", a -> ItemRef.of((ChargeKind) a[0], (String) a[1]), kind(), text()));
    t.add(Call.of("Charge.usage", a -> Charge.usage((String) a[0], (Amount) a[1]), id(), amount()));
    t.add(
        Call.of(
            "Charge.of",
            a -> Charge.of((ChargeKind) a[0], (String) a[1], (Amount) a[2]),
            kind(),
            id(),
            amount()));
    t.add(
        Call.of(
            "Scope.kinds",
            a -> Scope.kinds((ChargeKind[]) a[0]),
            varargs(ChargeKind.class, kind())));
    t.add(
        Call.of(
            "Scope.items",
            a -> Scope.items((ItemRef[]) a[0]),
            varargs(ItemRef.class, oneOf(ItemRef.meter("a"), ItemRef.of(ChargeKind.ADD_ON, "b")))));
    t.add(Call.of("Scope.meters", a -> Scope.meters((String[]) a[0]), varargs(String.class, id())));
    t.add(
        Call.of(
            "Scope.plusKinds",
            a -> ((Scope) a[0]).plusKinds((ChargeKind[]) a[1]),
            scope().filter(s -> s != null),
            varargs(ChargeKind.class, kind())));
    t.add(
        Call.of(
            "new Scope",
            a -> new Scope((Boolean) a[0], (Set<ChargeKind>) a[1], (Set<ItemRef>) a[2]),
            Arbitraries.of(true, false),
            setWithNulls(kind()),
            setWithNulls(oneOf(ItemRef.meter("a")))));
    t.add(
        Call.of(
            "Scope.covers",
            a -> Scope.everything().covers((ChargeKind) a[0], (String) a[1]),
            kind(),
            text()));
    t.add(Call.of("CostBasis.paid", a -> CostBasis.paid((Price) a[0]), price()));
    t.add(Call.of("new CostBasis", a -> new CostBasis((Optional<Price>) a[0]), optional(price())));
    t.add(Call.of("LowBalanceAlert.below", a -> LowBalanceAlert.below((Amount) a[0]), amount()));
    t.add(
        Call.of(
            "new LowBalanceAlert",
            a -> new LowBalanceAlert((Amount) a[0], (Amount) a[1]),
            amount(),
            amount()));
    t.add(
        Call.of(
            "OverdraftPolicy.allowDownTo",
            a -> OverdraftPolicy.allowDownTo((Amount) a[0]),
            amount()));
    t.add(
        Call.of(
            "OpenAccountRequest.of/with*",
            a ->
                OpenAccountRequest.builder((TenantId) a[0], (AccountId) a[1], (Unit) a[2])
                    .actor((Actor) a[3])
                    .overdraftPolicy((OverdraftPolicy) a[4])
                    .metadata((Map<String, String>) a[5])
                    .build(),
            tenant(),
            account(),
            unit(),
            actor(),
            oneOf(
                OverdraftPolicy.reject(),
                OverdraftPolicy.partial(),
                OverdraftPolicy.allowDownTo(Amount.ofMinor(CREDIT, Long.MAX_VALUE)),
                OverdraftPolicy.allowDownTo(Amount.ofMinor(USD, 1))),
            map()));
    t.add(
        Call.of(
            "GrantRequest.builder()...build()",
            a ->
                GrantRequest.builder((TenantId) a[0], (AccountId) a[1], (Amount) a[2])
                    .category((GrantCategory) a[3])
                    .priority((Integer) a[4])
                    .name((String) a[5])
                    .effectiveFrom((Instant) a[6])
                    .expiresAt((Instant) a[7])
                    .scope((Scope) a[8])
                    .costBasis((CostBasis) a[9])
                    .metadata((Map<String, String>) a[10])
                    .idempotencyKey(IdempotencyKey.of((String) a[11]))
                    .actor((Actor) a[12])
                    .reason((String) a[13])
                    .build(),
            tenant(),
            account(),
            amount(),
            category(),
            ints(),
            text(),
            instant(),
            instant(),
            scope(),
            orNull(price().filter(p -> p != null).map(CostBasis::paid)),
            map(),
            id(),
            actor(),
            text()));
    t.add(
        Call.of(
            "GrantRequest.Builder.idempotencyKey(IdempotencyKey)",
            a ->
                GrantRequest.builder(ACME, ADA, Amount.ofMinor(CREDIT, 1))
                    .idempotencyKey((IdempotencyKey) a[0])
                    .actor((Actor) a[1])
                    .reason("r")
                    .build(),
            key(),
            actor()));
    t.add(
        Call.of(
            "ChargeRequest.of/withReferences",
            a ->
                ChargeRequest.builder((TenantId) a[0], (AccountId) a[1], (Charge) a[2])
                    .idempotencyKey((IdempotencyKey) a[3])
                    .actor((Actor) a[4])
                    .reason((String) a[5])
                    .references((Map<String, String>) a[6])
                    .build(),
            tenant(),
            account(),
            charge(),
            key(),
            actor(),
            text(),
            map()));
    t.add(
        Call.of(
            "ReserveRequest.builder",
            a ->
                ReserveRequest.builder((TenantId) a[0], (AccountId) a[1], (Charge) a[2])
                    .timeToLive((Duration) a[3])
                    .idempotencyKey((IdempotencyKey) a[4])
                    .actor((Actor) a[5])
                    .reason((String) a[6])
                    .build(),
            tenant(),
            account(),
            charge(),
            duration(),
            key(),
            actor(),
            text()));
    t.add(
        Call.of(
            "SettleRequest.builder",
            a ->
                SettleRequest.builder((TenantId) a[0], (ReservationId) a[1], (Amount) a[2])
                    .idempotencyKey((IdempotencyKey) a[3])
                    .actor((Actor) a[4])
                    .reason((String) a[5])
                    .build(),
            tenant(),
            reservationId(),
            amount(),
            key(),
            actor(),
            text()));
    t.add(
        Call.of(
            "ReleaseRequest.builder",
            a ->
                ReleaseRequest.builder((TenantId) a[0], (ReservationId) a[1])
                    .idempotencyKey((IdempotencyKey) a[2])
                    .actor((Actor) a[3])
                    .reason((String) a[4])
                    .build(),
            tenant(),
            reservationId(),
            key(),
            actor(),
            text()));
    t.add(
        Call.of(
            "DeductRequest.builder",
            a ->
                DeductRequest.builder(
                        (TenantId) a[0], (AccountId) a[1], (GrantCategory) a[2], (Amount) a[3])
                    .idempotencyKey((IdempotencyKey) a[4])
                    .actor((Actor) a[5])
                    .reason((String) a[6])
                    .build(),
            tenant(),
            account(),
            category(),
            amount(),
            key(),
            actor(),
            text()));
    t.add(
        Call.of(
            "VoidGrantRequest.builder",
            a ->
                VoidGrantRequest.builder((TenantId) a[0], (AccountId) a[1], (GrantId) a[2])
                    .idempotencyKey((IdempotencyKey) a[3])
                    .actor((Actor) a[4])
                    .reason((String) a[5])
                    .build(),
            tenant(),
            account(),
            grantId(),
            key(),
            actor(),
            text()));
    t.add(
        Call.of(
            "ReverseRequest.all",
            a ->
                ReverseRequest.builder((TenantId) a[0], (AccountId) a[1], (TransactionId) a[2])
                    .idempotencyKey((IdempotencyKey) a[3])
                    .actor((Actor) a[4])
                    .reason((String) a[5])
                    .build(),
            tenant(),
            account(),
            txId(),
            key(),
            actor(),
            text()));
    t.add(
        Call.of(
            "ReverseRequest.partial",
            a ->
                ReverseRequest.builder((TenantId) a[0], (AccountId) a[1], (TransactionId) a[2])
                    .amount((Amount) a[3])
                    .idempotencyKey((IdempotencyKey) a[4])
                    .actor((Actor) a[5])
                    .reason((String) a[6])
                    .build(),
            tenant(),
            account(),
            txId(),
            amount(),
            key(),
            actor(),
            text()));
    t.add(
        Call.of(
            "ReverseRequest.builder",
            a -> reverseRequest(a[0], a[1], (TransactionId) a[2], a[3], a[4], a[5], a[6]),
            tenant(),
            account(),
            txId(),
            optional(amount()),
            key(),
            actor(),
            text()));
    Arbitrary<InvoiceLine> line =
        orNull(
            Arbitraries.of(
                InvoiceLine.usage("l1", "tokens", Amount.ofMinor(CREDIT, 100)),
                InvoiceLine.fixedFee("l2", "seat", Amount.ofMinor(CREDIT, Long.MAX_VALUE)),
                InvoiceLine.licence("l3", "ide", Amount.ofMinor(CREDIT, 1)),
                InvoiceLine.addOn("l4", "sso", Amount.ofMinor(USD, 1))));
    for (String factory : List.of("of", "usage", "fixedFee", "licence", "addOn")) {
      t.add(
          Call.of(
              "InvoiceLine." + factory,
              a ->
                  switch (factory) {
                    case "of" ->
                        InvoiceLine.of(
                            (String) a[0], (ChargeKind) a[3], (String) a[1], (Amount) a[2]);
                    case "usage" -> InvoiceLine.usage((String) a[0], (String) a[1], (Amount) a[2]);
                    case "fixedFee" ->
                        InvoiceLine.fixedFee((String) a[0], (String) a[1], (Amount) a[2]);
                    case "licence" ->
                        InvoiceLine.licence((String) a[0], (String) a[1], (Amount) a[2]);
                    default -> InvoiceLine.addOn((String) a[0], (String) a[1], (Amount) a[2]);
                  },
              id(),
              id(),
              amount(),
              kind()));
    }
    t.add(
        Call.of(
            "InvoiceCreditRequest.builder",
            a ->
                InvoiceCreditRequest.builder((TenantId) a[0], (AccountId) a[1], (String) a[2])
                    .lines((List<InvoiceLine>) a[3])
                    .idempotencyKey((IdempotencyKey) a[4])
                    .actor((Actor) a[5])
                    .reason((String) a[6])
                    .build(),
            tenant(),
            account(),
            id(),
            Arbitraries.oneOf(
                line.list().ofMaxSize(4).map(java.util.Collections::unmodifiableList),
                Arbitraries.just(null)),
            key(),
            actor(),
            text()));
    t.add(
        Call.of(
            "GrantOrder.totalOf",
            a -> GrantOrder.totalOf((java.util.Comparator<Grant>) a[0]),
            orNull(Arbitraries.just(GrantOrder.standard()))));
    t.add(
        Call.of(
            "Allocation.of", a -> Allocation.of((Grant) a[0], (Amount) a[1]), grant(), amount()));
    t.add(
        Call.of(
            "new GrantBalance",
            a -> new GrantBalance((Grant) a[0], (Amount) a[1], (Boolean) a[2]),
            grant(),
            amount(),
            Arbitraries.of(true, false)));
    t.add(
        Call.of(
            "new Grant",
            a ->
                new Grant(
                    (GrantId) a[0],
                    (TenantId) a[1],
                    (AccountId) a[2],
                    (String) a[3],
                    (GrantCategory) a[4],
                    (Integer) a[5],
                    (Amount) a[6],
                    (Instant) a[7],
                    (Optional<Instant>) a[8],
                    (Scope) a[9],
                    orFree((Price) a[10]),
                    (Map<String, String>) a[11],
                    (Actor) a[12],
                    (Instant) a[13],
                    (Long) a[14]),
            grantId(),
            tenant(),
            account(),
            text(),
            category(),
            ints(),
            amount(),
            instant(),
            optional(instant()),
            scope(),
            price(),
            map(),
            actor(),
            instant(),
            longs()));
    t.add(
        Call.of(
            "new Account",
            a ->
                new Account(
                    (TenantId) a[0],
                    (AccountId) a[1],
                    (Unit) a[2],
                    (OverdraftPolicy) a[3],
                    (Map<String, String>) a[4],
                    (Actor) a[5],
                    (Instant) a[6]),
            tenant(),
            account(),
            unit(),
            oneOf(OverdraftPolicy.reject(), OverdraftPolicy.allowDownTo(Amount.ofMinor(USD, 1))),
            map(),
            actor(),
            instant()));
    t.add(
        Call.of(
            "new Reservation",
            a ->
                new Reservation(
                    (ReservationId) a[0],
                    (TenantId) a[1],
                    (AccountId) a[2],
                    (ChargeKind) a[3],
                    (String) a[4],
                    (Amount) a[5],
                    (TransactionId) a[6],
                    (Instant) a[7],
                    (Instant) a[8],
                    (ReservationState) a[9],
                    (Optional<TransactionId>) a[10],
                    (Long) a[11]),
            reservationId(),
            tenant(),
            account(),
            kind(),
            text(),
            amount(),
            txId(),
            instant(),
            instant(),
            enumOf(ReservationState.class),
            optional(txId()),
            longs()));
    t.add(
        Call.of(
            "Reservation.resolved",
            a ->
                new Reservation(
                        ReservationId.of("r"),
                        ACME,
                        ADA,
                        ChargeKind.USAGE,
                        "tokens",
                        Amount.ofMinor(CREDIT, 1),
                        TransactionId.of("t"),
                        Instant.parse("2024-06-01T00:00:00Z"),
                        Instant.parse("2024-06-02T00:00:00Z"),
                        ReservationState.ACTIVE,
                        Optional.empty(),
                        1)
                    .resolved((ReservationState) a[0], (TransactionId) a[1]),
            enumOf(ReservationState.class),
            txId()));
    t.add(
        Call.of(
            "new AccountBalance",
            a ->
                new AccountBalance(
                    null,
                    (Instant) a[0],
                    (Amount) a[1],
                    (Amount) a[1],
                    (Amount) a[1],
                    (Amount) a[1],
                    (Map<GrantCategory, Amount>) a[2],
                    (List<GrantBalance>) a[3]),
            instant(),
            amount(),
            orNull(Arbitraries.just(Map.<GrantCategory, Amount>of())),
            list(orNull(Arbitraries.<GrantBalance>just(null)))));
    return t;
  }

  static CostBasis orFree(Price price) {
    return price == null ? null : CostBasis.paid(price);
  }

  // ---------------------------------------------------------------------------------------------
  // ledger
  // ---------------------------------------------------------------------------------------------

  static List<Arbitrary<Call>> ledgerTable() {
    List<Arbitrary<Call>> t = new ArrayList<>();
    Arbitrary<TransactionType> type = enumOf(TransactionType.class);
    t.add(Call.of("TransactionId.of", a -> TransactionId.of((String) a[0]), text()));
    t.add(
        Call.of(
            "TransactionFilter.types",
            a -> TransactionFilter.all().types((TransactionType) a[0], (TransactionType[]) a[1]),
            type,
            varargs(TransactionType.class, type)));
    t.add(
        Call.of(
            "TransactionFilter.between",
            a -> TransactionFilter.all().between((Instant) a[0], (Instant) a[1]),
            instant(),
            instant()));
    t.add(
        Call.of(
            "new TransactionFilter",
            a ->
                new TransactionFilter(
                    (Set<TransactionType>) a[0],
                    (Optional<Instant>) a[1],
                    (Optional<Instant>) a[2]),
            setWithNulls(type),
            optional(instant()),
            optional(instant())));
    t.add(Call.of("LedgerAccount.grant", a -> LedgerAccount.grant((GrantId) a[0]), grantId()));
    t.add(
        Call.of(
            "LedgerAccount.counter",
            a -> LedgerAccount.counter((LedgerAccount.Kind) a[0]),
            enumOf(LedgerAccount.Kind.class)));
    t.add(
        Call.of(
            "new LedgerAccount",
            a -> new LedgerAccount((LedgerAccount.Kind) a[0], (String) a[1]),
            enumOf(LedgerAccount.Kind.class),
            orNull(text())));
    t.add(
        Call.of(
            "Posting.of",
            a -> Posting.of((LedgerAccount) a[0], (Amount) a[1]),
            oneOf(
                LedgerAccount.grant(GrantId.of("g")),
                LedgerAccount.counter(LedgerAccount.Kind.CONSUMED)),
            amount()));
    t.add(
        Call.of(
            "LedgerTransaction.requireBalanced",
            a -> {
              LedgerTransaction.requireBalanced((List<Posting>) a[0]);
              return null;
            },
            list(posting())));
    t.add(
        Call.of(
            "new LedgerTransaction",
            a ->
                new LedgerTransaction(
                    (TransactionId) a[0],
                    (TenantId) a[1],
                    (AccountId) a[2],
                    (TransactionType) a[3],
                    (IdempotencyKey) a[4],
                    (String) a[5],
                    (Actor) a[6],
                    (String) a[7],
                    (Instant) a[8],
                    (Instant) a[9],
                    (List<Posting>) a[10],
                    (Map<String, String>) a[11],
                    (Long) a[12]),
            txId(),
            tenant(),
            account(),
            type,
            key(),
            text(),
            actor(),
            text(),
            instant(),
            instant(),
            list(posting()),
            map(),
            longs()));
    t.add(
        Call.of(
            "new TransactionPage",
            a -> new TransactionPage((List<LedgerTransaction>) a[0], (Optional<String>) a[1]),
            list(orNull(Arbitraries.<LedgerTransaction>just(null))),
            optional(text())));
    return t;
  }

  // ---------------------------------------------------------------------------------------------
  // metering
  // ---------------------------------------------------------------------------------------------

  static List<Arbitrary<Call>> meteringTable() {
    List<Arbitrary<Call>> t = new ArrayList<>();
    Arbitrary<Aggregation> aggregation = enumOf(Aggregation.class);
    Arbitrary<String[]> dims = varargs(String.class, id());
    t.add(
        Call.of(
            "Meter.builder()...build()",
            a -> {
              Meter.Builder b =
                  Meter.builder((TenantId) a[0], (String) a[1], (Aggregation) a[2])
                      .unit((String) a[3])
                      .dimensions((String[]) a[4]);
              Optional<String> key = (Optional<String>) a[5];
              Optional<Duration> heartbeat = (Optional<Duration>) a[6];
              if (key == null) {
                b.keyDimension(null);
              } else {
                key.ifPresent(b::keyDimension);
              }
              if (heartbeat == null) {
                b.heartbeatTimeout(null);
              } else {
                heartbeat.ifPresent(b::heartbeatTimeout);
              }
              return b.build();
            },
            tenant(),
            id(),
            aggregation,
            id(),
            dims,
            optional(id()),
            optional(duration())));
    t.add(
        Call.of(
            "Meter.Builder.dimension(String)",
            a -> {
              Meter.Builder b =
                  Meter.builder(ACME, "m", (Aggregation) a[0])
                      .unit("u")
                      .keyDimension((String) a[1]);
              for (String d : (String[]) a[2]) {
                b.dimension(d);
              }
              return b.build();
            },
            aggregation,
            id(),
            varargs(String.class, id()).filter(d -> d != null)));
    t.add(
        Call.of(
            "Meter.uniqueCount",
            a -> Meter.uniqueCount((TenantId) a[0], (String) a[1], (String) a[2], (String) a[3]),
            tenant(),
            id(),
            id(),
            id()));
    t.add(
        Call.of(
            "Meter.runningTime",
            a -> Meter.runningTime((TenantId) a[0], (String) a[1], (String) a[2]),
            tenant(),
            id(),
            id()));
    t.add(
        Call.of(
            "UsageEvent.builder()...build()",
            a ->
                UsageEvent.builder((TenantId) a[1], (AccountId) a[2], (String) a[3])
                    .id((String) a[0])
                    .quantity((BigDecimal) a[4])
                    .occurredAt((Instant) a[5])
                    .dimensions((Map<String, String>) a[6])
                    .build(),
            id(),
            tenant(),
            account(),
            id(),
            decimal(),
            instant(),
            map()));
    t.add(
        Call.of(
            "UsageEvent.Builder.dimension(String, String)",
            a -> {
              UsageEvent.Builder b =
                  UsageEvent.builder(ACME, ADA, "m")
                      .id("e")
                      .quantity(BigDecimal.ONE)
                      .occurredAt(Instant.EPOCH);
              b.dimension((String) a[0], (String) a[1]);
              return b.dimension((String) a[2], (String) a[3]).build();
            },
            id(),
            id(),
            id(),
            id()));
    t.add(
        Call.of(
            "UsageEvent.checkQuantity",
            a -> UsageEvent.checkQuantity((BigDecimal) a[0]),
            decimal()));
    t.add(
        Call.of(
            "UsageEvent.quantityOf",
            a -> UsageEvent.quantityOf((Double) a[0]),
            Arbitraries.oneOf(
                Arbitraries.of(
                    Double.NaN,
                    Double.POSITIVE_INFINITY,
                    Double.MAX_VALUE,
                    Double.MIN_VALUE,
                    -0.0,
                    1e-300,
                    1e18),
                Arbitraries.doubles())));
    t.add(
        Call.of(
            "UsageSummaryQuery.of...",
            a ->
                UsageSummaryQuery.of((TenantId) a[0])
                    .account((AccountId) a[1])
                    .year((Integer) a[2])
                    .month((Integer) a[3], (Integer) a[4])
                    .meter((String) a[5]),
            tenant(),
            account(),
            ints(),
            ints(),
            ints(),
            text()));
    t.add(
        Call.of(
            "new UsageSummaryQuery",
            a ->
                new UsageSummaryQuery(
                    (TenantId) a[0],
                    (Optional<AccountId>) a[1],
                    (Optional<Integer>) a[2],
                    (Optional<Integer>) a[3],
                    (Optional<String>) a[4]),
            tenant(),
            optional(account()),
            optional(ints()),
            optional(ints()),
            optional(text())));
    t.add(
        Call.of(
            "MeterPrice.of", a -> MeterPrice.of((Unit) a[0], (PriceModel) a[1]), unit(), model()));
    t.add(
        Call.of(
            "MeterPrice.in(...).build()",
            a ->
                MeterPrice.in((Unit) a[0])
                    .when((Map<String, String>) a[1], (PriceModel) a[2])
                    .otherwise((PriceModel) a[3])
                    .includedPerPeriod((String) a[4])
                    .build()
                    .withIncluded((BigDecimal) a[5]),
            unit(),
            map(),
            model(),
            model(),
            decimalText(),
            decimal()));
    t.add(
        Call.of(
            "new MeterPrice",
            a -> new MeterPrice((Unit) a[0], (List<PriceRule>) a[1], (BigDecimal) a[2]),
            unit(),
            list(
                orNull(
                    Arbitraries.just(
                        new PriceRule(Map.of(), new PriceModel.FlatFee(BigDecimal.ONE))))),
            decimal()));
    t.add(
        Call.of(
            "new PriceRule",
            a -> new PriceRule((Map<String, String>) a[0], (PriceModel) a[1]),
            map(),
            model()));
    t.add(
        Call.of(
            "new PriceModel.PerUnit", a -> new PriceModel.PerUnit((BigDecimal) a[0]), decimal()));
    t.add(
        Call.of(
            "new PriceModel.FlatFee", a -> new PriceModel.FlatFee((BigDecimal) a[0]), decimal()));
    t.add(
        Call.of(
            "new PriceModel.PerHour", a -> new PriceModel.PerHour((BigDecimal) a[0]), decimal()));
    t.add(
        Call.of(
            "new PriceModel.Package",
            a -> new PriceModel.Package((BigDecimal) a[0], (BigDecimal) a[1]),
            decimal(),
            decimal()));
    t.add(
        Call.of(
            "new PriceModel.Graduated",
            a -> new PriceModel.Graduated((List<PriceModel.Tier>) a[0]),
            list(tier())));
    t.add(
        Call.of(
            "new PriceModel.Volume",
            a -> new PriceModel.Volume((List<PriceModel.Tier>) a[0]),
            list(tier())));
    t.add(
        Call.of(
            "new PriceModel.Tier",
            a ->
                new PriceModel.Tier(
                    (Optional<BigDecimal>) a[0], (BigDecimal) a[1], (BigDecimal) a[2]),
            optional(decimal()),
            decimal(),
            decimal()));
    t.add(
        Call.of(
            "PriceModel.Tier.upTo/rest/withFlat",
            a ->
                List.of(
                    PriceModel.Tier.upTo((String) a[0], (String) a[1]).withFlat((String) a[2]),
                    PriceModel.Tier.rest((String) a[1])),
            decimalText(),
            decimalText(),
            decimalText()));
    t.add(
        Call.of(
            "PriceModel.cost",
            a -> ((PriceModel) a[0]).cost((BigDecimal) a[1]),
            model().filter(m -> m != null),
            decimal()));
    t.add(
        Call.of(
            "PriceBook.builder(...).build()",
            a ->
                PriceBook.builder((RoundingMode) a[0])
                    .meter((String) a[1], (MeterPrice) a[2])
                    .meter((String) a[3], (MeterPrice) a[2])
                    .build(),
            enumOf(RoundingMode.class),
            text(),
            orNull(Arbitraries.just(MeterPrice.of(CREDIT, new PriceModel.FlatFee(BigDecimal.ONE)))),
            text()));
    t.add(
        Call.of(
            "MeteringSettings.of/with*",
            a ->
                MeteringSettings.of((PriceBook) a[0], (Duration) a[1])
                    .withClockSkew((Duration) a[2])
                    .withLateArrival((Duration) a[3])
                    .withActor((Actor) a[4]),
            orNull(Arbitraries.just(PriceBook.builder(RoundingMode.HALF_UP).build())),
            duration(),
            duration(),
            duration(),
            actor()));
    t.add(
        Call.of(
            "new MeteringSettings",
            a ->
                new MeteringSettings(
                    (PriceBook) a[0],
                    (Duration) a[1],
                    (Duration) a[2],
                    (Duration) a[3],
                    (Actor) a[4]),
            orNull(Arbitraries.just(PriceBook.builder(RoundingMode.HALF_UP).build())),
            duration(),
            duration(),
            duration(),
            actor()));
    t.add(
        Call.of(
            "new UsageSummaryRow/withCurrency",
            a ->
                new UsageSummaryRow(
                        (TenantId) a[0],
                        (AccountId) a[1],
                        (Integer) a[2],
                        (Integer) a[3],
                        (String) a[4],
                        (Map<String, String>) a[5],
                        (BigDecimal) a[6],
                        (Amount) a[7],
                        Optional.empty())
                    .withCurrency((Amount) a[8]),
            tenant(),
            account(),
            ints(),
            ints(),
            id(),
            map(),
            decimal(),
            amount(),
            amount()));
    return t;
  }

  // ---------------------------------------------------------------------------------------------
  // event
  // ---------------------------------------------------------------------------------------------

  static List<Arbitrary<Call>> eventTable() {
    List<Arbitrary<Call>> t = new ArrayList<>();
    Arbitrary<?>[] head = {text(), tenant(), account(), instant()};
    t.add(
        event(
            "new BalanceBelowThreshold",
            a ->
                new BalanceBelowThreshold(
                    (String) a[0],
                    (TenantId) a[1],
                    (AccountId) a[2],
                    (Instant) a[3],
                    (Amount) a[4],
                    (Amount) a[5],
                    (TransactionId) a[6]),
            head,
            amount(),
            amount(),
            txId()));
    t.add(
        event(
            "new BalanceRecovered",
            a ->
                new BalanceRecovered(
                    (String) a[0],
                    (TenantId) a[1],
                    (AccountId) a[2],
                    (Instant) a[3],
                    (Amount) a[4],
                    (Amount) a[5],
                    (TransactionId) a[6]),
            head,
            amount(),
            amount(),
            txId()));
    t.add(
        event(
            "new ChargePosted",
            a ->
                new ChargePosted(
                    (String) a[0],
                    (TenantId) a[1],
                    (AccountId) a[2],
                    (Instant) a[3],
                    (TransactionId) a[4],
                    (TransactionType) a[5],
                    (ChargeKind) a[6],
                    (String) a[7],
                    (Amount) a[8],
                    (Amount) a[9]),
            head,
            txId(),
            enumOf(TransactionType.class),
            kind(),
            text(),
            amount(),
            amount()));
    t.add(
        event(
            "new DebitReversed",
            a ->
                new DebitReversed(
                    (String) a[0],
                    (TenantId) a[1],
                    (AccountId) a[2],
                    (Instant) a[3],
                    (TransactionId) a[4],
                    (TransactionId) a[5],
                    (Amount) a[6]),
            head,
            txId(),
            txId(),
            amount()));
    t.add(
        event(
            "new GrantCreated",
            a ->
                new GrantCreated(
                    (String) a[0],
                    (TenantId) a[1],
                    (AccountId) a[2],
                    (Instant) a[3],
                    (GrantId) a[4],
                    (GrantCategory) a[5],
                    (Amount) a[6],
                    (TransactionId) a[7]),
            head,
            grantId(),
            category(),
            amount(),
            txId()));
    t.add(
        event(
            "new GrantExpired",
            a ->
                new GrantExpired(
                    (String) a[0],
                    (TenantId) a[1],
                    (AccountId) a[2],
                    (Instant) a[3],
                    (GrantId) a[4],
                    (Amount) a[5],
                    (Instant) a[6],
                    (TransactionId) a[7]),
            head,
            grantId(),
            amount(),
            instant(),
            txId()));
    t.add(
        event(
            "new CreditsDeducted",
            a ->
                new CreditsDeducted(
                    (String) a[0],
                    (TenantId) a[1],
                    (AccountId) a[2],
                    (Instant) a[3],
                    (GrantCategory) a[4],
                    (Amount) a[5],
                    (TransactionId) a[6]),
            head,
            category(),
            amount(),
            txId()));
    t.add(
        event(
            "new GrantVoided",
            a ->
                new GrantVoided(
                    (String) a[0],
                    (TenantId) a[1],
                    (AccountId) a[2],
                    (Instant) a[3],
                    (GrantId) a[4],
                    (Amount) a[5],
                    (TransactionId) a[6]),
            head,
            grantId(),
            amount(),
            txId()));
    t.add(
        event(
            "new InvoiceCreditsApplied",
            a ->
                new InvoiceCreditsApplied(
                    (String) a[0],
                    (TenantId) a[1],
                    (AccountId) a[2],
                    (Instant) a[3],
                    (String) a[4],
                    (TransactionId) a[5],
                    (Amount) a[6],
                    (Amount) a[7]),
            head,
            text(),
            txId(),
            amount(),
            amount()));
    t.add(
        event(
            "new ReservationCreated",
            a ->
                new ReservationCreated(
                    (String) a[0],
                    (TenantId) a[1],
                    (AccountId) a[2],
                    (Instant) a[3],
                    (ReservationId) a[4],
                    (Amount) a[5],
                    (Instant) a[6],
                    (TransactionId) a[7]),
            head,
            reservationId(),
            amount(),
            instant(),
            txId()));
    t.add(
        event(
            "new ReservationExpired",
            a ->
                new ReservationExpired(
                    (String) a[0],
                    (TenantId) a[1],
                    (AccountId) a[2],
                    (Instant) a[3],
                    (ReservationId) a[4],
                    (Amount) a[5],
                    (Instant) a[6],
                    (TransactionId) a[7]),
            head,
            reservationId(),
            amount(),
            instant(),
            txId()));
    t.add(
        event(
            "new ReservationReleased",
            a ->
                new ReservationReleased(
                    (String) a[0],
                    (TenantId) a[1],
                    (AccountId) a[2],
                    (Instant) a[3],
                    (ReservationId) a[4],
                    (Amount) a[5],
                    (TransactionId) a[6]),
            head,
            reservationId(),
            amount(),
            txId()));
    t.add(
        event(
            "new ReservationSettled",
            a ->
                new ReservationSettled(
                    (String) a[0],
                    (TenantId) a[1],
                    (AccountId) a[2],
                    (Instant) a[3],
                    (ReservationId) a[4],
                    (Amount) a[5],
                    (Amount) a[6],
                    (TransactionId) a[7]),
            head,
            reservationId(),
            amount(),
            amount(),
            txId()));
    return t;
  }

  static Arbitrary<Call> event(
      String name,
      java.util.function.Function<Object[], Object> body,
      Arbitrary<?>[] head,
      Arbitrary<?>... tail) {
    List<Arbitrary<?>> all = new ArrayList<>(Arrays.asList(head));
    all.addAll(Arrays.asList(tail));
    return Call.of(name, body, all.toArray(new Arbitrary<?>[0]));
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
