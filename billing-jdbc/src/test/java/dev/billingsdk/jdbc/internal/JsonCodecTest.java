package dev.billingsdk.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingsdk.AccountId;
import dev.billingsdk.GrantId;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.CostBasis;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.ItemRef;
import dev.billingsdk.credit.ReservationId;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.event.BalanceBelowThreshold;
import dev.billingsdk.event.BalanceRecovered;
import dev.billingsdk.event.BillingEvent;
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
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Price;
import dev.billingsdk.money.Unit;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonCodecTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static final CurrencyUnit USD = CurrencyUnit.of("USD");
  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 4);
  static final TenantId TENANT = TenantId.of("acme-eu");
  static final AccountId ACCOUNT = AccountId.of("org_7Hq2 (team plan)");
  static final Instant AT = Instant.parse("2024-03-05T10:15:30.123456789Z");

  static Amount credits(long minor) {
    return Amount.ofMinor(CREDIT, minor);
  }

  /** One realistic value of every event type, every component set to something non-default. */
  static List<BillingEvent> samples() {
    return List.of(
        new GrantCreated(
            "tx-0001/grant-created",
            TENANT,
            ACCOUNT,
            AT,
            GrantId.of("grant-2024-03-purchase"),
            GrantCategory.PURCHASED,
            credits(1_000_000),
            TransactionId.of("tx-0001")),
        new GrantVoided(
            "tx-0002/grant-voided",
            TENANT,
            ACCOUNT,
            AT.plusSeconds(60),
            GrantId.of("grant-2024-03-promo"),
            credits(2_500),
            TransactionId.of("tx-0002")),
        new GrantExpired(
            "tx-0003/grant-expired",
            TENANT,
            ACCOUNT,
            Instant.parse("2024-04-01T00:00:05Z"),
            GrantId.of("grant-2024-02-allowance"),
            credits(12_345),
            Instant.parse("2024-04-01T00:00:00Z"),
            TransactionId.of("tx-0003")),
        new ChargePosted(
            "tx-0004/charge-posted",
            TENANT,
            ACCOUNT,
            AT.plusMillis(1),
            TransactionId.of("tx-0004"),
            TransactionType.USAGE_DEBIT,
            ChargeKind.USAGE,
            "gpt-4o.input",
            credits(900),
            credits(750)),
        new DebitReversed(
            "tx-0005/debit-reversed",
            TENANT,
            ACCOUNT,
            AT.plusSeconds(3600),
            TransactionId.of("tx-0005"),
            TransactionId.of("tx-0004"),
            credits(300)),
        new InvoiceCreditsApplied(
            "tx-0006/invoice-credits-applied",
            TENANT,
            ACCOUNT,
            AT.plusSeconds(7200),
            "in_1OxYz2Abc",
            TransactionId.of("tx-0006"),
            Amount.ofMinor(USD, 4_200),
            Amount.ofMinor(USD, 799)),
        new ReservationCreated(
            "tx-0007/reservation-created",
            TENANT,
            ACCOUNT,
            AT.plusSeconds(5),
            ReservationId.of("res-job-42"),
            credits(5_000),
            AT.plusSeconds(905),
            TransactionId.of("tx-0007")),
        new ReservationSettled(
            "tx-0008/reservation-settled",
            TENANT,
            ACCOUNT,
            AT.plusSeconds(65),
            ReservationId.of("res-job-42"),
            credits(5_000),
            credits(4_321),
            TransactionId.of("tx-0008")),
        new ReservationReleased(
            "tx-0009/reservation-released",
            TENANT,
            ACCOUNT,
            AT.plusSeconds(70),
            ReservationId.of("res-job-43"),
            credits(1_000),
            TransactionId.of("tx-0009")),
        new ReservationExpired(
            "tx-0010/reservation-expired",
            TENANT,
            ACCOUNT,
            AT.plusSeconds(1000),
            ReservationId.of("res-job-44"),
            credits(2_000),
            AT.plusSeconds(905),
            TransactionId.of("tx-0010")),
        new BalanceBelowThreshold(
            "tx-0011/balance-below-threshold",
            TENANT,
            ACCOUNT,
            AT.plusSeconds(1100),
            credits(-150),
            credits(10_000),
            TransactionId.of("tx-0011")),
        new BalanceRecovered(
            "tx-0012/balance-recovered",
            TENANT,
            ACCOUNT,
            AT.plusSeconds(1200),
            credits(50_000),
            credits(20_000),
            TransactionId.of("tx-0012")),
        new dev.billingsdk.event.PurchaseUpdated(
            "purchase:t:p-1:REFUNDED:3",
            TENANT,
            ACCOUNT,
            AT.plusSeconds(1300),
            dev.billingsdk.purchase.PurchaseId.of("p-1"),
            dev.billingsdk.event.PurchaseUpdated.Change.REFUNDED,
            dev.billingsdk.purchase.PurchaseState.PARTIALLY_REFUNDED,
            dev.billingsdk.money.Amount.of(dev.billingsdk.money.CurrencyUnit.of("USD"), "15.00"),
            credits(1_500),
            "refund re_1"),
        new dev.billingsdk.event.SubscriptionUpdated(
            "subscription:t:s-1:4",
            TENANT,
            ACCOUNT,
            AT.plusSeconds(1400),
            dev.billingsdk.subscription.SubscriptionId.of("s-1"),
            dev.billingsdk.subscription.SubscriptionChange.Kind.PAYMENT_FAILED,
            dev.billingsdk.subscription.SubscriptionState.PAST_DUE,
            "période 1, tentative 1: card_declined ✓"),
        new dev.billingsdk.event.TopUpUpdated(
            "top-up:t:acct-topup-2:DISABLED",
            TENANT,
            ACCOUNT,
            AT.plusSeconds(1500),
            dev.billingsdk.purchase.PurchaseId.of("acct-topup-2"),
            dev.billingsdk.topup.TopUpOutcome.Result.DISABLED,
            "declined insufficient_funds"),
        new dev.billingsdk.event.StatementClosed(
            "statement-closed:t:acct:2026-10",
            TENANT,
            ACCOUNT,
            AT.plusSeconds(1600),
            java.time.YearMonth.of(2026, 10),
            dev.billingsdk.money.Amount.ofMinor(
                dev.billingsdk.money.CreditUnit.of("CREDIT", 2), -1_234),
            dev.billingsdk.money.Amount.ofMinor(
                dev.billingsdk.money.CreditUnit.of("CREDIT", 2), 987_654)),
        new CreditsDeducted(
            "tx-0900/credits-deducted",
            TENANT,
            ACCOUNT,
            AT.plusSeconds(90),
            GrantCategory.of("GOODWILL"),
            credits(1_250),
            TransactionId.of("tx-0900")));
  }

  static JsonNode tree(String json) throws Exception {
    return JSON.readTree(json);
  }

  // ---------------------------------------------------------------- events

  @ParameterizedTest
  @MethodSource("samples")
  void every_event_type_round_trips_exactly(BillingEvent event) throws Exception {
    String json = JsonCodec.event(event);

    assertThat(JsonCodec.event(json)).isEqualTo(event);
    assertThat(tree(json).get("type").textValue()).isEqualTo(event.getClass().getSimpleName());
    assertThat(JsonCodec.eventType(event)).isEqualTo(event.getClass().getSimpleName());
    assertThat(JsonCodec.event(json)).isNotSameAs(event);
    // Stable and charset-proof.
    assertThat(JsonCodec.event(JsonCodec.event(json))).isEqualTo(json);
    assertThat(json).matches("[\\x20-\\x7f]*");
  }

  @Test
  void every_permitted_event_type_has_a_sample_so_none_lacks_a_codec() {
    Set<Class<?>> sampled =
        samples().stream().map(BillingEvent::getClass).collect(Collectors.toSet());

    assertThat(sampled)
        .containsExactlyInAnyOrderElementsOf(
            Arrays.asList(BillingEvent.class.getPermittedSubclasses()));
  }

  @Test
  void every_record_component_appears_as_a_field() throws Exception {
    for (BillingEvent event : samples()) {
      JsonNode json = tree(JsonCodec.event(event));
      Set<String> fields =
          json.properties().stream().map(Map.Entry::getKey).collect(Collectors.toSet());
      Set<String> components =
          Arrays.stream(event.getClass().getRecordComponents())
              .map(c -> c.getName().equals("type") ? "transactionType" : c.getName())
              .collect(Collectors.toSet());
      components.add("type");

      assertThat(fields).as(event.getClass().getSimpleName()).isEqualTo(components);
    }
  }

  @Test
  void an_event_is_written_in_the_documented_shape() {
    assertThat(JsonCodec.event(samples().get(0)))
        .isEqualTo(
            "{\"type\":\"GrantCreated\",\"id\":\"tx-0001/grant-created\",\"tenant\":\"acme-eu\","
                + "\"account\":\"org_7Hq2 (team plan)\","
                + "\"occurredAt\":\"2024-03-05T10:15:30.123456Z\","
                + "\"grant\":\"grant-2024-03-purchase\",\"category\":\"PURCHASED\","
                + "\"amount\":{\"unit\":\"CREDIT\",\"currency\":false,\"scale\":4,"
                + "\"minor\":1000000},\"transaction\":\"tx-0001\"}");
  }

  @Test
  void charge_posted_keeps_its_transaction_type_apart_from_the_discriminator() throws Exception {
    JsonNode json = tree(JsonCodec.event(samples().get(3)));

    assertThat(json.get("type").textValue()).isEqualTo("ChargePosted");
    assertThat(json.get("transactionType").textValue()).isEqualTo("USAGE_DEBIT");
  }

  @Test
  void components_the_records_allow_to_be_null_round_trip_as_json_null() throws Exception {
    List<BillingEvent> sparse =
        List.of(
            new ChargePosted(
                "tx-0004/charge-posted", TENANT, ACCOUNT, AT, null, null, null, null, null, null),
            new GrantExpired("e1", TENANT, ACCOUNT, AT, null, null, null, null),
            new BalanceRecovered("e2", TENANT, ACCOUNT, AT, null, null, null));
    for (BillingEvent event : sparse) {
      String json = JsonCodec.event(event);

      assertThat(JsonCodec.event(json)).isEqualTo(event);
      assertThat(tree(json).get("transaction").isNull()).isTrue();
    }
  }

  @Test
  void decoding_ignores_key_order_and_white_space_as_a_jsonb_column_returns_them() {
    String jsonb =
        "{\"id\": \"tx-0001/grant-created\", \"type\": \"GrantCreated\", \"grant\":"
            + " \"grant-2024-03-purchase\", \"amount\": {\"unit\": \"CREDIT\", \"minor\":"
            + " 1000000, \"scale\": 4, \"currency\": false}, \"tenant\": \"acme-eu\","
            + " \"account\": \"org_7Hq2 (team plan)\", \"category\": \"PURCHASED\","
            + " \"occurredAt\": \"2024-03-05T10:15:30.123456789Z\", \"transaction\": \"tx-0001\"}";

    assertThat(JsonCodec.event(jsonb)).isEqualTo(samples().get(0));
  }

  @Test
  void unknown_extra_fields_are_ignored() {
    String json = JsonCodec.event(samples().get(4));
    String extended = json.substring(0, json.length() - 1) + ",\"addedLater\":[1,2]}";

    assertThat(JsonCodec.event(extended)).isEqualTo(samples().get(4));
  }

  // ---------------------------------------------------------------- metadata

  @Test
  void metadata_round_trips_awkward_text() {
    Map<String, String> metadata = new HashMap<>();
    metadata.put("plan", "team");
    metadata.put("unicode", "Grüße, 東京, Ελληνικά, emoji 🚀");
    metadata.put("quotes", "she said \"hi\" and 'bye'");
    metadata.put("backslashes", "C:\\billing\\new\\u0041 \\\\");
    metadata.put("newlines", "line one\nline two\r\n\ttabbed");
    metadata.put("control", "nul \u0000 bell \u0007 del \u007f");
    metadata.put("lone surrogate", "half \ud83d of a pair");
    metadata.put("empty", "");
    metadata.put("clé ✓", "key with unicode and spaces");
    metadata.put("{\"json\":\"in a key\"}", "[1,2]");

    String json = JsonCodec.metadata(metadata);

    assertThat(JsonCodec.metadata(json)).isEqualTo(metadata);
    assertThat(json).matches("[\\x20-\\x7f]*");
  }

  @Test
  void empty_metadata_is_an_empty_object() {
    assertThat(JsonCodec.metadata(Map.of())).isEqualTo("{}");
    assertThat(JsonCodec.metadata("{}")).isEmpty();
  }

  @Test
  void metadata_keys_are_sorted_whatever_the_map_order() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("zeta", "1");
    a.put("alpha", "2");
    a.put("mid", "3");
    Map<String, String> b = new LinkedHashMap<>();
    b.put("mid", "3");
    b.put("alpha", "2");
    b.put("zeta", "1");

    assertThat(JsonCodec.metadata(a))
        .isEqualTo(JsonCodec.metadata(b))
        .isEqualTo("{\"alpha\":\"2\",\"mid\":\"3\",\"zeta\":\"1\"}");
    assertThat(JsonCodec.metadata(JsonCodec.metadata(a)).keySet())
        .containsExactly("alpha", "mid", "zeta");
  }

  @Test
  void metadata_values_must_be_strings() {
    assertThatThrownBy(() -> JsonCodec.metadata("{\"a\":1}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("metadata")
        .hasMessageContaining("a must be a string");
    assertThatThrownBy(() -> JsonCodec.metadata("{\"a\":null}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonCodec.metadata("{\"a\":{\"b\":\"c\"}}"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---------------------------------------------------------------- metering dimensions

  @Test
  void dimension_values_round_trip_awkward_text_as_sorted_ascii() {
    Map<String, String> dimensions = new LinkedHashMap<>();
    dimensions.put("region", "eu-west-1");
    dimensions.put("note", "a=b;c\\d \"q\" 日本 ' %_ 🚀");
    dimensions.put("lone", "half \ud83d of a pair");
    dimensions.put("model", "gpt-x");

    String json = JsonCodec.dimensions(dimensions);

    assertThat(JsonCodec.dimensions(json)).isEqualTo(dimensions);
    assertThat(JsonCodec.dimensions(json).keySet())
        .containsExactly("lone", "model", "note", "region");
    assertThat(json).matches("[\\x20-\\x7f]*").startsWith("{\"lone\":");
    assertThat(JsonCodec.dimensions(Map.of())).isEqualTo("{}");
    assertThat(JsonCodec.dimensions("{}")).isEmpty();
    assertThat(JsonCodec.dimensions("{ \"b\": \"2\", \"a\": \"1\" }"))
        .as("as a jsonb column hands it back")
        .containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
  }

  @Test
  void dimension_names_are_a_sorted_array_of_strings() {
    String json = JsonCodec.dimensionNames(List.of("region", "model", "gpu-type"));

    assertThat(json).isEqualTo("[\"gpu-type\",\"model\",\"region\"]");
    assertThat(JsonCodec.dimensionNames(json)).containsExactly("gpu-type", "model", "region");
    assertThat(JsonCodec.dimensionNames(JsonCodec.dimensionNames(Set.of()))).isEmpty();
    assertThat(JsonCodec.dimensionNames("[ \"b\" , \"a\" ]")).containsExactly("a", "b");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{}", "null", "\"a\"", "[1]", "[null]", "[\"a\",\"a\"]", "[] []"})
  void dimension_names_that_are_not_an_array_of_distinct_strings_are_corrupt(String json) {
    assertThatThrownBy(() -> JsonCodec.dimensionNames(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("stored dimension names");
  }

  @Test
  void dimension_values_must_be_strings() {
    assertThatThrownBy(() -> JsonCodec.dimensions("{\"model\":1}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("stored dimensions")
        .hasMessageContaining("model must be a string");
    assertThatThrownBy(() -> JsonCodec.dimensions("[]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("stored dimensions");
  }

  @Property(tries = 500)
  void random_dimension_values_round_trip_exactly(
      @ForAll("metadataMaps") Map<String, String> dimensions) {
    String json = JsonCodec.dimensions(dimensions);

    assertThat(JsonCodec.dimensions(json)).isEqualTo(dimensions);
    assertThat(json).isEqualTo(JsonCodec.metadata(dimensions));
  }

  // ---------------------------------------------------------------- scope

  static Stream<Scope> scopes() {
    return Stream.of(
        Scope.everything(),
        Scope.allUsageMeters(),
        Scope.kinds(ChargeKind.LICENCE, ChargeKind.FIXED_FEE, ChargeKind.ADD_ON, ChargeKind.USAGE),
        Scope.meters("gpt-4o.output", "gpt-4o.input"),
        Scope.items(ItemRef.of(ChargeKind.ADD_ON, "sso"), ItemRef.meter("storage.gb-month")),
        Scope.items(ItemRef.meter("gpt-4o.input"))
            .plusKinds(ChargeKind.FIXED_FEE, ChargeKind.LICENCE));
  }

  @ParameterizedTest
  @MethodSource("scopes")
  void scopes_round_trip_exactly(Scope scope) {
    String json = JsonCodec.scope(scope);

    assertThat(JsonCodec.scope(json)).isEqualTo(scope);
    assertThat(JsonCodec.scope(JsonCodec.scope(json))).isEqualTo(json);
  }

  @Test
  void scopes_are_written_sorted() {
    assertThat(JsonCodec.scope(Scope.everything())).isEqualTo("{\"everything\":true}");
    assertThat(
            JsonCodec.scope(
                Scope.items(
                        ItemRef.meter("gpt-4o.output"),
                        ItemRef.of(ChargeKind.ADD_ON, "sso"),
                        ItemRef.meter("gpt-4o.input"))
                    .plusKinds(ChargeKind.USAGE, ChargeKind.ADD_ON)))
        .isEqualTo(
            "{\"kinds\":[\"ADD_ON\",\"USAGE\"],\"items\":["
                + "{\"kind\":\"ADD_ON\",\"code\":\"sso\"},"
                + "{\"kind\":\"USAGE\",\"code\":\"gpt-4o.input\"},"
                + "{\"kind\":\"USAGE\",\"code\":\"gpt-4o.output\"}]}");
  }

  @Test
  void a_scope_may_leave_out_what_it_does_not_use() {
    assertThat(JsonCodec.scope("{\"kinds\":[\"USAGE\"]}")).isEqualTo(Scope.allUsageMeters());
    assertThat(JsonCodec.scope("{\"items\":[{\"code\":\"sso\",\"kind\":\"ADD_ON\"}]}"))
        .isEqualTo(Scope.items(ItemRef.of(ChargeKind.ADD_ON, "sso")));
  }

  @Test
  void a_scope_the_domain_refuses_is_corrupt() {
    assertThatThrownBy(() -> JsonCodec.scope("{}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scope");
    assertThatThrownBy(() -> JsonCodec.scope("{\"everything\":true,\"kinds\":[\"USAGE\"]}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonCodec.scope("{\"kinds\":[\"PARKING\"]}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kinds must name a ChargeKind");
    assertThatThrownBy(() -> JsonCodec.scope("{\"items\":[{\"kind\":\"USAGE\"}]}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("items.code is missing");
    assertThatThrownBy(() -> JsonCodec.scope("{\"kinds\":\"USAGE\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kinds must be an array");
  }

  // ---------------------------------------------------------------- cost basis

  @Test
  void a_free_cost_basis_is_an_empty_object() {
    assertThat(JsonCodec.costBasis(CostBasis.free())).isEqualTo("{}");
    assertThat(JsonCodec.costBasis("{}")).isEqualTo(CostBasis.free());
    assertThat(JsonCodec.costBasis("{\"price\":null}")).isEqualTo(CostBasis.free());
  }

  @Test
  void a_paid_cost_basis_round_trips_its_price() {
    // USD 1.00 buys 100 credits.
    CostBasis paid =
        CostBasis.paid(Price.of(Amount.ofMinor(USD, 100), Amount.ofMinor(CREDIT, 1_000_000)));
    String json = JsonCodec.costBasis(paid);

    assertThat(JsonCodec.costBasis(json)).isEqualTo(paid);
    assertThat(json)
        .isEqualTo(
            "{\"price\":{\"cost\":{\"unit\":\"USD\",\"currency\":true,\"scale\":2,\"minor\":100},"
                + "\"per\":{\"unit\":\"CREDIT\",\"currency\":false,\"scale\":4,"
                + "\"minor\":1000000}}}");

    CostBasis zeroCost =
        CostBasis.paid(
            Price.of(Amount.ofMinor(CurrencyUnit.of("JPY"), 0), Amount.ofMinor(CREDIT, 1)));
    assertThat(JsonCodec.costBasis(JsonCodec.costBasis(zeroCost))).isEqualTo(zeroCost);
  }

  @Test
  void a_price_the_domain_refuses_is_corrupt() {
    String sameUnits =
        "{\"price\":{\"cost\":{\"unit\":\"USD\",\"currency\":true,\"scale\":2,\"minor\":1},"
            + "\"per\":{\"unit\":\"USD\",\"currency\":true,\"scale\":2,\"minor\":1}}}";
    assertThatThrownBy(() -> JsonCodec.costBasis(sameUnits))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cost basis");
    assertThatThrownBy(() -> JsonCodec.costBasis("{\"price\":{\"cost\":null}}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("price.per is missing");
  }

  // ---------------------------------------------------------------- amounts

  static Stream<Amount> amounts() {
    List<Unit> units =
        List.of(
            USD,
            CurrencyUnit.of("JPY"),
            CurrencyUnit.of("KWD"),
            CreditUnit.of("credits", 0),
            CreditUnit.of("credits", 2),
            CreditUnit.of("CREDIT", CreditUnit.MAX_SCALE),
            CreditUnit.of("gpu-seconds_v2", 12));
    return units.stream()
        .flatMap(
            u ->
                Stream.of(0L, 1L, -1L, 12_345L, Long.MAX_VALUE, Long.MIN_VALUE + 1, Long.MIN_VALUE)
                    .map(m -> Amount.ofMinor(u, m)));
  }

  @ParameterizedTest
  @MethodSource("amounts")
  void amounts_round_trip_exactly(Amount amount) throws Exception {
    String json = JsonCodec.amount(amount);

    assertThat(JsonCodec.amount(json)).isEqualTo(amount);
    assertThat(tree(json).get("minor").isIntegralNumber()).isTrue();
    assertThat(tree(json).get("minor").asText()).isEqualTo(Long.toString(amount.minor()));
  }

  @Test
  void amounts_are_written_in_the_documented_shape() {
    assertThat(JsonCodec.amount(Amount.ofMinor(USD, 12_345)))
        .isEqualTo("{\"unit\":\"USD\",\"currency\":true,\"scale\":2,\"minor\":12345}");
    assertThat(JsonCodec.amount(Amount.ofMinor(CreditUnit.of("credits", 2), 5)))
        .isEqualTo("{\"unit\":\"credits\",\"currency\":false,\"scale\":2,\"minor\":5}");
    assertThat(JsonCodec.amount(Amount.ofMinor(USD, Long.MAX_VALUE)))
        .endsWith("\"minor\":9223372036854775807}");
  }

  @Test
  void a_currency_takes_its_scale_from_the_currency_and_a_credit_unit_from_the_document() {
    assertThat(JsonCodec.amount("{\"unit\":\"JPY\",\"currency\":true,\"scale\":2,\"minor\":500}"))
        .isEqualTo(Amount.ofMinor(CurrencyUnit.of("JPY"), 500));
    assertThat(
            JsonCodec.amount("{\"unit\":\"credits\",\"currency\":false,\"scale\":3,\"minor\":5}"))
        .isNotEqualTo(Amount.ofMinor(CreditUnit.of("credits", 2), 5))
        .isEqualTo(Amount.ofMinor(CreditUnit.of("credits", 3), 5));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"unit\":\"USD\",\"currency\":true,\"scale\":2,\"minor\":9223372036854775808}",
        "{\"unit\":\"USD\",\"currency\":true,\"scale\":2,\"minor\":-9223372036854775809}",
        "{\"unit\":\"USD\",\"currency\":true,\"scale\":2,\"minor\":1.5}",
        "{\"unit\":\"USD\",\"currency\":true,\"scale\":2,\"minor\":1e3}",
        "{\"unit\":\"USD\",\"currency\":true,\"scale\":2,\"minor\":\"100\"}",
        "{\"unit\":\"USD\",\"currency\":true,\"scale\":2}",
        "{\"unit\":\"USD\",\"currency\":\"yes\",\"scale\":2,\"minor\":1}"
      })
  void a_minor_amount_that_is_not_an_exact_long_is_corrupt(String json) {
    assertThatThrownBy(() -> JsonCodec.amount(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("stored amount: ");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"unit\":\"usd\",\"currency\":true,\"scale\":2,\"minor\":1}",
        "{\"unit\":\"XAU\",\"currency\":true,\"scale\":2,\"minor\":1}",
        "{\"unit\":\"USD\",\"currency\":false,\"scale\":2,\"minor\":1}",
        "{\"unit\":\"credits\",\"currency\":false,\"scale\":13,\"minor\":1}",
        "{\"unit\":\"credits\",\"currency\":false,\"minor\":1}",
        "{\"unit\":null,\"currency\":false,\"scale\":2,\"minor\":1}"
      })
  void a_unit_the_domain_refuses_is_corrupt(String json) {
    assertThatThrownBy(() -> JsonCodec.amount(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("stored amount");
  }

  // ---------------------------------------------------------------- properties

  @Provide
  Arbitrary<Map<String, String>> metadataMaps() {
    Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(40);
    return Arbitraries.maps(text, text).ofMaxSize(8);
  }

  @Provide
  Arbitrary<Amount> anyAmounts() {
    Arbitrary<Unit> units =
        Arbitraries.oneOf(
            Arbitraries.of("USD", "EUR", "JPY", "KWD", "UYW", "BHD").map(CurrencyUnit::of),
            Arbitraries.integers()
                .between(0, CreditUnit.MAX_SCALE)
                .map(scale -> CreditUnit.of("CREDIT", scale)));
    Arbitrary<Long> minors =
        Arbitraries.oneOf(
            Arbitraries.longs(),
            Arbitraries.of(Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1, 0L));
    return units.flatMap(u -> minors.map(m -> Amount.ofMinor(u, m)));
  }

  @Property(tries = 1000)
  void random_metadata_round_trips_exactly(@ForAll("metadataMaps") Map<String, String> metadata) {
    String json = JsonCodec.metadata(metadata);

    assertThat(JsonCodec.metadata(json)).isEqualTo(metadata);
    assertThat(JsonCodec.metadata(JsonCodec.metadata(json))).isEqualTo(json);
    assertThat(json).matches("[\\x20-\\x7f]*");
  }

  @Property(tries = 1000)
  void random_amounts_round_trip_exactly(@ForAll("anyAmounts") Amount amount) {
    assertThat(JsonCodec.amount(JsonCodec.amount(amount))).isEqualTo(amount);
  }

  @Property(tries = 500)
  void random_amounts_inside_events_round_trip_exactly(
      @ForAll("anyAmounts") Amount a, @ForAll("anyAmounts") Amount b) {
    BillingEvent event =
        new ChargePosted(
            "tx-1/charge-posted",
            TENANT,
            ACCOUNT,
            AT,
            TransactionId.of("tx-1"),
            TransactionType.CHARGE,
            ChargeKind.FIXED_FEE,
            "seat",
            a,
            b);

    assertThat(JsonCodec.event(JsonCodec.event(event))).isEqualTo(event);
  }

  // ---------------------------------------------------------------- corruption

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "not json",
        "{\"type\":\"GrantCreated\"",
        "{\"type\":\"GrantCreated\"} trailing",
        "{} {}",
        "[]",
        "null",
        "\"GrantCreated\"",
        "42",
        "{\"type\":\"GrantCreated\",\"type\":\"GrantVoided\"}"
      })
  void malformed_json_is_corrupt_for_every_document_kind(String json) {
    assertThatThrownBy(() -> JsonCodec.event(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("stored event");
    assertThatThrownBy(() -> JsonCodec.metadata(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("stored metadata");
    assertThatThrownBy(() -> JsonCodec.scope(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("stored scope");
    assertThatThrownBy(() -> JsonCodec.costBasis(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("stored cost basis");
    assertThatThrownBy(() -> JsonCodec.amount(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("stored amount");
  }

  @Test
  void null_text_is_corrupt() {
    assertThatThrownBy(() -> JsonCodec.event((String) null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("null");
    assertThatThrownBy(() -> JsonCodec.metadata((String) null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void an_unknown_event_type_is_corrupt() {
    String json = JsonCodec.event(samples().get(0)).replace("GrantCreated", "GrantTeleported");

    assertThatThrownBy(() -> JsonCodec.event(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("type names no known event type")
        .hasMessageContaining("GrantTeleported");
    assertThatThrownBy(() -> JsonCodec.event("{\"type\":\"Teleported\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stored event: type names no known event type (was: \"Teleported\")");
  }

  @Test
  void a_missing_or_ill_typed_type_is_corrupt() {
    assertThatThrownBy(() -> JsonCodec.event("{\"id\":\"e1\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("type is missing");
    assertThatThrownBy(() -> JsonCodec.event("{\"type\":7}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("type must be a string");
  }

  @Test
  void a_missing_field_is_named() {
    String json = JsonCodec.event(samples().get(6)).replace("\"held\"", "\"holding\"");

    assertThatThrownBy(() -> JsonCodec.event(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stored event ReservationCreated: held is missing");
  }

  @Test
  void ill_typed_fields_are_named() {
    String chargePosted = JsonCodec.event(samples().get(3));

    assertThatThrownBy(
            () -> JsonCodec.event(chargePosted.replace("\"USAGE_DEBIT\"", "\"TELEPORT\"")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("transactionType must name a TransactionType");
    assertThatThrownBy(
            () -> JsonCodec.event(chargePosted.replace("\"minor\":900", "\"minor\":\"900\"")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("requested.minor must be an integer");
    assertThatThrownBy(
            () -> JsonCodec.event(chargePosted.replace("2024-03-05T10:15:30.124456Z", "yesterday")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("occurredAt must be an ISO-8601 instant");
    assertThatThrownBy(
            () ->
                JsonCodec.event(
                    chargePosted.replace("\"itemCode\":\"gpt-4o.input\"", "\"itemCode\":[]")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("itemCode must be a string");
    assertThatThrownBy(
            () ->
                JsonCodec.event(
                    chargePosted
                        .replace("\"requested\":{", "\"requested\":[{")
                        .replace(",\"charged\"", "],\"charged\"")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("requested must be an object");
  }

  @Test
  void a_value_the_domain_refuses_is_corrupt() {
    String json = JsonCodec.event(samples().get(0));

    assertThatThrownBy(() -> JsonCodec.event(json.replace("\"acme-eu\"", "\"  \"")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("stored event GrantCreated holds a value the domain refuses: ")
        .hasMessageContaining("tenant");
    assertThatThrownBy(() -> JsonCodec.event(json.replace("\"tx-0001/grant-created\"", "null")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("id");
    assertThatThrownBy(() -> JsonCodec.event(json.replace("PURCHASED", "purchased")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("category");
  }
}
