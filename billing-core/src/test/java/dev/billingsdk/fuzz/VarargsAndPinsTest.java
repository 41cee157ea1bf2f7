package dev.billingsdk.fuzz;

import static dev.billingsdk.fuzz.Hostile.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Role;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.ItemRef;
import dev.billingsdk.credit.ReverseRequest;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.ledger.TransactionFilter;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.metering.Aggregation;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.MeterPrice;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.Rational;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Varargs take no null and no repeat: a repeated value is refused naming the field and the value,
 * never silently dropped. And the hostile inputs issue 19 reported, pinned one by one.
 */
class VarargsAndPinsTest {

  /** A varargs entry point given {@code value} twice, and the field it must name. */
  record Twice(String field, String value, ThrowingCallable call) {
    @Override
    public String toString() {
      return field + " twice " + value;
    }
  }

  @Property(tries = 1_000)
  void a_value_repeated_in_varargs_is_refused_naming_the_field_and_the_value(
      @ForAll("twice") Twice twice) {
    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class, twice.call());
    assertThat(e).as("%s must be refused", twice).isNotNull();
    assertThat(e.field()).isEqualTo(twice.field());
    assertThat(e.value()).isEqualTo(twice.value());
  }

  @Provide
  Arbitrary<Twice> twice() {
    Arbitrary<String> dim =
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
    return Arbitraries.oneOf(
        Arbitraries.of(Role.class)
            .map(r -> new Twice("roles", r.name(), () -> Actor.of("bob", r, r))),
        Arbitraries.of(ChargeKind.class)
            .map(k -> new Twice("scope.kinds", k.name(), () -> Scope.kinds(k, k))),
        Arbitraries.of(ChargeKind.class)
            .map(k -> new Twice("scope.kinds", k.name(), () -> Scope.everything().plusKinds(k, k))),
        dim.map(m -> new Twice("scope.meters", m, () -> Scope.meters(m, "other-meter", m))),
        dim.map(
            m ->
                new Twice(
                    "scope.items",
                    "USAGE:" + m,
                    () -> Scope.items(ItemRef.meter(m), ItemRef.meter(m)))),
        Arbitraries.of(TransactionType.class)
            .map(t -> new Twice("types", t.name(), () -> TransactionFilter.all().types(t, t))),
        dim.map(
            d ->
                new Twice(
                    "dimensions",
                    d,
                    () ->
                        Meter.builder(ACME, "m", Aggregation.SUM)
                            .unit("u")
                            .dimensions(d, d)
                            .build())),
        dim.map(
            d ->
                new Twice(
                    "dimensions",
                    d,
                    () -> Meter.builder(ACME, "m", Aggregation.SUM).dimension(d).dimension(d))),
        dim.map(
            d ->
                new Twice(
                    "dimensions",
                    d,
                    () ->
                        Meter.builder(ACME, "m", Aggregation.RUNNING_TIME)
                            .dimension(d)
                            .dimensions("zone", d))));
  }

  static InvalidRequestException refused(ThrowingCallable call, String field) {
    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class, call);
    assertThat(e).as("expected a refusal naming %s", field).isNotNull();
    assertThat(e.field()).isEqualTo(field);
    return e;
  }

  @Example
  void the_reported_inputs_are_refused_naming_their_field() {
    refused(() -> Actor.of("bob", Role.ADMIN, Role.ADMIN), "roles");
    refused(() -> Actor.of("bob", (Role) null), "roles[0]");
    refused(() -> Actor.of("bob", Role.ADMIN, (Role[]) null), "roles");
    refused(
        () ->
            Meter.builder(ACME, "m", Aggregation.SUM)
                .unit("u")
                .dimensions("model", "model")
                .build(),
        "dimensions");
    refused(
        () ->
            Meter.builder(ACME, "m", Aggregation.SUM).unit("u").dimensions((String[]) null).build(),
        "dimensions");
    refused(() -> Scope.meters((String[]) null), "scope.meters");
    refused(() -> Scope.kinds(ChargeKind.USAGE, null), "scope.kinds[1]");
    refused(
        () -> TransactionFilter.all().types(TransactionType.GRANT, (TransactionType[]) null),
        "types");
    refused(() -> TransactionFilter.all().types(null), "types");
    refused(
        () ->
            ReverseRequest.builder(ACME, ADA, TransactionId.of("t"))
                .amount(null)
                .idempotencyKey(IdempotencyKey.of("k"))
                .actor(Actor.system("s"))
                .reason("refund")
                .build(),
        "amount");
    refused(() -> Amount.of(CREDIT, new BigDecimal(BigInteger.ONE, Integer.MIN_VALUE)), "value");
    refused(() -> Amount.of(CREDIT, new BigDecimal(BigInteger.ONE, Integer.MAX_VALUE)), "value");
    refused(() -> Amount.of(CREDIT, "1e100000000"), "value");
    refused(() -> Amount.of(CREDIT, "١٢٣"), "value");
    refused(() -> Amount.of(CREDIT, "NaN"), "value");
    refused(() -> MeterPrice.in(CREDIT).includedPerPeriod("١٢٣"), "includedPerPeriod");
    refused(() -> Rational.ONE.dividedBy(Rational.ZERO), "divisor");
    for (Instant hostile : new Instant[] {Instant.MIN, Instant.MAX}) {
      refused(
          () ->
              GrantRequest.builder(ACME, ADA, Amount.ofMinor(CREDIT, 1))
                  .effectiveFrom(hostile)
                  .idempotencyKey(IdempotencyKey.of("k"))
                  .actor(Actor.system("s"))
                  .reason("r")
                  .build(),
          "effectiveFrom");
    }
  }

  @Example
  void misuse_of_the_entry_point_is_refused_typed_naming_the_setting() {
    refused(
        () ->
            dev.billingsdk.setup.Billing.builder()
                .clock(java.time.Clock.systemUTC())
                .clock(java.time.Clock.systemUTC()),
        "clock");
    refused(
        () -> dev.billingsdk.setup.Billing.builder().maxAttempts(3).maxAttempts(4), "maxAttempts");
    dev.billingsdk.setup.Billing withoutMetering =
        dev.billingsdk.setup.Billing.builder()
            .store(dev.billingsdk.memory.InMemoryBillingStore.create())
            .build();
    refused(withoutMetering::metering, "metering");
    refused(withoutMetering::deductions, "metering");
    refused(
        () ->
            dev.billingsdk.ledger.LedgerAccount.counter(
                    dev.billingsdk.ledger.LedgerAccount.Kind.ISSUED)
                .grant(),
        "ledgerAccount");
  }
}
