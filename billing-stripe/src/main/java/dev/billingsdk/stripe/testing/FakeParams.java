package dev.billingsdk.stripe.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How FakeStripe reads the decoded form parameters of a request, refusing what Stripe refuses with
 * a {@link BadRequest} naming the parameter.
 */
final class FakeParams {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private FakeParams() {}

  static String requiredText(Map<String, Object> params, String name) {
    return requiredText(params, name, name);
  }

  static String requiredText(Map<String, Object> params, String name, String param) {
    Object value = params.get(name);
    if (!(value instanceof String text) || text.isEmpty()) {
      throw new BadRequest("parameter_missing", param, "Missing required param: " + param + ".");
    }
    return text;
  }

  static @Nullable String optionalText(Map<String, Object> params, String name) {
    Object value = params.get(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw new BadRequest(name, "Invalid string: " + name);
    }
    return text.isEmpty() ? null : text;
  }

  static long nonNegative(Map<String, Object> params, String name, String param) {
    String text = requiredText(params, name, param);
    try {
      long value = Long.parseLong(text);
      if (value < 0) {
        throw new BadRequest(param, "Invalid " + param + ": must be at least 0");
      }
      return value;
    } catch (NumberFormatException e) {
      throw new BadRequest(param, "Invalid integer: " + text);
    }
  }

  static Map<String, Object> map(@Nullable Object value, String param) {
    if (!(value instanceof Map<?, ?> map)) {
      throw new BadRequest("parameter_missing", param, "Missing required param: " + param + ".");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> typed = (Map<String, Object>) map;
    return typed;
  }

  static ObjectNode metadata(@Nullable Object value) {
    ObjectNode metadata = NODES.objectNode();
    if (value == null) {
      return metadata;
    }
    for (Map.Entry<String, Object> e : map(value, "metadata").entrySet()) {
      if (!(e.getValue() instanceof String text)) {
        throw new BadRequest("metadata", "Metadata values are strings");
      }
      if (!text.isEmpty()) {
        metadata.put(e.getKey(), text);
      }
    }
    return metadata;
  }

  static String escapeHtml(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  /** Endive removed {@code payment_method_types} from Checkout Sessions and PaymentIntents. */
  static void refuseRemovedPaymentMethodTypes(Map<String, Object> params) {
    if (params.containsKey("payment_method_types")) {
      throw new BadRequest(
          "payment_method_types_no_longer_supported",
          "payment_method_types",
          "payment_method_types is no longer supported on this API version; use"
              + " allowed_payment_method_types or excluded_payment_method_types");
    }
  }
}
