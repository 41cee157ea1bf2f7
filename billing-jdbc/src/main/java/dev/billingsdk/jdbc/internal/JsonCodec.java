package dev.billingsdk.jdbc.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingsdk.AccountId;
import dev.billingsdk.BillingException;
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
import dev.billingsdk.event.PurchaseUpdated;
import dev.billingsdk.event.ReservationCreated;
import dev.billingsdk.event.ReservationExpired;
import dev.billingsdk.event.ReservationReleased;
import dev.billingsdk.event.ReservationSettled;
import dev.billingsdk.event.StatementClosed;
import dev.billingsdk.event.SubscriptionUpdated;
import dev.billingsdk.event.TopUpUpdated;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Price;
import dev.billingsdk.money.Unit;
import dev.billingsdk.purchase.PurchaseId;
import dev.billingsdk.purchase.PurchaseState;
import dev.billingsdk.subscription.SubscriptionChange;
import dev.billingsdk.subscription.SubscriptionId;
import dev.billingsdk.subscription.SubscriptionState;
import dev.billingsdk.topup.TopUpOutcome;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The one place where the JDBC adapter turns domain values into the JSON text it stores (events,
 * metadata and references, grant scopes, cost bases, amounts, metering dimensions) and back.
 * Decoding what was encoded gives an equal value.
 *
 * <p>The text is stable (object keys and set elements are written sorted, so the same value always
 * encodes to the same text) and pure ASCII (every other character is written as a JSON escape), so
 * it survives any column character set unchanged, emoji and unpaired surrogates included. Decoding
 * does not depend on key order or white space, so it also reads what a {@code jsonb} column hands
 * back.
 *
 * <p>Formats:
 *
 * <ul>
 *   <li>amount: {@code {"unit":"USD","currency":true,"scale":2,"minor":12345}}; {@code minor} is a
 *       JSON integer holding the exact {@code long}. For a currency the scale is informative only:
 *       decoding takes it from the currency again.
 *   <li>instant: the ISO-8601 text of {@link Instant#toString()}.
 *   <li>scope: {@code {"everything":true}} or {@code {"kinds":["USAGE"],"items":[{"kind":"USAGE",
 *       "code":"gpt-4o.input"}]}}.
 *   <li>cost basis: {@code {}} when free, else {@code {"price":{"cost":amount,"per":amount}}}.
 *   <li>dimension values: a flat object of strings, {@code {"model":"gpt-4o","region":"eu"}};
 *       dimension names (a meter's): a sorted array of strings, {@code ["model","region"]}.
 *   <li>event: {@code "type"} (the record's simple name) and one field per record component, named
 *       as the component, except {@link ChargePosted#type()} which is {@code "transactionType"}. A
 *       null component is written as JSON null.
 * </ul>
 *
 * <p>The documents are stored data, so a document that cannot be decoded (not JSON, a missing or
 * ill-typed field, an unknown event type, a value the domain refuses) means corruption: it is an
 * {@link IllegalArgumentException} that names the document kind, the field and the problem. Unknown
 * extra fields are ignored.
 */
public final class JsonCodec {
  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();
  private static final JsonNodeFactory NODES = MAPPER.getNodeFactory();

  private static final String TYPE = "type";
  private static final Comparator<ItemRef> ITEM_ORDER =
      Comparator.comparing((ItemRef i) -> i.kind().name()).thenComparing(ItemRef::code);

  private JsonCodec() {}

  // ---------------------------------------------------------------- metadata and references

  /** A flat JSON object of text values, keys sorted. */
  public static String metadata(Map<String, String> metadata) {
    Objects.requireNonNull(metadata, "metadata");
    ObjectNode o = NODES.objectNode();
    new TreeMap<>(metadata)
        .forEach((k, v) -> o.put(k, Objects.requireNonNull(v, () -> "metadata value of key " + k)));
    return write(o);
  }

  /** The map stored by {@link #metadata(Map)}; unmodifiable, iterating in key order. */
  public static Map<String, String> metadata(String json) {
    return flatObject(json, "metadata");
  }

  // ---------------------------------------------------------------- metering

  /** A usage event's or rated line's dimension values: a flat JSON object, keys sorted. */
  public static String dimensions(Map<String, String> dimensions) {
    Objects.requireNonNull(dimensions, "dimensions");
    ObjectNode o = NODES.objectNode();
    new TreeMap<>(dimensions)
        .forEach(
            (k, v) -> o.put(k, Objects.requireNonNull(v, () -> "dimension value of key " + k)));
    return write(o);
  }

  /** The map stored by {@link #dimensions(Map)}; unmodifiable, iterating in key order. */
  public static Map<String, String> dimensions(String json) {
    return flatObject(json, "dimensions");
  }

  /** A meter's dimension names: a JSON array of strings, sorted, without duplicates. */
  public static String dimensionNames(Collection<String> names) {
    Objects.requireNonNull(names, "names");
    ArrayNode a = NODES.arrayNode();
    new TreeSet<>(names).forEach(a::add);
    return write(a);
  }

  /** The names stored by {@link #dimensionNames}; unmodifiable, iterating in order. */
  public static SortedSet<String> dimensionNames(String json) {
    String what = "dimension names";
    JsonNode root = parse(json, what);
    if (root == null || !root.isArray()) {
      throw new IllegalArgumentException(
          "stored " + what + " must be a JSON array (was: " + shorten(json) + ")");
    }
    SortedSet<String> names = new TreeSet<>();
    for (JsonNode n : root) {
      if (!n.isTextual()) {
        throw new IllegalArgumentException(
            "stored " + what + ": every element must be a string (was: " + shorten(json) + ")");
      }
      if (!names.add(n.textValue())) {
        throw new IllegalArgumentException(
            "stored " + what + ": " + n.textValue() + " appears twice");
      }
    }
    return Collections.unmodifiableSortedSet(names);
  }

  /** A flat JSON object of text values, as a sorted unmodifiable map. */
  private static Map<String, String> flatObject(String json, String what) {
    return decode(
        json,
        what,
        f -> {
          SortedMap<String, String> map = new TreeMap<>();
          for (Map.Entry<String, JsonNode> entry : f.node.properties()) {
            JsonNode value = entry.getValue();
            if (!value.isTextual()) {
              throw f.corrupt(entry.getKey(), "must be a string", value);
            }
            map.put(entry.getKey(), value.textValue());
          }
          return Collections.unmodifiableSortedMap(map);
        });
  }

  // ---------------------------------------------------------------- scope and cost basis

  /** {@code {"everything":true}}, or the kinds and items, each sorted. */
  public static String scope(Scope scope) {
    Objects.requireNonNull(scope, "scope");
    return write(scopeNode(scope));
  }

  public static Scope scope(String json) {
    return decode(json, "scope", JsonCodec::readScope);
  }

  /** {@code {}} when free, else {@code {"price":{"cost":amount,"per":amount}}}. */
  public static String costBasis(CostBasis costBasis) {
    Objects.requireNonNull(costBasis, "costBasis");
    ObjectNode o = NODES.objectNode();
    costBasis
        .price()
        .ifPresent(
            p -> {
              ObjectNode price = o.putObject("price");
              price.set("cost", amountNode(p.cost()));
              price.set("per", amountNode(p.per()));
            });
    return write(o);
  }

  // NullAway: a JSON null is handed to the domain constructor as null on purpose. The constructor
  // refuses what it requires, and refused() reports that as a corrupt document; what a record
  // leaves unchecked round-trips as null, as it was written (JsonCodecTest).
  @SuppressWarnings("NullAway")
  public static CostBasis costBasis(String json) {
    return decode(
        json,
        "cost basis",
        f -> {
          Optional<Fields> price = f.optionalObject("price");
          return new CostBasis(price.map(p -> Price.of(p.amount("cost"), p.amount("per"))));
        });
  }

  // ---------------------------------------------------------------- amount

  /** {@code {"unit":"USD","currency":true,"scale":2,"minor":12345}}. */
  public static String amount(Amount amount) {
    Objects.requireNonNull(amount, "amount");
    return write(amountNode(amount));
  }

  public static Amount amount(String json) {
    return decode(json, "amount", JsonCodec::readAmount);
  }

  // ---------------------------------------------------------------- events

  /** The {@code "type"} that {@link #event(BillingEvent)} writes: the record's simple name. */
  public static String eventType(BillingEvent event) {
    Objects.requireNonNull(event, "event");
    return event.getClass().getSimpleName();
  }

  /**
   * The event as {@code {"type":"GrantCreated","id":...,"tenant":...}}, one field per component.
   */
  public static String event(BillingEvent event) {
    Objects.requireNonNull(event, "event");
    ObjectNode o = NODES.objectNode();
    o.put(TYPE, eventType(event));
    o.put("id", event.id());
    o.put("tenant", text(event.tenant(), TenantId::value));
    o.put("account", text(event.account(), AccountId::value));
    o.put("occurredAt", text(event.occurredAt(), Instant::toString));
    if (event instanceof GrantCreated e) {
      o.put("grant", text(e.grant(), GrantId::value));
      o.put("category", text(e.category(), GrantCategory::code));
      o.set("amount", amountNode(e.amount()));
      o.put("transaction", text(e.transaction(), TransactionId::value));
    } else if (event instanceof GrantVoided e) {
      o.put("grant", text(e.grant(), GrantId::value));
      o.set("voided", amountNode(e.voided()));
      o.put("transaction", text(e.transaction(), TransactionId::value));
    } else if (event instanceof CreditsDeducted e) {
      o.put("category", text(e.category(), GrantCategory::code));
      o.set("deducted", amountNode(e.deducted()));
      o.put("transaction", text(e.transaction(), TransactionId::value));
    } else if (event instanceof GrantExpired e) {
      o.put("grant", text(e.grant(), GrantId::value));
      o.set("expired", amountNode(e.expired()));
      o.put("expiredAt", text(e.expiredAt(), Instant::toString));
      o.put("transaction", text(e.transaction(), TransactionId::value));
    } else if (event instanceof ChargePosted e) {
      o.put("transaction", text(e.transaction(), TransactionId::value));
      // "type" is the discriminator, so the component type() has a longer name.
      o.put("transactionType", text(e.type(), TransactionType::name));
      o.put("kind", text(e.kind(), ChargeKind::name));
      o.put("itemCode", e.itemCode());
      o.set("requested", amountNode(e.requested()));
      o.set("charged", amountNode(e.charged()));
    } else if (event instanceof DebitReversed e) {
      o.put("reversal", text(e.reversal(), TransactionId::value));
      o.put("original", text(e.original(), TransactionId::value));
      o.set("amount", amountNode(e.amount()));
    } else if (event instanceof InvoiceCreditsApplied e) {
      o.put("invoice", e.invoice());
      o.put("transaction", text(e.transaction(), TransactionId::value));
      o.set("applied", amountNode(e.applied()));
      o.set("due", amountNode(e.due()));
    } else if (event instanceof ReservationCreated e) {
      o.put("reservation", text(e.reservation(), ReservationId::value));
      o.set("held", amountNode(e.held()));
      o.put("expiresAt", text(e.expiresAt(), Instant::toString));
      o.put("transaction", text(e.transaction(), TransactionId::value));
    } else if (event instanceof ReservationSettled e) {
      o.put("reservation", text(e.reservation(), ReservationId::value));
      o.set("held", amountNode(e.held()));
      o.set("settled", amountNode(e.settled()));
      o.put("transaction", text(e.transaction(), TransactionId::value));
    } else if (event instanceof ReservationReleased e) {
      o.put("reservation", text(e.reservation(), ReservationId::value));
      o.set("released", amountNode(e.released()));
      o.put("transaction", text(e.transaction(), TransactionId::value));
    } else if (event instanceof ReservationExpired e) {
      o.put("reservation", text(e.reservation(), ReservationId::value));
      o.set("released", amountNode(e.released()));
      o.put("expiredAt", text(e.expiredAt(), Instant::toString));
      o.put("transaction", text(e.transaction(), TransactionId::value));
    } else if (event instanceof BalanceBelowThreshold e) {
      o.set("balance", amountNode(e.balance()));
      o.set("threshold", amountNode(e.threshold()));
      o.put("transaction", text(e.transaction(), TransactionId::value));
    } else if (event instanceof BalanceRecovered e) {
      o.set("balance", amountNode(e.balance()));
      o.set("rearmAt", amountNode(e.rearmAt()));
      o.put("transaction", text(e.transaction(), TransactionId::value));
    } else if (event instanceof PurchaseUpdated e) {
      o.put("purchase", text(e.purchase(), PurchaseId::value));
      o.put("change", text(e.change(), PurchaseUpdated.Change::name));
      o.put("state", text(e.state(), PurchaseState::name));
      o.set("amount", amountNode(e.amount()));
      o.set("unrecovered", amountNode(e.unrecovered()));
      o.put("detail", e.detail());
    } else if (event instanceof SubscriptionUpdated e) {
      o.put("subscription", text(e.subscription(), SubscriptionId::value));
      o.put("change", text(e.change(), SubscriptionChange.Kind::name));
      o.put("state", text(e.state(), SubscriptionState::name));
      o.put("detail", e.detail());
    } else if (event instanceof TopUpUpdated e) {
      o.put("purchase", text(e.purchase(), PurchaseId::value));
      o.put("result", text(e.result(), TopUpOutcome.Result::name));
      o.put("detail", e.detail());
    } else if (event instanceof StatementClosed e) {
      o.put("month", text(e.month(), java.time.YearMonth::toString));
      o.set("opening", amountNode(e.opening()));
      o.set("closing", amountNode(e.closing()));
    } else {
      throw new IllegalArgumentException(
          "no JSON mapping for event type " + event.getClass().getName());
    }
    return write(o);
  }

  /**
   * The event stored by {@link #event(BillingEvent)}, rebuilt through its canonical constructor.
   * The type names are stored data: a renamed record must keep its old name here.
   */
  // NullAway: a JSON null is handed to the domain constructor as null on purpose. The constructor
  // refuses what it requires, and refused() reports that as a corrupt document; what a record
  // leaves unchecked round-trips as null, as it was written (JsonCodecTest).
  @SuppressWarnings("NullAway")
  public static BillingEvent event(String json) {
    return decode(
        json,
        "event",
        doc -> {
          String type = doc.requiredText(TYPE);
          EventReader reader =
              switch (type) {
                case "GrantCreated" ->
                    (h, f) ->
                        new GrantCreated(
                            h.id(),
                            h.tenant(),
                            h.account(),
                            h.occurredAt(),
                            f.text("grant", GrantId::of),
                            f.text("category", GrantCategory::of),
                            f.amount("amount"),
                            f.text("transaction", TransactionId::of));
                case "PurchaseUpdated" ->
                    (h, f) ->
                        new PurchaseUpdated(
                            h.id(),
                            h.tenant(),
                            h.account(),
                            h.occurredAt(),
                            f.text("purchase", PurchaseId::of),
                            f.enumValue("change", PurchaseUpdated.Change.class),
                            f.enumValue("state", PurchaseState.class),
                            f.amount("amount"),
                            f.amount("unrecovered"),
                            f.text("detail"));
                case "SubscriptionUpdated" ->
                    (h, f) ->
                        new SubscriptionUpdated(
                            h.id(),
                            h.tenant(),
                            h.account(),
                            h.occurredAt(),
                            f.text("subscription", SubscriptionId::of),
                            f.enumValue("change", SubscriptionChange.Kind.class),
                            f.enumValue("state", SubscriptionState.class),
                            f.text("detail"));
                case "TopUpUpdated" ->
                    (h, f) ->
                        new TopUpUpdated(
                            h.id(),
                            h.tenant(),
                            h.account(),
                            h.occurredAt(),
                            f.text("purchase", PurchaseId::of),
                            f.enumValue("result", TopUpOutcome.Result.class),
                            f.text("detail"));
                case "StatementClosed" ->
                    (h, f) ->
                        new StatementClosed(
                            h.id(),
                            h.tenant(),
                            h.account(),
                            h.occurredAt(),
                            f.text("month", java.time.YearMonth::parse),
                            f.amount("opening"),
                            f.amount("closing"));
                case "GrantVoided" ->
                    (h, f) ->
                        new GrantVoided(
                            h.id(),
                            h.tenant(),
                            h.account(),
                            h.occurredAt(),
                            f.text("grant", GrantId::of),
                            f.amount("voided"),
                            f.text("transaction", TransactionId::of));
                case "CreditsDeducted" ->
                    (h, f) ->
                        new CreditsDeducted(
                            h.id(),
                            h.tenant(),
                            h.account(),
                            h.occurredAt(),
                            f.text("category", GrantCategory::of),
                            f.amount("deducted"),
                            f.text("transaction", TransactionId::of));
                case "GrantExpired" ->
                    (h, f) ->
                        new GrantExpired(
                            h.id(),
                            h.tenant(),
                            h.account(),
                            h.occurredAt(),
                            f.text("grant", GrantId::of),
                            f.amount("expired"),
                            f.instant("expiredAt"),
                            f.text("transaction", TransactionId::of));
                case "ChargePosted" ->
                    (h, f) ->
                        new ChargePosted(
                            h.id(),
                            h.tenant(),
                            h.account(),
                            h.occurredAt(),
                            f.text("transaction", TransactionId::of),
                            f.enumValue("transactionType", TransactionType.class),
                            f.enumValue("kind", ChargeKind.class),
                            f.text("itemCode"),
                            f.amount("requested"),
                            f.amount("charged"));
                case "DebitReversed" ->
                    (h, f) ->
                        new DebitReversed(
                            h.id(),
                            h.tenant(),
                            h.account(),
                            h.occurredAt(),
                            f.text("reversal", TransactionId::of),
                            f.text("original", TransactionId::of),
                            f.amount("amount"));
                case "InvoiceCreditsApplied" ->
                    (h, f) ->
                        new InvoiceCreditsApplied(
                            h.id(),
                            h.tenant(),
                            h.account(),
                            h.occurredAt(),
                            f.text("invoice"),
                            f.text("transaction", TransactionId::of),
                            f.amount("applied"),
                            f.amount("due"));
                case "ReservationCreated" ->
                    (h, f) ->
                        new ReservationCreated(
                            h.id(),
                            h.tenant(),
                            h.account(),
                            h.occurredAt(),
                            f.text("reservation", ReservationId::of),
                            f.amount("held"),
                            f.instant("expiresAt"),
                            f.text("transaction", TransactionId::of));
                case "ReservationSettled" ->
                    (h, f) ->
                        new ReservationSettled(
                            h.id(),
                            h.tenant(),
                            h.account(),
                            h.occurredAt(),
                            f.text("reservation", ReservationId::of),
                            f.amount("held"),
                            f.amount("settled"),
                            f.text("transaction", TransactionId::of));
                case "ReservationReleased" ->
                    (h, f) ->
                        new ReservationReleased(
                            h.id(),
                            h.tenant(),
                            h.account(),
                            h.occurredAt(),
                            f.text("reservation", ReservationId::of),
                            f.amount("released"),
                            f.text("transaction", TransactionId::of));
                case "ReservationExpired" ->
                    (h, f) ->
                        new ReservationExpired(
                            h.id(),
                            h.tenant(),
                            h.account(),
                            h.occurredAt(),
                            f.text("reservation", ReservationId::of),
                            f.amount("released"),
                            f.instant("expiredAt"),
                            f.text("transaction", TransactionId::of));
                case "BalanceBelowThreshold" ->
                    (h, f) ->
                        new BalanceBelowThreshold(
                            h.id(),
                            h.tenant(),
                            h.account(),
                            h.occurredAt(),
                            f.amount("balance"),
                            f.amount("threshold"),
                            f.text("transaction", TransactionId::of));
                case "BalanceRecovered" ->
                    (h, f) ->
                        new BalanceRecovered(
                            h.id(),
                            h.tenant(),
                            h.account(),
                            h.occurredAt(),
                            f.amount("balance"),
                            f.amount("rearmAt"),
                            f.text("transaction", TransactionId::of));
                default -> throw doc.corrupt(TYPE, "names no known event type", doc.node.get(TYPE));
              };
          Fields f = doc.describing("event " + type);
          try {
            return reader.read(
                new Head(
                    f.text("id"),
                    f.text("tenant", TenantId::of),
                    f.text("account", AccountId::of),
                    f.instant("occurredAt")),
                f);
          } catch (BillingException e) {
            throw f.refused(e);
          }
        });
  }

  /** The components every event has. */
  private record Head(String id, TenantId tenant, AccountId account, Instant occurredAt) {}

  /** Builds one event type from its head and the rest of its fields. */
  @FunctionalInterface
  private interface EventReader {
    BillingEvent read(Head head, Fields fields);
  }

  // ---------------------------------------------------------------- writing

  private static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      // A tree of text, numbers and booleans always writes; this would be a Jackson bug.
      throw new IllegalStateException("could not write JSON", e);
    }
  }

  private static <T> @Nullable String text(@Nullable T value, Function<T, String> text) {
    return value == null ? null : text.apply(value);
  }

  static JsonNode amountNode(@Nullable Amount amount) {
    if (amount == null) {
      return NODES.nullNode();
    }
    Unit unit = amount.unit();
    ObjectNode o = NODES.objectNode();
    o.put("unit", unit.code());
    o.put("currency", unit instanceof CurrencyUnit);
    o.put("scale", unit.scale());
    o.put("minor", amount.minor());
    return o;
  }

  static ObjectNode scopeNode(Scope scope) {
    ObjectNode o = NODES.objectNode();
    if (scope.unrestricted()) {
      o.put("everything", true);
      return o;
    }
    ArrayNode kinds = o.putArray("kinds");
    scope.kinds().stream().map(ChargeKind::name).sorted().forEach(kinds::add);
    ArrayNode items = o.putArray("items");
    scope.items().stream()
        .sorted(ITEM_ORDER)
        .forEach(i -> items.addObject().put("kind", i.kind().name()).put("code", i.code()));
    return o;
  }

  // ---------------------------------------------------------------- reading

  private static <T> T decode(String json, String what, Function<Fields, T> read) {
    JsonNode root = parse(json, what);
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(
          "stored " + what + " must be a JSON object (was: " + shorten(json) + ")");
    }
    Fields fields = new Fields((ObjectNode) root, what, "");
    try {
      return read.apply(fields);
    } catch (BillingException e) {
      throw fields.refused(e);
    }
  }

  private static JsonNode parse(String json, String what) {
    if (json == null) {
      throw new IllegalArgumentException("stored " + what + " is missing: the JSON text is null");
    }
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "stored "
              + what
              + " is not well-formed JSON: "
              + e.getOriginalMessage()
              + (e.getLocation() == null ? "" : " at " + e.getLocation().offsetDescription()),
          e);
    }
  }

  private static Amount readAmount(Fields f) {
    String code = f.requiredText("unit");
    Unit unit =
        f.bool("currency") ? CurrencyUnit.of(code) : CreditUnit.of(code, f.intValue("scale"));
    return Amount.ofMinor(unit, f.longValue("minor"));
  }

  // NullAway: a JSON null is handed to the domain constructor as null on purpose. The constructor
  // refuses what it requires, and refused() reports that as a corrupt document; what a record
  // leaves unchecked round-trips as null, as it was written (JsonCodecTest).
  @SuppressWarnings("NullAway")
  private static Scope readScope(Fields f) {
    boolean everything = f.has("everything") && f.bool("everything");
    Set<ChargeKind> kinds = EnumSet.noneOf(ChargeKind.class);
    Set<ItemRef> items = new HashSet<>();
    f.optionalArray("kinds")
        .ifPresent(a -> a.forEach(k -> kinds.add(f.enumValue("kinds", k, ChargeKind.class))));
    f.optionalArray("items")
        .ifPresent(
            a -> {
              for (JsonNode i : a) {
                Fields item = f.object("items", i);
                items.add(
                    ItemRef.of(
                        item.enumValue("kind", ChargeKind.class), item.requiredText("code")));
              }
            });
    return new Scope(everything, kinds, items);
  }

  private static String shorten(String text) {
    return text.length() <= 60 ? text : text.substring(0, 57) + "...";
  }

  /** One JSON object being read, with what it is and where, for the error messages. */
  private static final class Fields {
    final ObjectNode node;
    final String what;
    final String path;

    Fields(ObjectNode node, String what, String path) {
      this.node = node;
      this.what = what;
      this.path = path;
    }

    Fields describing(String otherWhat) {
      return new Fields(node, otherWhat, path);
    }

    IllegalArgumentException corrupt(String field, String problem, @Nullable JsonNode value) {
      return new IllegalArgumentException(
          "stored "
              + what
              + ": "
              + path
              + field
              + " "
              + problem
              + (value == null ? "" : " (was: " + shorten(value.toString()) + ")"));
    }

    /** A domain constructor refused a decoded value. */
    IllegalArgumentException refused(BillingException e) {
      return new IllegalArgumentException(
          "stored " + what + " holds a value the domain refuses: " + e.getMessage(), e);
    }

    boolean has(String field) {
      return node.has(field);
    }

    /** The field's value, which must be present (it may be JSON null). */
    JsonNode get(String field) {
      JsonNode value = node.get(field);
      if (value == null) {
        throw corrupt(field, "is missing", null);
      }
      return value;
    }

    /** Text, or null for JSON null. */
    @Nullable String text(String field) {
      JsonNode value = get(field);
      if (value.isNull()) {
        return null;
      }
      if (!value.isTextual()) {
        throw corrupt(field, "must be a string", value);
      }
      return value.textValue();
    }

    <T> @Nullable T text(String field, Function<String, T> of) {
      String value = text(field);
      return value == null ? null : of.apply(value);
    }

    String requiredText(String field) {
      String value = text(field);
      if (value == null) {
        throw corrupt(field, "must be a string", NODES.nullNode());
      }
      return value;
    }

    @Nullable Instant instant(String field) {
      String value = text(field);
      if (value == null) {
        return null;
      }
      try {
        return Instant.parse(value);
      } catch (DateTimeException e) {
        throw corrupt(field, "must be an ISO-8601 instant", get(field));
      }
    }

    <E extends Enum<E>> @Nullable E enumValue(String field, Class<E> type) {
      JsonNode value = get(field);
      return value.isNull() ? null : enumValue(field, value, type);
    }

    <E extends Enum<E>> E enumValue(String field, JsonNode value, Class<E> type) {
      if (value.isTextual()) {
        for (E constant : type.getEnumConstants()) {
          if (constant.name().equals(value.textValue())) {
            return constant;
          }
        }
      }
      throw corrupt(field, "must name a " + type.getSimpleName(), value);
    }

    boolean bool(String field) {
      JsonNode value = get(field);
      if (!value.isBoolean()) {
        throw corrupt(field, "must be true or false", value);
      }
      return value.booleanValue();
    }

    long longValue(String field) {
      JsonNode value = get(field);
      if (!value.isIntegralNumber() || !value.canConvertToLong()) {
        throw corrupt(field, "must be an integer in the range of a long", value);
      }
      return value.longValue();
    }

    int intValue(String field) {
      JsonNode value = get(field);
      if (!value.isIntegralNumber() || !value.canConvertToInt()) {
        throw corrupt(field, "must be an integer in the range of an int", value);
      }
      return value.intValue();
    }

    /** An amount, or null for JSON null. */
    @Nullable Amount amount(String field) {
      JsonNode value = get(field);
      return value.isNull() ? null : readAmount(object(field, value));
    }

    Fields object(String field, JsonNode value) {
      if (!value.isObject()) {
        throw corrupt(field, "must be an object", value);
      }
      return new Fields((ObjectNode) value, what, path + field + ".");
    }

    /** An object, or empty when the field is absent or JSON null. */
    Optional<Fields> optionalObject(String field) {
      JsonNode value = node.get(field);
      return value == null || value.isNull() ? Optional.empty() : Optional.of(object(field, value));
    }

    /** An array, or empty when the field is absent or JSON null. */
    Optional<ArrayNode> optionalArray(String field) {
      JsonNode value = node.get(field);
      if (value == null || value.isNull()) {
        return Optional.empty();
      }
      if (!value.isArray()) {
        throw corrupt(field, "must be an array", value);
      }
      return Optional.of((ArrayNode) value);
    }
  }
}
