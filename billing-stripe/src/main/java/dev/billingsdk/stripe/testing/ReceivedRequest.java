package dev.billingsdk.stripe.testing;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One request {@link FakeStripe} received, as it arrived, for a test's assertions.
 *
 * @param method {@code GET} or {@code POST}
 * @param path the path without the query, e.g. {@code /v1/checkout/sessions}
 * @param headers the request headers, names in lower case
 * @param params the form body's (POST) or query string's (GET) parameters, percent-decoded, keys in
 *     Stripe's bracket form ({@code line_items[0][quantity]}), in the order sent
 * @param body the raw form body, empty for a GET
 */
public record ReceivedRequest(
    String method,
    String path,
    Map<String, List<String>> headers,
    List<Map.Entry<String, String>> params,
    String body) {

  public ReceivedRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    headers = Map.copyOf(headers);
    params = List.copyOf(params);
    Objects.requireNonNull(body, "body");
  }

  /** The first value of a header (any case), if it was sent. */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** The value of a parameter, by its bracketed name, if it was sent. */
  public Optional<String> param(String name) {
    return params.stream()
        .filter(p -> p.getKey().equals(name))
        .map(Map.Entry::getValue)
        .findFirst();
  }
}
