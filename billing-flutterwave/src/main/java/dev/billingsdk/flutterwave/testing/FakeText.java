package dev.billingsdk.flutterwave.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * FakeFlutterwave's small pieces of text and checks: the hosted pages' HTML, the return URL's
 * query, what a request's fields must be, and the random secrets of a fake started without any.
 */
final class FakeText {
  /** An ISO 4217 code's shape. */
  static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

  /** The digits of the fake's ids and secrets. */
  static final String HEX = "0123456789abcdef";

  private FakeText() {}

  static String page(String body) {
    return "<!doctype html><title>FakeFlutterwave</title><p>" + body + "</p>";
  }

  static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  static Map<String, List<String>> returnQuery(Charge charge) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    query.put("status", List.of(charge.status));
    query.put("tx_ref", List.of(charge.txRef));
    query.put("transaction_id", List.of(String.valueOf(charge.id)));
    return Collections.unmodifiableMap(query);
  }

  static String withQuery(String url, Map<String, List<String>> query) {
    StringBuilder out = new StringBuilder(url);
    char separator = url.indexOf('?') < 0 ? '?' : '&';
    for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
      for (String value : parameter.getValue()) {
        out.append(separator)
            .append(URLEncoder.encode(parameter.getKey(), StandardCharsets.UTF_8))
            .append('=')
            .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        separator = '&';
      }
    }
    return out.toString();
  }

  static String pendingPaymentType(String currency) {
    switch (currency) {
      case "GHS":
        return "mobilemoneyghana";
      case "UGX":
        return "mobilemoneyuganda";
      case "RWF":
        return "mobilemoneyrwanda";
      case "ZMW":
        return "mobilemoneyzambia";
      case "KES":
        return "mpesa";
      default:
        return "bank_transfer";
    }
  }

  static String currency(ObjectNode body) {
    String currency = FakeJson.text(body, "currency");
    if (!CURRENCY.matcher(currency).matches()) {
      throw Rejection.invalid("currency must be three upper-case letters");
    }
    return currency;
  }

  static @Nullable ObjectNode optionalObject(ObjectNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!(node instanceof ObjectNode)) {
      throw Rejection.invalid(field + " must be an object");
    }
    return (ObjectNode) node;
  }

  static boolean absoluteHttp(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme();
      return uri.getHost() != null
          && scheme != null
          && (scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"));
    } catch (URISyntaxException e) {
      return false;
    }
  }

  static long transactionId(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw Rejection.noTransaction();
    }
  }

  static BigDecimal positive(BigDecimal amount) {
    if (Objects.requireNonNull(amount, "amount").signum() <= 0) {
      throw new IllegalArgumentException("an amount is above 0: " + amount);
    }
    return amount;
  }

  static String secureHex(int length) {
    SecureRandom secure = new SecureRandom();
    StringBuilder hex = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      hex.append(HEX.charAt(secure.nextInt(16)));
    }
    return hex.toString();
  }

  static String randomSecretKey() {
    return "FLWSECK_TEST-" + secureHex(32) + "-X";
  }

  static String randomSecretHash() {
    return "fake-flw-hash-" + secureHex(24);
  }
}
