package dev.billingsdk.flutterwave.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.flutterwave.FlutterwaveSecretKey;
import dev.billingsdk.payment.PaymentProviderException;
import dev.billingsdk.payment.PaymentProviderException.Kind;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
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
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP transport to Flutterwave's v3 API: one instance per secret key, safe for concurrent use.
 *
 * <p>Every request carries {@code Authorization: Bearer <secret key>} and {@code Accept:
 * application/json}; a POST sends a JSON object ({@code Content-Type: application/json}). Every
 * answer is Flutterwave's envelope {@code {"status", "message", "data"}}: a call answers its {@code
 * data}, read with {@link FlutterwaveJson} (numbers with a fraction as exact {@code BigDecimal}s).
 * Every attempt has a connect timeout and a request timeout.
 *
 * <p><b>Retries.</b> Flutterwave takes no idempotency key, so a call is retried only where sending
 * it twice cannot move money twice: a GET, and {@code POST /v3/payments} (it creates a payment
 * link; the buyer pays, not the call). Those are retried on a network failure or timeout, a 5xx and
 * a 429, with exponential waits ({@code initial * 2^(n-1)}, capped, each drawn between half and all
 * of that) through an injected {@link Sleeper}. {@code POST /v3/tokenized-charges} and {@code POST
 * /v3/transactions/{id}/refund} (every other POST) are sent once: when they time out or fail on the
 * way, the outcome is unknown, and the {@link Kind#UNAVAILABLE} exception says so; the caller looks
 * the transaction up before trying again.
 *
 * <p><b>Circuit breaker.</b> Each attempt passes a Resilience4j {@link CircuitBreaker} timed by the
 * injected {@link Clock}. Network failures, timeouts and 5xx count as failures; any other answer
 * shows Flutterwave is up. When it is open nothing is sent: the call fails at once with {@link
 * Kind#CIRCUIT_OPEN}. {@link #health()} reports its state and the last error.
 *
 * <p><b>Errors.</b> 401 and 403 are {@link Kind#AUTHENTICATION}; 400 (and other 4xx) {@link
 * Kind#INVALID_REQUEST}; 404 is {@link Kind#INVALID_REQUEST} too, except through {@link #find},
 * which answers empty; 429 {@link Kind#RATE_LIMITED}; 5xx and network failures {@link
 * Kind#UNAVAILABLE}; a 2xx that is not a success envelope {@link Kind#UNKNOWN}. Messages carry
 * Flutterwave's {@code message} with anything shaped like a secret key removed, and never a body.
 */
public final class FlutterwaveHttp {
  /** Flutterwave's API host. */
  public static final URI DEFAULT_BASE_URI = URI.create("https://api.flutterwave.com");

  /** The provider name on every {@link PaymentProviderException} thrown here. */
  public static final String PROVIDER = "flutterwave";

  /** The one POST that is retried: creating a hosted payment link moves no money. */
  public static final String PAYMENTS = "/v3/payments";

  static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  static final int DEFAULT_MAX_ATTEMPTS = 3;
  static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
  static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(FlutterwaveHttp.class);

  /** Anything shaped like a Flutterwave secret key, test or live, masked or not. */
  private static final Pattern KEY_SHAPE = Pattern.compile("FLWSECK[A-Za-z0-9_*\\-]*");

  private static final Pattern PATH = Pattern.compile("/v3(?:/[A-Za-z0-9_\\-]+)+");
  private static final int MAX_MESSAGE_LENGTH = 500;

  /** How the transport waits between attempts; tests pass one that records instead. */
  @FunctionalInterface
  public interface Sleeper {
    /**
     * Waits.
     *
     * @param duration how long
     * @throws InterruptedException if the thread is interrupted
     */
    void sleep(Duration duration) throws InterruptedException;
  }

  /** The circuit breaker's state, as a health check reports it. */
  public enum BreakerState {
    /** Calls go through. */
    CLOSED,
    /** Calls fail at once; nothing is sent. */
    OPEN,
    /** The open wait is over; trial calls decide. */
    HALF_OPEN
  }

  /**
   * The breaker's state and the last failure that was Flutterwave's or the network's (or a refused
   * key, or throttling), with when it happened.
   *
   * @param state the breaker's state
   * @param lastError the last error's message, no secret in it
   * @param lastErrorAt when it happened, by the injected clock
   */
  public record Health(
      BreakerState state, @Nullable String lastError, @Nullable Instant lastErrorAt) {}

  private final FlutterwaveSecretKey key;
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

  private FlutterwaveHttp(Builder b) {
    this.key = b.key;
    this.baseUri = b.baseUri;
    HttpClient given = b.httpClient;
    this.client =
        given != null
            ? given
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
            PROVIDER,
            CircuitBreakerConfig.custom()
                .slidingWindow(b.breakerWindow, b.breakerWindow, SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(b.breakerFailureRatePercent)
                .waitDurationInOpenState(b.breakerOpenFor)
                .permittedNumberOfCallsInHalfOpenState(b.breakerHalfOpenCalls)
                .clock(b.clock)
                .build());
  }

  /**
   * A builder for a transport with this key; everything else has a default.
   *
   * @param key the secret key
   * @return the builder
   */
  public static Builder builder(FlutterwaveSecretKey key) {
    return new Builder(key);
  }

  // ------------------------------------------------------------------ calls

  /**
   * GETs {@code path} and answers the envelope's {@code data}; retried on failures that may pass.
   *
   * @param path e.g. {@code /v3/balances}
   * @param query query parameters, URL-encoded here
   * @return {@code data}
   * @throws PaymentProviderException if the call failed, after the retries (404 included)
   */
  public JsonNode get(String path, Map<String, String> query) {
    return send("GET", path, query, null, true, false).orElseThrow();
  }

  /**
   * GETs {@code path} like {@link #get}, but answers empty when Flutterwave says 404 (no such
   * transaction).
   *
   * @param path e.g. {@code /v3/transactions/4975363/verify}
   * @param query query parameters, URL-encoded here
   * @return {@code data}, or empty on 404
   * @throws PaymentProviderException if the call failed otherwise, after the retries
   */
  public Optional<JsonNode> find(String path, Map<String, String> query) {
    return send("GET", path, query, null, true, true);
  }

  /**
   * POSTs a JSON object to {@code path} and answers the envelope's {@code data}. Only {@value
   * #PAYMENTS} is retried; every other POST is sent once (see the class comment).
   *
   * @param path e.g. {@code /v3/tokenized-charges}
   * @param body the JSON object
   * @return {@code data}
   * @throws PaymentProviderException if the call failed; {@link Kind#UNAVAILABLE} for a POST that
   *     is not retried means its outcome is unknown
   */
  public JsonNode post(String path, ObjectNode body) {
    InvalidRequestException.requireNonNull(body, "body");
    return send("POST", path, Map.of(), body, PAYMENTS.equals(path), false).orElseThrow();
  }

  /**
   * The breaker's state and the last error, for a health check.
   *
   * @return the health
   */
  public Health health() {
    BreakerState state;
    switch (breaker.getState()) {
      case OPEN:
      case FORCED_OPEN:
        state = BreakerState.OPEN;
        break;
      case HALF_OPEN:
        state = BreakerState.HALF_OPEN;
        break;
      default:
        state = BreakerState.CLOSED;
    }
    synchronized (errorLock) {
      return new Health(state, lastError, lastErrorAt);
    }
  }

  /**
   * Where requests go.
   *
   * @return the base URI
   */
  public URI baseUri() {
    return baseUri;
  }

  @Override
  public String toString() {
    return "FlutterwaveHttp[" + baseUri + ", " + key + "]";
  }

  // ------------------------------------------------------------------ the attempt loop

  private Optional<JsonNode> send(
      String method,
      String path,
      Map<String, String> query,
      @Nullable ObjectNode body,
      boolean retryable,
      boolean notFoundIsEmpty) {
    checkPath(path);
    InvalidRequestException.requireNonNull(query, "query");
    HttpRequest request = request(method, path, query, body);
    PaymentProviderException previous = null;
    for (int attempt = 1; ; attempt++) {
      if (!breaker.tryAcquirePermission()) {
        if (previous != null) {
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
        outcome =
            Attempt.of(
                client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
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
      long elapsed = Math.max(0, Duration.between(started, clock.instant()).toNanos());
      if (outcome.countsAgainstFlutterwave()) {
        breaker.onError(elapsed, TimeUnit.NANOSECONDS, new IOException(outcome.summary()));
      } else {
        breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
      }
      if (outcome.data != null) {
        log.debug("Flutterwave {} {} -> {} (attempt {})", method, path, outcome.status, attempt);
        return Optional.of(outcome.data);
      }
      if (notFoundIsEmpty && outcome.status == 404) {
        log.debug("Flutterwave {} {} -> 404 (not found)", method, path);
        return Optional.empty();
      }
      boolean retry = retryable && outcome.retryable() && attempt < maxAttempts;
      PaymentProviderException failure =
          outcome.toException(method, path, attempt, retry, retryable);
      if (outcome.concernsHealth()) {
        noteError(String.valueOf(failure.getMessage()));
      }
      if (!retry) {
        log.debug("Flutterwave {} {} failed: {}", method, path, failure.getMessage());
        throw failure;
      }
      Duration wait = backoff(attempt);
      log.warn(
          "Flutterwave {} {}: {}; retrying in {} ms (attempt {} of {})",
          method,
          path,
          outcome.summary(),
          wait.toMillis(),
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

  private HttpRequest request(
      String method, String path, Map<String, String> query, @Nullable ObjectNode body) {
    StringJoiner q = new StringJoiner("&");
    query.forEach(
        (name, value) ->
            q.add(
                URLEncoder.encode(name, StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(value, StandardCharsets.UTF_8)));
    String target = q.length() == 0 ? path : path + "?" + q;
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(baseUri.resolve(target))
            .timeout(requestTimeout)
            .header("Authorization", "Bearer " + SecretAccess.key(key))
            .header("Accept", "application/json")
            .header("User-Agent", "billingsdk-flutterwave");
    if (body == null) {
      return builder.GET().build();
    }
    String json;
    try {
      json = FlutterwaveJson.mapper().writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always writes", e);
    }
    return builder
        .header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
        .build();
  }

  /**
   * {@code min(max, initial * 2^(attempt-1))}, then a uniform draw between half and all of it.
   *
   * @param attempt the attempt that failed, from 1
   * @return the wait before the next one
   */
  Duration backoff(int attempt) {
    long initial = initialBackoff.toMillis();
    long capped = maxBackoff.toMillis();
    // The initial wait is at most a minute (checkBackoff), so the shift cannot overflow.
    long exponential = attempt >= 31 ? capped : Math.min(capped, initial << (attempt - 1));
    double draw = Math.max(0.0, Math.min(1.0, random.getAsDouble()));
    return Duration.ofMillis(Math.round(exponential * (0.5 + 0.5 * draw)));
  }

  private void noteError(String message) {
    synchronized (errorLock) {
      lastError = message;
      lastErrorAt = clock.instant();
    }
  }

  // ------------------------------------------------------------------ one attempt

  /** What one attempt gave: the envelope's data on success, or what is needed to judge failure. */
  private static final class Attempt {
    final int status;
    final @Nullable JsonNode data;
    final @Nullable String message;
    final @Nullable IOException io;

    private Attempt(
        int status, @Nullable JsonNode data, @Nullable String message, @Nullable IOException io) {
      this.status = status;
      this.data = data;
      this.message = message;
      this.io = io;
    }

    static Attempt of(HttpResponse<String> response) {
      int status = response.statusCode();
      JsonNode body = parse(response.body());
      String message = null;
      if (body != null && body.path("message").isTextual()) {
        message = body.get("message").asText();
      }
      JsonNode data = null;
      if (status >= 200
          && status < 300
          && body != null
          && body.isObject()
          && "success".equals(body.path("status").asText(""))) {
        data = body.get("data");
      }
      return new Attempt(status, data, message, null);
    }

    static Attempt failed(IOException e) {
      return new Attempt(0, null, null, e);
    }

    private static @Nullable JsonNode parse(String body) {
      if (body.isBlank()) {
        return null;
      }
      try {
        return FlutterwaveJson.mapper().readTree(body);
      } catch (JsonProcessingException e) {
        return null;
      }
    }

    boolean retryable() {
      return io != null || status == 429 || status >= 500;
    }

    boolean countsAgainstFlutterwave() {
      return io != null || status >= 500;
    }

    boolean concernsHealth() {
      return countsAgainstFlutterwave() || status == 429 || status == 401 || status == 403;
    }

    Kind kind() {
      if (io != null || status >= 500) {
        return Kind.UNAVAILABLE;
      }
      if (status == 401 || status == 403) {
        return Kind.AUTHENTICATION;
      }
      if (status == 429) {
        return Kind.RATE_LIMITED;
      }
      if (status >= 400) {
        return Kind.INVALID_REQUEST;
      }
      return Kind.UNKNOWN;
    }

    String summary() {
      IOException e = io;
      if (e != null) {
        if (e instanceof HttpTimeoutException) {
          return "timed out";
        }
        if (e instanceof ConnectException) {
          return "could not connect (" + e.getClass().getSimpleName() + ")";
        }
        String detail = e.getMessage();
        return "failed: "
            + e.getClass().getSimpleName()
            + (detail == null || detail.isBlank() ? "" : " " + scrub(detail));
      }
      return "answered " + status;
    }

    PaymentProviderException toException(
        String method, String path, int attempts, boolean willRetry, boolean retryable) {
      StringBuilder text = new StringBuilder(method).append(' ').append(path).append(' ');
      text.append(summary());
      String said = message;
      if (said != null) {
        text.append(": ").append(scrub(said));
      } else if (io == null && status >= 200 && status < 300) {
        text.append(": not a success envelope");
      }
      if (attempts > 1) {
        text.append(" after ").append(attempts).append(" attempts");
      }
      Kind kind = kind();
      if (!willRetry && kind == Kind.UNAVAILABLE) {
        text.append(
            retryable
                ? "; try again later"
                : "; the outcome is unknown: Flutterwave takes no idempotency key, so this call"
                    + " is not retried; look the transaction up by its tx_ref before sending it"
                    + " again");
      }
      return new PaymentProviderException(
          PROVIDER, kind, text.toString(), status == 0 ? null : "http_" + status, null, io);
    }
  }

  /**
   * Text with anything shaped like a secret key removed, and cut short.
   *
   * @param text Flutterwave's or the JDK's message
   * @return the scrubbed text
   */
  static String scrub(String text) {
    String scrubbed = KEY_SHAPE.matcher(text).replaceAll("[redacted key]");
    return scrubbed.length() <= MAX_MESSAGE_LENGTH
        ? scrubbed
        : scrubbed.substring(0, MAX_MESSAGE_LENGTH) + "...";
  }

  private static void checkPath(String path) {
    InvalidRequestException.requireNonNull(path, "path");
    if (!PATH.matcher(path).matches()) {
      throw new InvalidRequestException(
          "path", path, "must be /v3/ and segments of letters, digits, '_' or '-'");
    }
  }

  // ------------------------------------------------------------------ configuration checks

  /**
   * Checks a base URI: {@code https://host}, or {@code http://} to a loopback address (a local
   * fake); no path, query, fragment or user info.
   *
   * @param baseUri the URI
   * @return it
   * @throws InvalidRequestException if it is not usable
   */
  public static URI checkBaseUri(URI baseUri) {
    InvalidRequestException.requireNonNull(baseUri, "baseUri");
    String scheme = baseUri.getScheme() == null ? "" : baseUri.getScheme().toLowerCase(Locale.ROOT);
    String host = baseUri.getHost();
    boolean loopback =
        host != null
            && (host.equals("localhost")
                || host.startsWith("127.")
                || host.equals("[::1]")
                || host.equals("::1"));
    if (host == null || !(scheme.equals("https") || (scheme.equals("http") && loopback))) {
      throw new InvalidRequestException(
          "baseUri", baseUri, "must be https://host, or http:// to a loopback address");
    }
    String path = baseUri.getRawPath();
    if ((path != null && !path.isEmpty() && !path.equals("/"))
        || baseUri.getRawQuery() != null
        || baseUri.getRawFragment() != null
        || baseUri.getRawUserInfo() != null) {
      throw new InvalidRequestException(
          "baseUri", baseUri, "must have no path, query, fragment or user info");
    }
    return baseUri;
  }

  /**
   * Checks a timeout: positive, at most 10 minutes.
   *
   * @param d the duration
   * @param field the setting's name
   * @return it
   */
  public static Duration checkTimeout(Duration d, String field) {
    InputContract.duration(d, field, true);
    if (d.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new InvalidRequestException(field, d, "must be at most 10 minutes");
    }
    return d;
  }

  /**
   * Checks a number of attempts: 1 (no retry) to 10.
   *
   * @param maxAttempts the number
   * @return it
   */
  public static int checkMaxAttempts(int maxAttempts) {
    if (maxAttempts < 1 || maxAttempts > 10) {
      throw new InvalidRequestException("maxAttempts", maxAttempts, "must be 1 to 10");
    }
    return maxAttempts;
  }

  /**
   * Checks backoff waits: both positive, the cap at least the first, the cap at most a minute.
   *
   * @param initial the first wait
   * @param max the cap
   */
  public static void checkBackoff(Duration initial, Duration max) {
    InputContract.duration(initial, "backoff", true);
    InputContract.duration(max, "maxBackoff", true);
    if (max.compareTo(initial) < 0) {
      throw new InvalidRequestException("maxBackoff", max, "must be at least " + initial);
    }
    if (max.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new InvalidRequestException("maxBackoff", max, "must be at most a minute");
    }
  }

  /**
   * Checks circuit-breaker settings.
   *
   * @param window the number of calls judged, at least 1
   * @param failureRatePercent in (0, 100]
   * @param openFor how long it stays open, positive
   * @param halfOpenCalls trial calls when half-open, at least 1
   */
  public static void checkBreaker(
      int window, float failureRatePercent, Duration openFor, int halfOpenCalls) {
    if (window < 1 || window > 1000) {
      throw new InvalidRequestException("circuitBreaker.window", window, "must be 1 to 1000");
    }
    if (!(failureRatePercent > 0 && failureRatePercent <= 100)) {
      throw new InvalidRequestException(
          "circuitBreaker.failureRatePercent", failureRatePercent, "must be in (0, 100]");
    }
    InputContract.duration(openFor, "circuitBreaker.openFor", true);
    if (halfOpenCalls < 1 || halfOpenCalls > 100) {
      throw new InvalidRequestException(
          "circuitBreaker.halfOpenCalls", halfOpenCalls, "must be 1 to 100");
    }
  }

  /**
   * Configures a {@link FlutterwaveHttp}. Defaults: {@link #DEFAULT_BASE_URI}, a 10 s connect
   * timeout, 30 s per request, 3 attempts, waits from 500 ms doubling to at most 5 s with jitter,
   * {@link Thread#sleep}, the system UTC clock, and a breaker that opens for 30 s when half of the
   * last 10 attempts failed, then lets 1 trial call through. Each setter checks its value at once.
   */
  public static final class Builder {
    private final FlutterwaveSecretKey key;
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

    private Builder(FlutterwaveSecretKey key) {
      this.key = InvalidRequestException.requireNonNull(key, "secretKey");
    }

    /**
     * Where to send requests.
     *
     * @param baseUri see {@link #checkBaseUri}
     * @return this
     */
    public Builder baseUri(URI baseUri) {
      this.baseUri = checkBaseUri(baseUri);
      return this;
    }

    /**
     * The JDK client to send with (a proxy, an SSL context); its own connect timeout applies.
     *
     * @param httpClient the client
     * @return this
     */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = InvalidRequestException.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /**
     * How long to wait for a connection.
     *
     * @param timeout positive
     * @return this
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = checkTimeout(timeout, "connectTimeout");
      return this;
    }

    /**
     * How long one attempt may take, from sending to the end of the answer.
     *
     * @param timeout positive
     * @return this
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = checkTimeout(timeout, "requestTimeout");
      return this;
    }

    /**
     * How many attempts a retried call makes at most, the first included.
     *
     * @param maxAttempts 1 to 10
     * @return this
     */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = checkMaxAttempts(maxAttempts);
      return this;
    }

    /**
     * The first wait between attempts and the cap of the doubling waits.
     *
     * @param initial the first wait
     * @param max the cap
     * @return this
     */
    public Builder backoff(Duration initial, Duration max) {
      checkBackoff(initial, max);
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /**
     * What waits between attempts.
     *
     * @param sleeper the sleeper
     * @return this
     */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = InvalidRequestException.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * The jitter's source of uniform draws in [0, 1).
     *
     * @param random the source
     * @return this
     */
    public Builder random(DoubleSupplier random) {
      this.random = InvalidRequestException.requireNonNull(random, "random");
      return this;
    }

    /**
     * The clock of the breaker, of attempt timings and of {@link Health#lastErrorAt()}.
     *
     * @param clock the clock
     * @return this
     */
    public Builder clock(Clock clock) {
      this.clock = InvalidRequestException.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The breaker opens when at least {@code failureRatePercent} of the last {@code window}
     * attempts failed (judged once {@code window} attempts were made), stays open for {@code
     * openFor}, then lets {@code halfOpenCalls} trial calls through.
     *
     * @param window see {@link #checkBreaker}
     * @param failureRatePercent see {@link #checkBreaker}
     * @param openFor see {@link #checkBreaker}
     * @param halfOpenCalls see {@link #checkBreaker}
     * @return this
     */
    public Builder circuitBreaker(
        int window, float failureRatePercent, Duration openFor, int halfOpenCalls) {
      checkBreaker(window, failureRatePercent, openFor, halfOpenCalls);
      this.breakerWindow = window;
      this.breakerFailureRatePercent = failureRatePercent;
      this.breakerOpenFor = openFor;
      this.breakerHalfOpenCalls = halfOpenCalls;
      return this;
    }

    /**
     * The transport.
     *
     * @return the transport
     */
    public FlutterwaveHttp build() {
      return new FlutterwaveHttp(this);
    }
  }
}
