package dev.billingsdk.jdbc.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.CatalogueItem;
import dev.billingsdk.catalogue.CreditPackage;
import dev.billingsdk.catalogue.GrantTemplate;
import dev.billingsdk.catalogue.ItemStatus;
import dev.billingsdk.catalogue.PackageId;
import dev.billingsdk.catalogue.PlanId;
import dev.billingsdk.catalogue.Revision;
import dev.billingsdk.catalogue.SubscriptionPlan;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CurrencyUnit;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The terms of a catalogue version as a JSON document (the columns of the row hold its identity,
 * revision and status). Reading is strict: a field missing or of the wrong type is a corrupt row,
 * reported with what and where, never a default.
 */
public final class CatalogueCodec {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private CatalogueCodec() {}

  /** The terms of {@code item}. */
  public static String terms(CatalogueItem item) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("name", item.name());
    ObjectNode refs = o.putObject("providerRefs");
    item.providerRefs().forEach(refs::put);
    if (item instanceof CreditPackage p) {
      o.set("credits", JsonCodec.amountNode(p.credits()));
      o.set("bonusCredits", JsonCodec.amountNode(p.bonusCredits()));
      o.set("price", JsonCodec.amountNode(p.price()));
      o.set("grantTemplate", template(p.grantTemplate()));
    } else if (item instanceof SubscriptionPlan p) {
      o.put("cadence", p.cadence().toString());
      ArrayNode prices = o.putArray("prices");
      p.prices().values().forEach(a -> prices.add(JsonCodec.amountNode(a)));
      o.set("allowance", JsonCodec.amountNode(p.allowance()));
      ArrayNode features = o.putArray("features");
      p.features().forEach(features::add);
      o.set("allowanceTemplate", template(p.allowanceTemplate()));
    }
    try {
      return MAPPER.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write JSON", e);
    }
  }

  private static ObjectNode template(GrantTemplate t) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("priority", t.priority());
    t.validity().ifPresent(v -> o.put("validity", v.toString()));
    o.set("scope", JsonCodec.scopeNode(t.scope()));
    return o;
  }

  /**
   * The version stored in a row.
   *
   * @throws IllegalArgumentException if the terms are not a document {@link #terms} writes, or
   *     describe a version the domain refuses
   */
  public static CatalogueItem item(
      CatalogueItem.Kind kind,
      TenantId tenant,
      String itemId,
      Revision revision,
      ItemStatus status,
      String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw corrupt(itemId, "not well-formed JSON", e);
    }
    try {
      Map<String, String> refs = new TreeMap<>();
      object(root, "providerRefs")
          .fields()
          .forEachRemaining(e -> refs.put(e.getKey(), e.getValue().textValue()));
      String name = text(root, "name");
      return switch (kind) {
        case CREDIT_PACKAGE ->
            new CreditPackage(
                tenant,
                PackageId.of(itemId),
                revision,
                name,
                amount(root, "credits"),
                amount(root, "bonusCredits"),
                amount(root, "price"),
                status,
                template(object(root, "grantTemplate")),
                refs);
        case SUBSCRIPTION_PLAN -> {
          TreeMap<CurrencyUnit, Amount> prices = new TreeMap<>(SubscriptionPlan.BY_CODE);
          for (JsonNode a : array(root, "prices")) {
            Amount price = JsonCodec.amount(a.toString());
            if (!(price.unit() instanceof CurrencyUnit c)) {
              throw new IllegalArgumentException("prices: " + price + " is not money");
            }
            prices.put(c, price);
          }
          List<String> features = new ArrayList<>();
          array(root, "features").forEach(f -> features.add(f.textValue()));
          yield new SubscriptionPlan(
              tenant,
              PlanId.of(itemId),
              revision,
              name,
              Period.parse(text(root, "cadence")),
              prices,
              amount(root, "allowance"),
              new TreeSet<>(features),
              status,
              template(object(root, "allowanceTemplate")),
              refs);
        }
      };
    } catch (RuntimeException e) {
      throw corrupt(itemId, String.valueOf(e.getMessage()), e);
    }
  }

  private static GrantTemplate template(JsonNode o) {
    JsonNode priority = o.get("priority");
    if (priority == null || !priority.isInt()) {
      throw new IllegalArgumentException("priority is missing or not an integer");
    }
    JsonNode validity = o.get("validity");
    return GrantTemplate.of(
        priority.intValue(),
        validity == null ? Optional.empty() : Optional.of(Period.parse(validity.textValue())),
        JsonCodec.scope(object(o, "scope").toString()));
  }

  private static Amount amount(JsonNode o, String field) {
    return JsonCodec.amount(object(o, field).toString());
  }

  private static String text(JsonNode o, String field) {
    JsonNode n = o.get(field);
    if (n == null || !n.isTextual()) {
      throw new IllegalArgumentException(field + " is missing or not text");
    }
    return n.textValue();
  }

  private static JsonNode object(JsonNode o, String field) {
    JsonNode n = o.get(field);
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException(field + " is missing or not an object");
    }
    return n;
  }

  private static JsonNode array(JsonNode o, String field) {
    JsonNode n = o.get(field);
    if (n == null || !n.isArray()) {
      throw new IllegalArgumentException(field + " is missing or not an array");
    }
    return n;
  }

  private static IllegalArgumentException corrupt(String itemId, String why, Exception cause) {
    return new IllegalArgumentException(
        "stored catalogue version of " + itemId + " is corrupt: " + why, cause);
  }
}
