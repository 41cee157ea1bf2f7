package dev.billingsdk.flutterwave.testing;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One API request {@link FakeFlutterwave} received, as it arrived, for a test's assertions (for
 * example that a tokenized charge was sent once, or that no secret leaked into a body).
 *
 * @param method {@code GET} or {@code POST}
 * @param path the path without the query, e.g. {@code /v3/payments}
 * @param query the query string's parameters, percent-decoded, in the order sent
 * @param headers the request headers, names in lower case
 * @param body the raw body, empty for a GET
 * @param json the body parsed as a JSON object: objects as maps, arrays as lists, numbers as {@link
 *     java.math.BigDecimal} (exact), strings, booleans and null; null when the body is not a JSON
 *     object
 */
public record ReceivedRequest(
    String method,
    String path,
    Map<String, List<String>> query,
    Map<String, List<String>> headers,
    String body,
    @Nullable Map<String, @Nullable Object> json) {

  /** Copies the maps. */
  public ReceivedRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    query = frozen(query);
    headers = frozen(headers);
    Objects.requireNonNull(body, "body");
    json = json == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(json));
  }

  private static Map<String, List<String>> frozen(Map<String, List<String>> map) {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    map.forEach((name, values) -> copy.put(name, List.copyOf(values)));
    return Collections.unmodifiableMap(copy);
  }

  /** The first value of a header (any case), if it was sent. */
  public Optional<String> header(String name) {
    return first(headers.get(name.toLowerCase(Locale.ROOT)));
  }

  /** The first value of a query parameter, if it was sent. */
  public Optional<String> queryParam(String name) {
    return first(query.get(name));
  }

  /** A top-level field of the JSON body, if the body is an object that has it (not null). */
  public Optional<Object> field(String name) {
    return json == null ? Optional.empty() : Optional.ofNullable(json.get(name));
  }

  private static Optional<String> first(@Nullable List<String> values) {
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }
}
