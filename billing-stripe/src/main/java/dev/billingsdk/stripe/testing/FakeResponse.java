package dev.billingsdk.stripe.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One answer of FakeStripe. {@code stored} when Stripe's idempotency layer would save it for a
 * replay (successes and card errors; not validation errors, which a retry with the same key may
 * correct). {@code requestId} is the {@code Request-Id} it is sent with, which events it causes
 * name too.
 */
final class FakeResponse {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  final int status;
  final String body;
  final Map<String, String> headers;
  final String requestId;
  boolean stored = true;

  FakeResponse(int status, String body, Map<String, String> headers, String requestId) {
    this.status = status;
    this.body = body;
    this.headers = headers;
    this.requestId = requestId;
  }

  FakeResponse unstored() {
    stored = false;
    return this;
  }

  static FakeResponse ok(String requestId, ObjectNode object) {
    return new FakeResponse(200, object.toString(), Map.of(), requestId);
  }

  static FakeResponse html(String requestId, int status, String html) {
    return new FakeResponse(
        status, html, Map.of("Content-Type", "text/html; charset=utf-8"), requestId);
  }

  /** Stripe's error body: {@code {"error": {"type", "code"?, "param"?, "message"}}}, not stored. */
  static FakeResponse error(
      String requestId,
      int status,
      String type,
      @Nullable String code,
      @Nullable String param,
      String message) {
    ObjectNode body = NODES.objectNode();
    ObjectNode error = body.putObject("error");
    error.put("type", type);
    if (code != null) {
      error.put("code", code);
    }
    if (param != null) {
      error.put("param", param);
    }
    error.put("message", message);
    return new FakeResponse(status, body.toString(), Map.of(), requestId).unstored();
  }
}
