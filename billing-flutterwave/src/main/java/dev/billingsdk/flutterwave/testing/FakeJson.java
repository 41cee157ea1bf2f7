package dev.billingsdk.flutterwave.testing;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * JSON as the fake reads and writes it: numbers are {@link BigDecimal} both ways (never double),
 * written plain ({@code 1500.50}, not {@code 1.5005E+3}); envelopes; Flutterwave's timestamps.
 */
final class FakeJson {
  // Since Jackson 2.15 the factory keeps a BigDecimal as given; reading strips no zeros either.
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
  private static final Pattern DECIMAL = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private FakeJson() {}

  /** The JSON object in {@code body}, or null when the body is not one. */
  static @Nullable ObjectNode object(String body) {
    try {
      JsonNode node = MAPPER.readTree(body);
      return node instanceof ObjectNode ? (ObjectNode) node : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** The request body of a POST as an object; an empty body is an empty object. */
  static ObjectNode requestObject(String body) {
    if (body.isBlank()) {
      return NODES.objectNode();
    }
    ObjectNode object = object(body);
    if (object == null) {
      throw Rejection.invalid("The request body must be a JSON object");
    }
    return object;
  }

  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree always serializes", e);
    }
  }

  static String envelope(String message, JsonNode data) {
    ObjectNode envelope = NODES.objectNode();
    envelope.put("status", "success");
    envelope.put("message", message);
    envelope.set("data", data);
    return write(envelope);
  }

  static String error(String message) {
    ObjectNode envelope = NODES.objectNode();
    envelope.put("status", "error");
    envelope.put("message", message);
    envelope.putNull("data");
    return write(envelope);
  }

  static String timestamp(Instant instant) {
    return TIMESTAMP.format(instant);
  }

  /**
   * An amount field: a JSON number or a string holding a decimal, in major units.
   *
   * @return null when the field is absent or null
   * @throws Rejection when it is present but not a decimal
   */
  static @Nullable BigDecimal amount(ObjectNode object, String field) {
    JsonNode node = object.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isNumber()) {
      return node.decimalValue();
    }
    if (node.isTextual() && DECIMAL.matcher(node.asText().trim()).matches()) {
      return new BigDecimal(node.asText().trim());
    }
    throw Rejection.invalid(field + " must be a number");
  }

  /** A required amount above zero. */
  static BigDecimal positiveAmount(ObjectNode object, String field) {
    BigDecimal amount = amount(object, field);
    if (amount == null) {
      throw Rejection.required(field);
    }
    if (amount.signum() <= 0) {
      throw Rejection.invalid(field + " must be greater than 0");
    }
    return amount;
  }

  /** A required non-blank text field. */
  static String text(ObjectNode object, String field) {
    String value = optionalText(object, field);
    if (value == null) {
      throw Rejection.required(field);
    }
    return value;
  }

  /** A text field, or null when absent, null or blank; a non-text value is refused. */
  static @Nullable String optionalText(ObjectNode object, String field) {
    JsonNode node = object.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw Rejection.invalid(field + " must be a string");
    }
    String value = node.asText();
    return value.isBlank() ? null : value;
  }

  /** The object as plain Java values, numbers as {@link BigDecimal}. */
  static Map<String, @Nullable Object> plain(ObjectNode object) {
    Map<String, @Nullable Object> map = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      map.put(field.getKey(), plainValue(field.getValue()));
    }
    return java.util.Collections.unmodifiableMap(map);
  }

  private static @Nullable Object plainValue(JsonNode node) {
    if (node instanceof ObjectNode) {
      return plain((ObjectNode) node);
    }
    if (node.isArray()) {
      List<@Nullable Object> list = new ArrayList<>();
      node.forEach(element -> list.add(plainValue(element)));
      return java.util.Collections.unmodifiableList(list);
    }
    if (node.isNumber()) {
      return node.decimalValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isNull()) {
      return null;
    }
    return node.asText();
  }
}
