package dev.billingsdk.flutterwave.testing;

import java.util.Map;

/**
 * One answer of the fake on the wire: status, body, content type, and any more headers (such as a
 * hosted page's {@code Location}).
 */
record Reply(int status, String body, String contentType, Map<String, String> headers) {
  static final String JSON = "application/json";

  Reply {
    headers = Map.copyOf(headers);
  }

  static Reply json(int status, String body) {
    return new Reply(status, body, JSON, Map.of());
  }

  static Reply html(int status, String html) {
    return new Reply(status, html, "text/html; charset=utf-8", Map.of());
  }

  static Reply seeOther(String location) {
    return new Reply(303, "", "text/plain; charset=utf-8", Map.of("Location", location));
  }
}
