package dev.billingsdk.jdbc.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Unit;
import dev.billingsdk.statement.Statement;
import dev.billingsdk.statement.StatementLine;
import dev.billingsdk.statement.StatementWindow;
import dev.billingsdk.statement.UsageCell;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A closed statement as the JSON document the store keeps. Amounts are minor units of the
 * statement's one unit, stored once at the top; quantities are decimal text (never a JSON number a
 * reader may turn into a double). Reading is strict: a field missing or of the wrong type is a
 * corrupt row, reported with the field.
 */
public final class StatementCodec {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private StatementCodec() {}

  public static String write(Statement s) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("tenant", s.tenant().value());
    o.put("account", s.account().value());
    o.put("month", s.month().toString());
    o.put("unitCode", s.unit().code());
    o.put("unitScale", s.unit().scale());
    o.put("unitCurrency", s.unit() instanceof CurrencyUnit);
    o.put("opening", s.opening().minor());
    o.put("closing", s.closing().minor());
    o.put("from", s.window().from().toString());
    o.put("until", s.window().until().toString());
    o.put("previousWatermark", s.window().previousWatermark());
    o.put("watermark", s.window().watermark());
    o.put("transactions", s.transactions());
    o.put("closedAt", s.closedAt().map(Instant::toString).orElseThrow());
    ArrayNode lines = o.putArray("lines");
    for (StatementLine l : s.lines()) {
      ObjectNode n = lines.addObject();
      n.put("section", l.section().name());
      n.put("key", l.key());
      l.lateFor().ifPresent(m -> n.put("lateFor", m.toString()));
      n.put("amount", l.amount().minor());
      n.put("transactions", l.transactions());
    }
    ArrayNode usage = o.putArray("usage");
    for (UsageCell c : s.usage()) {
      ObjectNode n = usage.addObject();
      n.put("meter", c.meter());
      ObjectNode dims = n.putObject("dimensions");
      c.dimensions().forEach(dims::put);
      n.put("period", c.period().toString());
      n.put("hour", c.hour().toString());
      n.put("quantity", c.quantity().toPlainString());
      n.put("credits", c.credits().minor());
      n.put("firstWindowStart", c.firstWindowStart().toString());
    }
    ObjectNode running = o.putObject("runningMeters");
    s.runningMeters().forEach(running::put);
    try {
      return MAPPER.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a statement did not serialise", e);
    }
  }

  public static Statement read(String json) {
    JsonNode o;
    try {
      o = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("a stored statement is not well-formed JSON", e);
    }
    String code = text(o, "unitCode");
    Unit unit =
        bool(o, "unitCurrency")
            ? CurrencyUnit.of(code)
            : CreditUnit.of(code, (int) number(o, "unitScale"));
    List<StatementLine> lines = new ArrayList<>();
    for (JsonNode n : array(o, "lines")) {
      lines.add(
          new StatementLine(
              StatementLine.Section.valueOf(text(n, "section")),
              text(n, "key"),
              n.has("lateFor")
                  ? Optional.of(YearMonth.parse(text(n, "lateFor")))
                  : Optional.empty(),
              Amount.ofMinor(unit, number(n, "amount")),
              number(n, "transactions")));
    }
    List<UsageCell> usage = new ArrayList<>();
    for (JsonNode n : array(o, "usage")) {
      usage.add(
          new UsageCell(
              text(n, "meter"),
              strings(n, "dimensions"),
              YearMonth.parse(text(n, "period")),
              Instant.parse(text(n, "hour")),
              new BigDecimal(text(n, "quantity")),
              Amount.ofMinor(unit, number(n, "credits")),
              Instant.parse(text(n, "firstWindowStart"))));
    }
    return new Statement(
        TenantId.of(text(o, "tenant")),
        AccountId.of(text(o, "account")),
        YearMonth.parse(text(o, "month")),
        Statement.Status.CLOSED,
        unit,
        Amount.ofMinor(unit, number(o, "opening")),
        Amount.ofMinor(unit, number(o, "closing")),
        lines,
        usage,
        strings(o, "runningMeters"),
        new StatementWindow(
            Instant.parse(text(o, "from")),
            Instant.parse(text(o, "until")),
            number(o, "previousWatermark"),
            number(o, "watermark")),
        number(o, "transactions"),
        Optional.of(Instant.parse(text(o, "closedAt"))));
  }

  private static JsonNode field(JsonNode o, String name) {
    JsonNode v = o.get(name);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("a stored statement has no " + name);
    }
    return v;
  }

  private static String text(JsonNode o, String name) {
    JsonNode v = field(o, name);
    if (!v.isTextual()) {
      throw new IllegalArgumentException("a stored statement's " + name + " is not text");
    }
    return v.asText();
  }

  private static long number(JsonNode o, String name) {
    JsonNode v = field(o, name);
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new IllegalArgumentException("a stored statement's " + name + " is not an integer");
    }
    return v.asLong();
  }

  private static boolean bool(JsonNode o, String name) {
    JsonNode v = field(o, name);
    if (!v.isBoolean()) {
      throw new IllegalArgumentException("a stored statement's " + name + " is not a boolean");
    }
    return v.asBoolean();
  }

  private static JsonNode array(JsonNode o, String name) {
    JsonNode v = field(o, name);
    if (!v.isArray()) {
      throw new IllegalArgumentException("a stored statement's " + name + " is not an array");
    }
    return v;
  }

  private static Map<String, String> strings(JsonNode o, String name) {
    JsonNode v = field(o, name);
    if (!v.isObject()) {
      throw new IllegalArgumentException("a stored statement's " + name + " is not an object");
    }
    Map<String, String> map = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw new IllegalArgumentException(
            "a stored statement's " + name + " holds a non-text value");
      }
      map.put(e.getKey(), e.getValue().asText());
    }
    return map;
  }
}
