package dev.billingsdk.stripe.testing;

import com.sun.net.httpserver.HttpExchange;
import dev.billingsdk.stripe.internal.FormCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * FakeStripe's HTTP layer, everything between a request on the socket and the Stripe object it is
 * about: the log of requests, injected faults, the API key and version checks, Stripe's idempotent
 * replay (and its refusal of a reused key with other parameters, or of one still in flight), and
 * writing the answer with its {@code Request-Id}. What a request does is {@link Router}'s.
 */
final class FakeWire {
  private static final Pattern HOSTED_PAGE = Pattern.compile("/c/pay/([^/]+)");

  /** Serves one authenticated API request; {@code key} is its idempotency key, if any. */
  @FunctionalInterface
  interface Router {
    FakeResponse route(
        String method, String path, String body, @Nullable String query, @Nullable String key);
  }

  private record Stored(
      String path, Map<String, Object> params, int status, String body, String requestId) {}

  private final String secretKey;
  private final String apiVersion;
  private final CountDownLatch closed;
  private final Supplier<String> requestIds;
  private final Router router;
  private final Function<String, FakeResponse> hostedPage;

  // Guarded by `this`.
  private final Map<String, Stored> idempotency = new HashMap<>();
  private final Set<String> inFlight = new HashSet<>();
  private final Deque<Fault> faults = new ArrayDeque<>();
  private final List<ReceivedRequest> requests = new ArrayList<>();

  /**
   * @param closed counted down when the fake stops: it releases requests held by a delay
   * @param requestIds draws the next {@code req_} id
   * @param hostedPage answers {@code GET /c/pay/{session id}}, the stand-in hosted page
   */
  FakeWire(
      String secretKey,
      String apiVersion,
      CountDownLatch closed,
      Supplier<String> requestIds,
      Router router,
      Function<String, FakeResponse> hostedPage) {
    this.secretKey = secretKey;
    this.apiVersion = apiVersion;
    this.closed = closed;
    this.requestIds = requestIds;
    this.router = router;
    this.hostedPage = hostedPage;
  }

  synchronized List<ReceivedRequest> requests() {
    return List.copyOf(requests);
  }

  synchronized void clearRequests() {
    requests.clear();
  }

  synchronized void inject(Fault... more) {
    for (Fault fault : more) {
      faults.add(Objects.requireNonNull(fault, "fault"));
    }
  }

