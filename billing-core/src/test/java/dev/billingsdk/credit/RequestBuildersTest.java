package dev.billingsdk.credit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.metering.Aggregation;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The one creation style of requests: {@code builder(the parts that say what)}, then setters that
 * check their value at once and refuse a second call naming the value already set, then {@code
 * build()}, which refuses a missing required field by name. Each request type is one row below, and
 * so are the two metering values built the same way ({@link UsageEvent}, {@link Meter}).
 */
class RequestBuildersTest {
  private static final TenantId TENANT = TenantId.of("acme");
  private static final AccountId ACCOUNT = AccountId.of("org-1");
  private static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 2);
  private static final Amount TEN = Amount.of(CREDIT, 10);
  private static final Charge CHARGE = Charge.usage("llm", TEN);
  private static final Actor ADMIN = Actor.of("alice", Role.ADMIN);
  private static final IdempotencyKey KEY = IdempotencyKey.of("k-1");

  /** A setter: the field it names, a call with a good value and a call with a refused one. */
  private record Setter<B>(String field, Consumer<B> good, Consumer<B> bad) {}

  /** A request type: a fresh builder, its setters, the fields build() requires, and build(). */
  private record Row<B>(
      Class<?> type,
      Supplier<B> fresh,
      List<Setter<B>> setters,
      List<String> required,
      java.util.function.Function<B, Object> build) {
    String name() {
      return type.getSimpleName();
    }
  }

  private static List<Row<?>> rows() {
    return List.of(
        new Row<ChargeRequest.Builder>(
            ChargeRequest.class,
            () -> ChargeRequest.builder(TENANT, ACCOUNT, CHARGE),
            List.of(
                new Setter<>(
                    "idempotencyKey", b -> b.idempotencyKey(KEY), b -> b.idempotencyKey(null)),
                new Setter<>("actor", b -> b.actor(ADMIN), b -> b.actor(null)),
                new Setter<>("reason", b -> b.reason("usage"), b -> b.reason(" ")),
                new Setter<>(
                    "references",
                    b -> b.references(Map.of("order", "o-1")),
                    b -> b.references(Map.of("order", "\u0000")))),
            List.of("idempotencyKey", "actor", "reason"),
            ChargeRequest.Builder::build),
        new Row<ReserveRequest.Builder>(
            ReserveRequest.class,
            () -> ReserveRequest.builder(TENANT, ACCOUNT, CHARGE),
            List.of(
                new Setter<>(
                    "timeToLive",
                    b -> b.timeToLive(Duration.ofMinutes(5)),
                    b -> b.timeToLive(Duration.ZERO)),
                new Setter<>(
                    "idempotencyKey", b -> b.idempotencyKey(KEY), b -> b.idempotencyKey(null)),
                new Setter<>("actor", b -> b.actor(ADMIN), b -> b.actor(null)),
                new Setter<>("reason", b -> b.reason("hold"), b -> b.reason(""))),
            List.of("timeToLive", "idempotencyKey", "actor", "reason"),
            ReserveRequest.Builder::build),
        new Row<VoidGrantRequest.Builder>(
            VoidGrantRequest.class,
            () -> VoidGrantRequest.builder(TENANT, ACCOUNT, GrantId.of("g-1")),
            List.of(
                new Setter<>(
                    "idempotencyKey", b -> b.idempotencyKey(KEY), b -> b.idempotencyKey(null)),
                new Setter<>("actor", b -> b.actor(ADMIN), b -> b.actor(null)),
                new Setter<>("reason", b -> b.reason("void"), b -> b.reason(null))),
            List.of("idempotencyKey", "actor", "reason"),
            VoidGrantRequest.Builder::build),
        new Row<SettleRequest.Builder>(
            SettleRequest.class,
            () -> SettleRequest.builder(TENANT, ReservationId.of("r-1"), TEN),
            List.of(
                new Setter<>(
                    "idempotencyKey", b -> b.idempotencyKey(KEY), b -> b.idempotencyKey(null)),
                new Setter<>("actor", b -> b.actor(ADMIN), b -> b.actor(null)),
                new Setter<>("reason", b -> b.reason("settle"), b -> b.reason("\t"))),
            List.of("idempotencyKey", "actor", "reason"),
            SettleRequest.Builder::build),
        new Row<ReleaseRequest.Builder>(
            ReleaseRequest.class,
            () -> ReleaseRequest.builder(TENANT, ReservationId.of("r-1")),
            List.of(
                new Setter<>(
                    "idempotencyKey", b -> b.idempotencyKey(KEY), b -> b.idempotencyKey(null)),
                new Setter<>("actor", b -> b.actor(ADMIN), b -> b.actor(null)),
                new Setter<>("reason", b -> b.reason("release"), b -> b.reason(""))),
            List.of("idempotencyKey", "actor", "reason"),
            ReleaseRequest.Builder::build),
        new Row<ReverseRequest.Builder>(
            ReverseRequest.class,
            () -> ReverseRequest.builder(TENANT, ACCOUNT, TransactionId.of("txn-1")),
            List.of(
                new Setter<>("amount", b -> b.amount(TEN), b -> b.amount(Amount.zero(CREDIT))),
                new Setter<>(
                    "idempotencyKey", b -> b.idempotencyKey(KEY), b -> b.idempotencyKey(null)),
                new Setter<>("actor", b -> b.actor(ADMIN), b -> b.actor(null)),
                new Setter<>("reason", b -> b.reason("refund"), b -> b.reason(""))),
            List.of("idempotencyKey", "actor", "reason"),
            ReverseRequest.Builder::build),
        new Row<InvoiceCreditRequest.Builder>(
            InvoiceCreditRequest.class,
            () -> InvoiceCreditRequest.builder(TENANT, ACCOUNT, "inv-1"),
            List.of(
                new Setter<>(
                    "lines",
                    b -> b.lines(List.of(InvoiceLine.usage("l-1", "llm", TEN))),
                    b -> b.lines(List.of())),
                new Setter<>(
                    "idempotencyKey", b -> b.idempotencyKey(KEY), b -> b.idempotencyKey(null)),
                new Setter<>("actor", b -> b.actor(ADMIN), b -> b.actor(null)),
                new Setter<>("reason", b -> b.reason("invoice"), b -> b.reason(""))),
            List.of("lines", "idempotencyKey", "actor", "reason"),
            InvoiceCreditRequest.Builder::build),
        new Row<OpenAccountRequest.Builder>(
            OpenAccountRequest.class,
            () -> OpenAccountRequest.builder(TENANT, ACCOUNT, CREDIT),
            List.of(
                new Setter<>("actor", b -> b.actor(ADMIN), b -> b.actor(null)),
                new Setter<>(
                    "overdraftPolicy",
                    b -> b.overdraftPolicy(OverdraftPolicy.reject()),
                    b -> b.overdraftPolicy(null)),
                new Setter<>(
                    "metadata", b -> b.metadata(Map.of("plan", "pro")), b -> b.metadata(null)),
                new Setter<>(
                    "externalKey",
                    b -> b.externalKey("bob@example.com"),
                    b -> b.externalKey(" x"))),
            List.of("actor"),
            OpenAccountRequest.Builder::build),
        new Row<GrantRequest.Builder>(
            GrantRequest.class,
            () -> GrantRequest.builder(TENANT, ACCOUNT, TEN),
            List.of(
                new Setter<>(
                    "category", b -> b.category(GrantCategory.PROMOTIONAL), b -> b.category(null)),
                new Setter<>("priority", b -> b.priority(10), b -> b.priority(-1)),
                new Setter<>("name", b -> b.name("welcome"), b -> b.name("\u0000")),
                new Setter<>(
                    "expiresAt",
                    b -> b.expiresAt(Instant.parse("2030-01-01T00:00:00Z")),
                    b -> b.expiresAt(null)),
                new Setter<>("scope", b -> b.scope(Scope.everything()), b -> b.scope(null)),
                new Setter<>(
                    "idempotencyKey", b -> b.idempotencyKey(KEY), b -> b.idempotencyKey(null)),
                new Setter<>("actor", b -> b.actor(ADMIN), b -> b.actor(null)),
                new Setter<>("reason", b -> b.reason("welcome"), b -> b.reason(""))),
            List.of("idempotencyKey", "actor", "reason"),
            GrantRequest.Builder::build),
        new Row<UsageEvent.Builder>(
            UsageEvent.class,
            () -> UsageEvent.builder(TENANT, ACCOUNT, "llm-tokens"),
            List.of(
                new Setter<>("id", b -> b.id("evt-1"), b -> b.id(" evt-1")),
                new Setter<>(
                    "quantity",
                    b -> b.quantity(new BigDecimal("1200")),
                    b -> b.quantity(new BigDecimal("-1"))),
                new Setter<>(
                    "occurredAt",
                    b -> b.occurredAt(Instant.parse("2026-11-02T09:15:00Z")),
                    b -> b.occurredAt(null)),
                new Setter<>(
                    "dimensions.model",
                    b -> b.dimension("model", "gpt-4o"),
                    b -> b.dimension("model", "gpt-4o ")),
                new Setter<>(
                    "dimensions",
                    b -> b.dimensions(Map.of("direction", "input")),
                    b -> b.dimensions(Map.of("direction", "\u0000")))),
            List.of("id", "quantity", "occurredAt"),
            UsageEvent.Builder::build),
        new Row<Meter.Builder>(
            Meter.class,
            () -> Meter.builder(TENANT, "gpu-time", Aggregation.RUNNING_TIME),
            List.of(
                new Setter<>("unit", b -> b.unit("seconds"), b -> b.unit("")),
                new Setter<>(
                    "dimensions",
                    b -> b.dimensions("deployment", "gpu"),
                    b -> b.dimensions("gpu", "gpu")),
                new Setter<>(
                    "keyDimension", b -> b.keyDimension("deployment"), b -> b.keyDimension(null)),
                new Setter<>(
                    "heartbeatTimeout",
                    b -> b.heartbeatTimeout(Duration.ofSeconds(90)),
                    b -> b.heartbeatTimeout(Duration.ofMillis(500)))),
            List.of("unit", "keyDimension"),
            Meter.Builder::build));
  }

  @TestFactory
  Stream<DynamicTest> every_setter_refuses_a_second_call_naming_the_value_already_set() {
    return rows().stream().flatMap(RequestBuildersTest::secondCalls);
  }

  private static <B> Stream<DynamicTest> secondCalls(Row<B> row) {
    return row.setters().stream()
        .map(
            s ->
                DynamicTest.dynamicTest(
                    row.name() + "." + s.field(),
                    () -> {
                      B builder = row.fresh().get();
                      s.good().accept(builder);
                      assertThatThrownBy(() -> s.good().accept(builder))
                          .isInstanceOfSatisfying(
                              InvalidRequestException.class,
                              e -> {
                                assertThat(e.field()).isEqualTo(s.field());
                                assertThat(e.getMessage()).contains("was already set to");
                              });
                    }));
  }

  @TestFactory
  Stream<DynamicTest> every_setter_refuses_a_bad_value_at_once_naming_its_field() {
    return rows().stream().flatMap(RequestBuildersTest::badValues);
  }

  private static <B> Stream<DynamicTest> badValues(Row<B> row) {
    return row.setters().stream()
        .map(
            s ->
                DynamicTest.dynamicTest(
                    row.name() + "." + s.field(),
                    () -> {
                      B builder = row.fresh().get();
                      assertThatThrownBy(() -> s.bad().accept(builder))
                          .isInstanceOfSatisfying(
                              InvalidRequestException.class,
                              e -> assertThat(e.field()).startsWith(s.field()));
                      // The refused value was not kept: the field can still be set once.
                      s.good().accept(builder);
                    }));
  }

  @TestFactory
  Stream<DynamicTest> build_names_each_missing_required_field() {
    return rows().stream().flatMap(RequestBuildersTest::missing);
  }

  private static <B> Stream<DynamicTest> missing(Row<B> row) {
    return row.required().stream()
        .map(
            field ->
                DynamicTest.dynamicTest(
                    row.name() + " without " + field,
                    () -> {
                      B builder = row.fresh().get();
                      row.setters().stream()
                          .filter(s -> !s.field().equals(field))
                          .forEach(s -> s.good().accept(builder));
                      assertThatThrownBy(() -> row.build().apply(builder))
                          .isInstanceOfSatisfying(
                              InvalidRequestException.class,
                              e -> {
                                assertThat(e.field()).isEqualTo(field);
                                assertThat(e.getMessage()).contains("is required");
                              });
                    }));
  }

  @TestFactory
  Stream<DynamicTest> a_complete_builder_builds_what_it_was_given() {
    return rows().stream()
        .map(
            row ->
                DynamicTest.dynamicTest(
                    row.name(),
                    () -> {
                      Object request = build(row);
                      assertThat(request.toString()).startsWith(row.name() + "[");
                    }));
  }

  private static <B> Object build(Row<B> row) {
    B builder = row.fresh().get();
    row.setters().forEach(s -> s.good().accept(builder));
    return row.build().apply(builder);
  }

  @Test
  void the_builders_carry_their_values_into_the_request() {
    ReverseRequest all =
        ReverseRequest.builder(TENANT, ACCOUNT, TransactionId.of("txn-1"))
            .idempotencyKey(KEY)
            .actor(ADMIN)
            .reason("refund")
            .build();
    assertThat(all.amount()).isEmpty();
    assertThat(all.original()).isEqualTo(TransactionId.of("txn-1"));

    OpenAccountRequest open =
        OpenAccountRequest.builder(TENANT, ACCOUNT, CREDIT).actor(ADMIN).build();
    assertThat(open.overdraftPolicy()).isEqualTo(OverdraftPolicy.reject());
    assertThat(open.metadata()).isEmpty();
    assertThat(open.externalKey()).isEqualTo(Optional.empty());

    ChargeRequest charge =
        ChargeRequest.builder(TENANT, ACCOUNT, CHARGE)
            .idempotencyKey(KEY)
            .actor(ADMIN)
            .reason("usage")
            .references(Map.of("order", "o-1"))
            .build();
    assertThat(charge.references()).containsEntry("order", "o-1");
    assertThat(charge.charge()).isEqualTo(CHARGE);
    assertThat(charge.toString()).doesNotContain("usage").contains("k-1");
  }

  @Test
  void the_parts_given_to_builder_are_checked_at_once() {
    assertThatThrownBy(() -> ChargeRequest.builder(TENANT, null, CHARGE))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("account"));
    assertThatThrownBy(() -> SettleRequest.builder(TENANT, ReservationId.of("r"), TEN.negate()))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("actual"));
    assertThatThrownBy(() -> InvoiceCreditRequest.builder(TENANT, ACCOUNT, " inv"))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("invoice"));
  }

  @Test
  void no_request_type_has_a_public_constructor_and_each_has_a_builder() throws Exception {
    for (Row<?> row : rows()) {
      Class<?> type = row.type();
      assertThat(Arrays.stream(type.getDeclaredConstructors()))
          .as(row.name() + " constructors")
          .noneMatch(c -> Modifier.isPublic(c.getModifiers()));
      assertThat(
              Modifier.isPublic(type.getMethod("builder", builderParameters(type)).getModifiers()))
          .isTrue();
    }
  }

  private static Class<?>[] builderParameters(Class<?> type) {
    return Arrays.stream(type.getMethods())
        .filter(m -> m.getName().equals("builder"))
        .findFirst()
        .orElseThrow(() -> new AssertionError(type.getSimpleName() + " has no builder"))
        .getParameterTypes();
  }
}
