package dev.billingsdk.stripe.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingsdk.payment.PaymentProviderException;
import dev.billingsdk.payment.PaymentProviderException.Kind;
import dev.billingsdk.stripe.StripeApiKey;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP transport to Stripe's API (v1): one instance per secret key, safe for concurrent use.
 *
 * <p>Every request carries {@code Authorization: Bearer <key>}, {@code Stripe-Version: }{@value
 * #API_VERSION} and {@code Accept: application/json}; a POST sends its parameters as a form in
 * Stripe's bracket encoding ({@link FormCodec}) with the caller's {@code Idempotency-Key}, and a
 * GET sends them as a query string. Responses are read into Jackson trees. Every call has a connect
 * timeout and a per-request timeout.
 *
 * <p><b>Retries.</b> An attempt is retried, with the same idempotency key and the same body, when
 * Stripe's documentation says that is safe (https://docs.stripe.com/error-low-level,
 * https://docs.stripe.com/api/idempotent_requests):
 *
 * <ul>
 *   <li>a {@code Stripe-Should-Retry: true} response header forces a retry and {@code false}
 *       forbids one, whatever the status;
 *   <li>otherwise: a network failure or timeout (the request may or may not have run; the
 *       idempotency key makes the retry safe), a 5xx, a 429 (rate limited, or {@code
 *       lock_timeout}), and a 409 whose {@code error.code} is {@code idempotency_key_in_use} or
 *       {@code lock_timeout} (another request holds the key or the object; no result was saved);
 *   <li>nothing else: a 400, 401, 402, 403, 404 or an {@code idempotency_error} gives the same
 *       answer however often it is sent.
 * </ul>
 *
 * The waits grow exponentially ({@code initial * 2^(n-1)}, capped) with jitter (each wait is drawn
 * from half to all of that), through an injected {@link Sleeper}. A GET is retried on the same
 * conditions. This is a loop and not Resilience4j's {@code Retry}: the decision reads the
 * response's header and body, and {@code Retry} sleeps through a JVM-wide static function, which a
 * test (or a host running other {@code Retry} instances) could not replace for this client alone.
 *
 * <p><b>Circuit breaker.</b> Each attempt passes a Resilience4j {@link CircuitBreaker}. Network
 * failures, timeouts and 5xx count as failures; any other answer from Stripe (a decline, a 400)
 * shows Stripe is up and counts as a success. When the breaker is open no request is sent: a call
 * fails with {@link Kind#CIRCUIT_OPEN} at once, and a retry that the breaker refuses ends the call
 * with the failure before it. {@link #health()} reports its state and the last error, timed by the
 * injected {@link Clock}; after the open wait the next call is let through (half-open).
 *
 * <p><b>Errors.</b> A call that does not succeed throws {@link PaymentProviderException} (provider
 * {@code stripe}) with Stripe's {@code error.code} as its provider code and the {@code Request-Id}
 * header as its request id; its cause is a {@link StripeError} with the rest of Stripe's error
 * object, or the I/O exception. Kinds: 401 and 403 are {@link Kind#AUTHENTICATION}; an {@code
 * idempotency_error} is {@link Kind#IDEMPOTENCY_CONFLICT}; 402 or a {@code card_error} is {@link
 * Kind#DECLINED} (the message names the code and decline code); 429 is {@link Kind#RATE_LIMITED}; a
 * 5xx, a 409 on a key in use, or a network failure is {@link Kind#UNAVAILABLE}; other 400 and 404
 * are {@link Kind#INVALID_REQUEST}. The secret key appears in no message and no log line: Stripe's
 * own messages are scrubbed of anything shaped like a key.
 */
public final class StripeHttp {
  /**
   * The API version this transport pins on every request. 2026-11-18.endive is the newest monthly
   * release of Endive, Stripe's current major release, listed in Stripe's API changelog
   * (https://docs.stripe.com/changelog, https://docs.stripe.com/api-versions). Pinning it makes the
   * request parameters and response shapes independent of the account's default version. Endive
   * removed {@code payment_method_types} from Checkout Session and PaymentIntent creation: the
   * adapter does not send it. Monthly releases within a major release are backward compatible, so
   * moving to a later Endive version is safe; a new major release needs a review of the fields
   * read.
   */
  public static final String API_VERSION = "2026-11-18.endive";

  /** Stripe's API host. */
  public static final URI DEFAULT_BASE_URI = URI.create("https://api.stripe.com");

  /** The provider name on every {@link PaymentProviderException} thrown here. */
  public static final String PROVIDER = "stripe";

  static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  static final int DEFAULT_MAX_ATTEMPTS = 3;
  static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
  static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(StripeHttp.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Stripe's codes for "another request holds this key or object right now" (409 or 429). */
  private static final Set<String> IN_PROGRESS_CODES =
      Set.of("idempotency_key_in_use", "lock_timeout");

  /** Anything shaped like a Stripe key, including Stripe's own masked echo of one. */
  private static final Pattern KEY_SHAPE =
      Pattern.compile("\\b(?:sk|rk|pk)_(?:test|live)_[A-Za-z0-9*]*");

  private static final Pattern PATH = Pattern.compile("/v1(?:/[A-Za-z0-9_.\\-]+)+");
  private static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;
  private static final int MAX_MESSAGE_LENGTH = 500;

  /** How the transport waits between attempts; tests pass one that records instead of sleeping. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /** The circuit breaker's state, as a health check reports it. */
  public enum BreakerState {
    /** Calls go through. */
    CLOSED,
    /** Calls fail at once with {@link Kind#CIRCUIT_OPEN}; nothing is sent. */
    OPEN,
    /** The open wait is over and a trial call decides whether to close or open again. */
    HALF_OPEN
  }

  /**
   * The breaker's state, and the last error that was Stripe's or the network's (not a declined card
   * or a malformed request): its message and when it happened.
   */
  public record Health(
      BreakerState state, @Nullable String lastError, @Nullable Instant lastErrorAt) {}

  private final StripeApiKey key;
  private final URI baseUri;
  private final HttpClient client;
  private final Duration requestTimeout;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Sleeper sleeper;
  private final DoubleSupplier random;
  private final Clock clock;
  private final CircuitBreaker breaker;

  private final Object errorLock = new Object();
  private @Nullable String lastError;
  private @Nullable Instant lastErrorAt;

  private StripeHttp(Builder b) {
    this.key = b.key;
    this.baseUri = b.baseUri;
    this.client =
        b.httpClient != null
            ? b.httpClient
            : HttpClient.newBuilder()
                .connectTimeout(b.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    this.requestTimeout = b.requestTimeout;
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.sleeper = b.sleeper;
    this.random = b.random;
    this.clock = b.clock;
    this.breaker =
        CircuitBreaker.of(
            "stripe",
            CircuitBreakerConfig.custom()
                .slidingWindow(b.breakerWindow, b.breakerWindow, SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(b.breakerFailureRatePercent)
                .waitDurationInOpenState(b.breakerOpenFor)
                .permittedNumberOfCallsInHalfOpenState(b.breakerHalfOpenCalls)
                .clock(b.clock)
                .build());
  }

  /** A builder for a transport with this key; everything else has a default. */
  public static Builder builder(StripeApiKey key) {
    return new Builder(key);
  }

  /**
   * POSTs a form to {@code path} (e.g. {@code /v1/checkout/sessions}) and answers Stripe's JSON.
   *
   * @param idempotencyKey the caller's key for this operation, sent on every attempt; a retry of
   *     the same operation after this call failed must pass the same key again
   * @throws IllegalArgumentException if the key is blank, longer than Stripe's 255 characters or
   *     not a printable ASCII header value, or the path or a parameter is malformed
   * @throws PaymentProviderException if Stripe or the network failed, after the retries
   */
  public JsonNode post(String path, Map<String, ?> params, String idempotencyKey) {
    checkPath(path);
    checkIdempotencyKey(idempotencyKey);
    String body = FormCodec.encode(params);
    HttpRequest request =
        newRequest(path, "")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Idempotency-Key", idempotencyKey)
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build();
    return call("POST", path, request, idempotencyKey);
  }

  /** GETs {@code path} without parameters; see {@link #get(String, Map)}. */
  public JsonNode get(String path) {
    return get(path, Map.of());
  }

  /**
   * GETs {@code path} with {@code query} as a query string (bracket-encoded, e.g. {@code
   * expand[0]=payment_intent}) and answers Stripe's JSON. Retried like a POST; a GET needs no
   * idempotency key.
   *
   * @throws PaymentProviderException if Stripe or the network failed, after the retries
   */
  public JsonNode get(String path, Map<String, ?> query) {
    checkPath(path);
    HttpRequest request = newRequest(path, FormCodec.encode(query)).GET().build();
    return call("GET", path, request, null);
  }

  /** The breaker's state and the last error, for a health check. */
  public Health health() {
    BreakerState state =
        switch (breaker.getState()) {
          case OPEN, FORCED_OPEN -> BreakerState.OPEN;
          case HALF_OPEN -> BreakerState.HALF_OPEN;
          default -> BreakerState.CLOSED;
        };
    synchronized (errorLock) {
      return new Health(state, lastError, lastErrorAt);
    }
  }

  /** Where requests go: {@link #DEFAULT_BASE_URI} unless configured otherwise. */
  public URI baseUri() {
    return baseUri;
  }

  /** How many attempts a call makes at most, the first included. */
  public int maxAttempts() {
    return maxAttempts;
  }

  @Override
  public String toString() {
    return "StripeHttp[" + baseUri + ", " + key + ", Stripe-Version " + API_VERSION + "]";
  }

  // ------------------------------------------------------------------ the attempt loop

  private HttpRequest.Builder newRequest(String path, String query) {
    URI uri = baseUri.resolve(query.isEmpty() ? path : path + "?" + query);
    return HttpRequest.newBuilder(uri)
        .timeout(requestTimeout)
        .header("Authorization", "Bearer " + key.secret())
        .header("Stripe-Version", API_VERSION)
        .header("Accept", "application/json")
        .header("User-Agent", "billingsdk-stripe");
  }

  private JsonNode call(
      String method, String path, HttpRequest request, @Nullable String idempotencyKey) {
    PaymentProviderException previous = null;
    for (int attempt = 1; ; attempt++) {
      if (!breaker.tryAcquirePermission()) {
        if (previous != null) {
          log.warn(
              "Stripe {} {}: not retried, the circuit breaker opened (attempt {} of {})",
              method,
              path,
              attempt,
              maxAttempts);
          throw previous;
        }
        throw new PaymentProviderException(
            PROVIDER,
            Kind.CIRCUIT_OPEN,
            method + " " + path + " not sent: the circuit breaker is open after repeated failures",
            null,
            null,
            null);
      }
      Instant started = clock.instant();
      Attempt outcome;
      try {
        HttpResponse<String> response =
            client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        outcome = Attempt.of(response);
      } catch (IOException e) {
        outcome = Attempt.failed(e);
      } catch (InterruptedException e) {
        breaker.releasePermission();
        Thread.currentThread().interrupt();
        throw new PaymentProviderException(
            PROVIDER,
            Kind.UNAVAILABLE,
            method + " " + path + " interrupted; its outcome is unknown",
            null,
            null,
            e);
      }
      long elapsed = Duration.between(started, clock.instant()).toNanos();
      if (outcome.json != null) {
        breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
        log.debug(
            "Stripe {} {} -> {} [{}] (attempt {})",
            method,
            path,
            outcome.status,
            outcome.requestId,
            attempt);
        return outcome.json;
      }
      boolean retry = outcome.retryable() && attempt < maxAttempts;
      PaymentProviderException failure = outcome.toException(method, path, attempt, retry);
      if (outcome.countsAgainstStripe()) {
        breaker.onError(elapsed, TimeUnit.NANOSECONDS, failure);
      } else {
        breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
      }
      if (outcome.concernsHealth()) {
        noteError(String.valueOf(failure.getMessage()));
      }
      if (!retry) {
        log.debug("Stripe {} {} failed: {}", method, path, failure.getMessage());
        throw failure;
      }
      Duration wait = backoff(attempt);
      log.warn(
          "Stripe {} {}: {}; retrying in {} ms with the same idempotency key {} (attempt {} of {})",
          method,
          path,
          outcome.summary(),
          wait.toMillis(),
          idempotencyKey == null ? "(GET)" : idempotencyKey,
          attempt + 1,
          maxAttempts);
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw failure;
      }
      previous = failure;
    }
  }

  /** {@code min(max, initial * 2^(attempt-1))}, then a uniform draw between half and all of it. */
  Duration backoff(int attempt) {
    long initial = initialBackoff.toMillis();
    long capped = maxBackoff.toMillis();
    long exponential = attempt >= 31 ? capped : Math.min(capped, initial << (attempt - 1));
    if (exponential < 0) {
      exponential = capped;
    }
    double draw = Math.max(0.0, Math.min(1.0, random.getAsDouble()));
    return Duration.ofMillis(Math.round(exponential * (0.5 + 0.5 * draw)));
  }

  private void noteError(String message) {
    synchronized (errorLock) {
      lastError = message;
      lastErrorAt = clock.instant();
    }
  }

  // ------------------------------------------------------------------ one attempt's outcome

  /** What one attempt gave: parsed JSON on success, or what is needed to judge the failure. */
  private static final class Attempt {
    final int status;
    final @Nullable JsonNode json;
    final @Nullable JsonNode error;
    final @Nullable String requestId;
    final @Nullable String shouldRetry;
    final @Nullable IOException io;

    private Attempt(
        int status,
        @Nullable JsonNode json,
        @Nullable JsonNode error,
        @Nullable String requestId,
        @Nullable String shouldRetry,
        @Nullable IOException io) {
      this.status = status;
      this.json = json;
      this.error = error;
      this.requestId = requestId;
      this.shouldRetry = shouldRetry;
      this.io = io;
    }

    static Attempt of(HttpResponse<String> response) {
      int status = response.statusCode();
      String requestId = response.headers().firstValue("Request-Id").orElse(null);
      String shouldRetry = response.headers().firstValue("Stripe-Should-Retry").orElse(null);
      JsonNode body = parse(response.body());
      if (status >= 200 && status < 300) {
        if (body != null && body.isObject()) {
          return new Attempt(status, body, null, requestId, shouldRetry, null);
        }
        // 2xx without a JSON object: not something the adapter can read. Not retried (the
        // operation ran), reported as UNKNOWN below.
        return new Attempt(status, null, null, requestId, "false", null);
      }
      JsonNode error = body != null && body.path("error").isObject() ? body.get("error") : null;
      return new Attempt(status, null, error, requestId, shouldRetry, null);
    }

    static Attempt failed(IOException e) {
      return new Attempt(0, null, null, null, null, e);
    }

    private static @Nullable JsonNode parse(String body) {
      if (body.isBlank()) {
        return null;
      }
      try {
        return JSON.readTree(body);
      } catch (JsonProcessingException e) {
        return null;
      }
    }

    @Nullable String errorField(String name) {
      if (error == null) {
        return null;
      }
      JsonNode field = error.get(name);
      return field != null && field.isTextual() ? field.asText() : null;
    }

    boolean inProgress() {
      String code = errorField("code");
      return code != null && IN_PROGRESS_CODES.contains(code);
    }

    /** Stripe's advice first, then the status (see the class comment). */
    boolean retryable() {
      if (io != null) {
        return true;
      }
      if (shouldRetry != null) {
        String advice = shouldRetry.trim().toLowerCase(Locale.ROOT);
        if (advice.equals("true")) {
          return true;
        }
        if (advice.equals("false")) {
          return false;
        }
      }
      return status == 429 || status >= 500 || (status == 409 && inProgress());
    }

    /** Failures that say Stripe (or the way to it) is unwell: they feed the circuit breaker. */
    boolean countsAgainstStripe() {
      return io != null || status >= 500;
    }

    /** Failures a health check shows: those, and being throttled or refused the key. */
    boolean concernsHealth() {
      return countsAgainstStripe() || status == 429 || status == 401 || status == 403;
    }

    Kind kind() {
      if (io != null || status >= 500) {
        return Kind.UNAVAILABLE;
      }
      String type = errorField("type");
      if (status == 401 || status == 403) {
        return Kind.AUTHENTICATION;
      }
      if ((status == 409 || status == 429) && inProgress()) {
        return status == 429 ? Kind.RATE_LIMITED : Kind.UNAVAILABLE;
      }
      if ("idempotency_error".equals(type)) {
        return Kind.IDEMPOTENCY_CONFLICT;
      }
      if (status == 402 || "card_error".equals(type)) {
        return Kind.DECLINED;
      }
      if (status == 429) {
        return Kind.RATE_LIMITED;
      }
      if (status == 400 || status == 404 || "invalid_request_error".equals(type)) {
        return Kind.INVALID_REQUEST;
      }
      return Kind.UNKNOWN;
    }

    String summary() {
      if (io != null) {
        return describe(io);
      }
      StringBuilder s = new StringBuilder("answered ").append(status);
      String type = errorField("type");
      String code = errorField("code");
      if (type != null) {
        s.append(' ').append(type);
      }
      if (code != null) {
        s.append(" (code ").append(code);
        String declineCode = errorField("decline_code");
        if (declineCode != null) {
          s.append(", decline_code ").append(declineCode);
        }
        s.append(')');
      }
      return s.toString();
    }

    PaymentProviderException toException(
        String method, String path, int attempts, boolean willRetry) {
      StringBuilder message = new StringBuilder(method).append(' ').append(path).append(' ');
      message.append(summary());
      String stripeMessage = errorField("message");
      if (stripeMessage != null) {
        message.append(": ").append(scrub(stripeMessage));
      } else if (io == null && json == null && error == null && status >= 200 && status < 300) {
        message.append(": the body is not a JSON object");
      }
      if (requestId != null) {
        message.append(" [request ").append(requestId).append(']');
      }
      if (attempts > 1) {
        message.append(" after ").append(attempts).append(" attempts");
      }
      Kind kind = io == null && status >= 200 && status < 300 ? Kind.UNKNOWN : kind();
      Throwable cause = io != null ? io : stripeError();
      if (!willRetry && (kind == Kind.UNAVAILABLE || kind == Kind.RATE_LIMITED)) {
        message.append("; retry later with the same idempotency key");
      }
      return new PaymentProviderException(
          PROVIDER, kind, message.toString(), errorField("code"), requestId, cause);
    }

    private StripeError stripeError() {
      String paymentIntent = null;
      if (error != null && error.path("payment_intent").path("id").isTextual()) {
        paymentIntent = error.path("payment_intent").path("id").asText();
      }
      String message = errorField("message");
      return new StripeError(
          status,
          errorField("type"),
          errorField("code"),
          errorField("decline_code"),
          errorField("param"),
          paymentIntent,
          requestId,
          shouldRetry,
          message == null ? summary() : scrub(message));
    }

    private static String describe(IOException e) {
      if (e instanceof HttpTimeoutException) {
        return "timed out (" + e.getClass().getSimpleName() + ")";
      }
      if (e instanceof ConnectException) {
        return "could not connect (" + e.getClass().getSimpleName() + ")";
      }
      String detail = e.getMessage();
      return "failed: "
          + e.getClass().getSimpleName()
          + (detail == null || detail.isBlank() ? "" : " " + scrub(detail));
    }
  }

  /** Stripe's (or the JDK's) text with anything shaped like an API key removed, and cut short. */
  static String scrub(String text) {
    String scrubbed = KEY_SHAPE.matcher(text).replaceAll("[redacted key]");
    return scrubbed.length() <= MAX_MESSAGE_LENGTH
        ? scrubbed
        : scrubbed.substring(0, MAX_MESSAGE_LENGTH) + "...";
  }

  private static void checkPath(String path) {
    Objects.requireNonNull(path, "path");
    if (!PATH.matcher(path).matches() || path.contains("/../") || path.endsWith("/..")) {
      throw new IllegalArgumentException(
          "a Stripe API path is /v1/ and segments of letters, digits, '_', '-' or '.'; got "
              + path);
    }
  }

  private static void checkIdempotencyKey(String idempotencyKey) {
    Objects.requireNonNull(idempotencyKey, "idempotencyKey: every POST to Stripe carries one");
    if (idempotencyKey.isBlank()) {
      throw new IllegalArgumentException(
          "every POST to Stripe carries a non-blank idempotency key");
    }
    if (idempotencyKey.length() > MAX_IDEMPOTENCY_KEY_LENGTH) {
      throw new IllegalArgumentException(
          "Stripe's idempotency keys are at most 255 characters; this one has "
              + idempotencyKey.length());
    }
    for (int i = 0; i < idempotencyKey.length(); i++) {
      char c = idempotencyKey.charAt(i);
      if (c < 0x20 || c >= 0x7f) {
        throw new IllegalArgumentException(
            "an idempotency key is sent as a header: printable ASCII only");
      }
    }
  }

  // ------------------------------------------------------------------ configuration

  /**
   * Configures a {@link StripeHttp}. Defaults: {@link #DEFAULT_BASE_URI}, a 10 s connect timeout, a
   * 30 s timeout per request, 3 attempts, waits from 500 ms doubling up to 5 s with jitter, {@link
   * Thread#sleep}, the system UTC clock, and a breaker that opens for 30 s when half of the last 10
   * attempts failed and then lets 1 trial call through.
   */
  public static final class Builder {
    private final StripeApiKey key;
    private URI baseUri = DEFAULT_BASE_URI;
    private @Nullable HttpClient httpClient;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private Sleeper sleeper = duration -> Thread.sleep(duration.toMillis());
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
    private Clock clock = Clock.systemUTC();
    private int breakerWindow = 10;
    private float breakerFailureRatePercent = 50;
    private Duration breakerOpenFor = Duration.ofSeconds(30);
    private int breakerHalfOpenCalls = 1;

    private Builder(StripeApiKey key) {
      this.key = Objects.requireNonNull(key, "key");
    }

    /**
     * Where to send requests: {@code https://} (Stripe refuses plain HTTP), or {@code http://} to a
     * loopback address only (a local fake such as {@code FakeStripe}). No path, query or fragment.
     */
    public Builder baseUri(URI baseUri) {
      Objects.requireNonNull(baseUri, "baseUri");
      String scheme =
          baseUri.getScheme() == null ? "" : baseUri.getScheme().toLowerCase(Locale.ROOT);
      String host = baseUri.getHost();
      boolean loopback =
          host != null
              && (host.equals("localhost")
                  || host.startsWith("127.")
                  || host.equals("[::1]")
                  || host.equals("::1"));
      if (host == null || !(scheme.equals("https") || (scheme.equals("http") && loopback))) {
        throw new IllegalArgumentException(
            "the base URI is https://host, or http:// to a loopback address; got " + baseUri);
      }
      String path = baseUri.getRawPath();
      if ((path != null && !path.isEmpty() && !path.equals("/"))
          || baseUri.getRawQuery() != null
          || baseUri.getRawFragment() != null
          || baseUri.getRawUserInfo() != null) {
        throw new IllegalArgumentException(
            "the base URI has no path, query, fragment or user info; got " + baseUri);
      }
      this.baseUri = baseUri;
      return this;
    }

    /** The JDK client to send with (a proxy, a custom SSL context); its connect timeout applies. */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /** How long to wait for a connection (ignored with {@link #httpClient}). */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive(connectTimeout, "connectTimeout");
      return this;
    }

    /** How long one attempt may take, from sending to the end of the response. */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = positive(requestTimeout, "requestTimeout");
      return this;
    }

    /** How many attempts a call makes at most, the first included: 1 (no retry) to 10. */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1 || maxAttempts > 10) {
        throw new IllegalArgumentException("maxAttempts is 1 to 10; got " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** The first wait between attempts and the cap of the doubling waits. */
    public Builder backoff(Duration initial, Duration max) {
      positive(initial, "initial backoff");
      positive(max, "max backoff");
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("the max backoff is at least the initial one");
      }
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /** What waits between attempts. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** The jitter's source of uniform draws in [0, 1). */
    public Builder random(DoubleSupplier random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** The clock of the breaker's open wait and of {@link Health#lastErrorAt()}. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The breaker opens when at least {@code failureRatePercent} of the last {@code window}
     * attempts failed (judged once {@code window} attempts were made), stays open for {@code
     * openFor}, then lets {@code halfOpenCalls} trial calls through.
     */
    public Builder circuitBreaker(
        int window, float failureRatePercent, Duration openFor, int halfOpenCalls) {
      if (window < 1) {
        throw new IllegalArgumentException("the breaker's window is at least 1 call");
      }
      if (!(failureRatePercent > 0 && failureRatePercent <= 100)) {
        throw new IllegalArgumentException("the failure rate is a percentage in (0, 100]");
      }
      if (halfOpenCalls < 1) {
        throw new IllegalArgumentException("the half-open state lets at least 1 call through");
      }
      this.breakerWindow = window;
      this.breakerFailureRatePercent = failureRatePercent;
      this.breakerOpenFor = positive(openFor, "openFor");
      this.breakerHalfOpenCalls = halfOpenCalls;
      return this;
    }

    public StripeHttp build() {
      return new StripeHttp(this);
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(what + " is positive; got " + d);
      }
      return d;
    }
  }
}