  void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
      String path = exchange.getRequestURI().getRawPath();
      String query = exchange.getRequestURI().getRawQuery();
      String body;
      try (InputStream in = exchange.getRequestBody()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      Map<String, List<String>> headers = new TreeMap<>();
      exchange
          .getRequestHeaders()
          .forEach(
              (name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
      List<Map.Entry<String, String>> params;
      try {
        params = FormCodec.parse(method.equals("GET") ? (query == null ? "" : query) : body);
      } catch (IllegalArgumentException e) {
        params = List.of();
      }
      Fault fault;
      synchronized (this) {
        requests.add(new ReceivedRequest(method, path, headers, params, body));
        fault = faults.poll();
      }
      FakeResponse response = serve(method, path, headers, body, query, fault);
      if (response != null) {
        send(exchange, response);
      }
    }
  }

  private FakeResponse error(
      int status, String type, @Nullable String code, @Nullable String param, String message) {
    return FakeResponse.error(requestIds.get(), status, type, code, param, message);
  }

  /** The answer, or null when the connection is to be dropped. */
  private @Nullable FakeResponse serve(
      String method,
      String path,
      Map<String, List<String>> headers,
      String body,
      @Nullable String query,
      @Nullable Fault fault) {
    if (fault instanceof Fault.Drop) {
      // Closing the exchange before any response header closes the connection.
      return null;
    }
    if (fault instanceof Fault.Answer injected) {
      return new FakeResponse(
          injected.status(), injected.body(), injected.headers(), requestIds.get());
    }
    Matcher hosted = HOSTED_PAGE.matcher(path);
    if (method.equals("GET") && hosted.matches()) {
      return hostedPage.apply(hosted.group(1));
    }
    FakeResponse refused = authenticate(headers);
    if (refused != null) {
      return refused;
    }
    String key = first(headers, "idempotency-key");
    if (!method.equals("POST") || key == null) {
      hold(fault);
      return router.route(method, path, body, query, null);
    }
    Map<String, Object> params;
    try {
      params = FormCodec.decode(body);
    } catch (IllegalArgumentException e) {
      return error(
          400, "invalid_request_error", null, null, "Invalid request body: " + e.getMessage());
    }
    synchronized (this) {
      Stored stored = idempotency.get(key);
      if (inFlight.contains(key)) {
        return error(
            409,
            "idempotency_error",
            "idempotency_key_in_use",
            null,
            "There is currently another in-progress request using this idempotency key. Try"
                + " again later with the same key.");
      }
      if (stored != null) {
        if (stored.path.equals(path) && stored.params.equals(params)) {
          Map<String, String> replayed = new LinkedHashMap<>();
          replayed.put("Idempotent-Replayed", "true");
          replayed.put("Original-Request", stored.requestId);
          return new FakeResponse(stored.status, stored.body, replayed, requestIds.get());
        }
        return error(
            400,
            "idempotency_error",
            null,
            null,
            "Keys for idempotent requests can only be used with the same parameters and the same"
                + " endpoint they were first used with. Try using a key other than '"
                + key
                + "' if you meant to execute a different request.");
      }
      inFlight.add(key);
    }
    try {
      hold(fault);
      FakeResponse response = router.route(method, path, body, query, key);
      synchronized (this) {
        if (response.stored) {
          idempotency.put(
              key, new Stored(path, params, response.status, response.body, response.requestId));
        }
      }
      return response;
    } finally {
      synchronized (this) {
        inFlight.remove(key);
      }
    }
  }

  private void hold(@Nullable Fault fault) {
    if (fault instanceof Fault.Delay delay) {
      try {
        closed.await(delay.duration().toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private @Nullable FakeResponse authenticate(Map<String, List<String>> headers) {
    String authorization = first(headers, "authorization");
    if (authorization == null || authorization.isBlank()) {
      return error(
          401,
          "invalid_request_error",
          null,
          null,
          "You did not provide an API key. Provide it in the Authorization header, using Bearer"
              + " auth (Authorization: Bearer <secret key>).");
    }
    String presented = presentedKey(authorization);
    if (!secretKey.equals(presented)) {
      return error(
          401,
          "invalid_request_error",
          null,
          null,
          "Invalid API Key provided: " + masked(presented));
    }
    String version = first(headers, "stripe-version");
    if (version == null) {
      return error(
          400,
          "invalid_request_error",
          null,
          null,
          "FakeStripe expects a Stripe-Version header ("
              + apiVersion
              + "); Stripe would use the account's default version, which drifts.");
    }
    if (!version.equals(apiVersion)) {
      return error(
          400,
          "invalid_request_error",
          null,
          null,
          "Invalid Stripe API version: " + version + " (FakeStripe serves " + apiVersion + ")");
    }
    return null;
  }

  private static String presentedKey(String authorization) {
    if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).trim();
    }
    if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String decoded =
            new String(
                Base64.getDecoder().decode(authorization.substring(6).trim()),
                StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        return colon < 0 ? decoded : decoded.substring(0, colon);
      } catch (IllegalArgumentException e) {
        return "";
      }
    }
    return authorization.trim();
  }

  /** As Stripe echoes a wrong key: its prefix and last four characters only. */
  private static String masked(String key) {
    int prefixEnd = key.indexOf('_', key.indexOf('_') + 1);
    String prefix = prefixEnd > 0 ? key.substring(0, prefixEnd + 1) : "";
    String tail = key.length() > prefix.length() + 4 ? key.substring(key.length() - 4) : "";
    return prefix + "****" + tail;
  }

  private static @Nullable String first(Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private void send(HttpExchange exchange, FakeResponse response) throws IOException {
    byte[] bytes = response.body.getBytes(StandardCharsets.UTF_8);
    var headers = exchange.getResponseHeaders();
    headers.set("Content-Type", "application/json");
    headers.set("Request-Id", response.requestId);
    headers.set("Stripe-Version", apiVersion);
    response.headers.forEach(headers::set);
    exchange.sendResponseHeaders(response.status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
