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
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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

  private static final Logger log = LoggerFactory.getLogger(FlutterwaveHttp.class);

  /** Anything shaped like a Flutterwave secret key, test or live, masked or not. */
  private static final Pattern KEY_SHAPE = Pattern.compile("FLWSECK[A-Za-z0-9_*\\-]*");

  private static final Pattern PATH = Pattern.compile("/v3(?:/[A-Za-z0-9_\\-]+)+");

  /** Flutterwave's messages are short; anything longer is cut to this. */
  private static final int MESSAGE_LIMIT = 500;

  /** Hosts a plain-HTTP base URI may name: a fake on this machine. */
  private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "[::1]", "::1");

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

  /** A failure worth showing in {@link #health()}. */
  private record Noted(String message, Instant at) {}

  /** Everything a transport is configured with; the builder fills one in. */
  private record Settings(
      URI baseUri,
      @Nullable HttpClient client,
      Duration connectTimeout,
      Duration requestTimeout,
      int maxAttempts,
      Duration firstWait,
      Duration longestWait,
      Sleeper sleeper,
      DoubleSupplier jitter,
      Clock clock,
      int window,
      float failurePercent,
      Duration openFor,
      int trialCalls) {}

  /** One request to make: what to send, and how its failures are treated. */
  private record Call(
      String method, String path, HttpRequest request, boolean repeatable, boolean absentOn404) {
    String label() {
      return method + " " + path;
    }
  }

  private final FlutterwaveSecretKey key;
  private final Settings settings;
  private final HttpClient client;
  private final CircuitBreaker breaker;
  private final AtomicReference<@Nullable Noted> lastNoted = new AtomicReference<>();

  private FlutterwaveHttp(FlutterwaveSecretKey key, Settings settings) {
    this.key = key;
    this.settings = settings;
    HttpClient given = settings.client();
    this.client =
        given != null
            ? given
            : HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    CircuitBreakerConfig config =
        CircuitBreakerConfig.custom()
            .clock(settings.clock())
            .slidingWindowType(SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(settings.window())
            .minimumNumberOfCalls(settings.window())
            .failureRateThreshold(settings.failurePercent())
            .waitDurationInOpenState(settings.openFor())
            .permittedNumberOfCallsInHalfOpenState(settings.trialCalls())
            .build();
    this.breaker = CircuitBreaker.of(PROVIDER, config);
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
    return run(new Call("GET", path, getRequest(path, query), true, false)).orElseThrow();
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
    return run(new Call("GET", path, getRequest(path, query), true, true));
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
    String json;
    try {
      json = FlutterwaveJson.mapper().writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always writes", e);
    }
    HttpRequest request =
        authorized(path, "")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
            .build();
    return run(new Call("POST", path, request, PAYMENTS.equals(path), false)).orElseThrow();
  }

  /**
   * The breaker's state and the last error, for a health check.
   *
   * @return the health
   */
  public Health health() {
    CircuitBreaker.State raw = breaker.getState();
    BreakerState state =
        raw == CircuitBreaker.State.HALF_OPEN
            ? BreakerState.HALF_OPEN
            : raw == CircuitBreaker.State.OPEN || raw == CircuitBreaker.State.FORCED_OPEN
                ? BreakerState.OPEN
                : BreakerState.CLOSED;
    Noted noted = lastNoted.get();
    return noted == null
        ? new Health(state, null, null)
        : new Health(state, noted.message(), noted.at());
  }

  /**
   * Where requests go.
   *
   * @return the base URI
   */
  public URI baseUri() {
    return settings.baseUri();
  }

  @Override
  public String toString() {
    return "FlutterwaveHttp[" + settings.baseUri() + ", " + key + "]";
  }

  // ------------------------------------------------------------------ requests

  private HttpRequest getRequest(String path, Map<String, String> query) {
    InvalidRequestException.requireNonNull(query, "query");
    String encoded =
        query.entrySet().stream()
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"));
    return authorized(path, encoded).GET().build();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private HttpRequest.Builder authorized(String path, String query) {
    checkPath(path);
    URI target = settings.baseUri().resolve(query.isEmpty() ? path : path + '?' + query);
    return HttpRequest.newBuilder(target)
        .timeout(settings.requestTimeout())
        .header("Accept", "application/json")
        .header("Authorization", "Bearer " + SecretAccess.key(key))
        .header("User-Agent", "billingsdk-flutterwave");
  }

  // ------------------------------------------------------------------ attempts

  private Optional<JsonNode> run(Call call) {
    PaymentProviderException previous = null;
    int attempt = 0;
    while (true) {
      attempt++;
      if (!breaker.tryAcquirePermission()) {
        // A retry the breaker refuses ends the call with the failure that came before it.
        throw previous != null ? previous : circuitOpen(call);
      }
      Reply reply = attemptOnce(call);
      JsonNode data = reply.data();
      if (data != null) {
        log.debug("Flutterwave {} -> {} (attempt {})", call.label(), reply.status(), attempt);
        return Optional.of(data);
      }
      if (call.absentOn404() && reply.status() == 404) {
        return Optional.empty();
      }
      boolean again =
          call.repeatable() && reply.transientFailure() && attempt < settings.maxAttempts();
      PaymentProviderException failure = reply.toException(call, attempt, again);
      if (reply.healthRelevant()) {
        lastNoted.set(new Noted(String.valueOf(failure.getMessage()), settings.clock().instant()));
      }
      if (!again) {
        log.debug("Flutterwave {} failed: {}", call.label(), failure.getMessage());
        throw failure;
      }
      Duration wait = backoff(attempt);
      log.warn(
          "Flutterwave {}: {}; attempt {} of {} in {} ms",
          call.label(),
          reply.describe(),
          attempt + 1,
          settings.maxAttempts(),
          wait.toMillis());
      try {
        settings.sleeper().sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw failure;
      }
      previous = failure;
    }
  }

  /** Sends once, and tells the breaker how it went (timed by the injected clock). */
  private Reply attemptOnce(Call call) {
    long startedMillis = settings.clock().millis();
    Reply reply;
    try {
      reply =
          Reply.read(
              client.send(
                  call.request(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      reply = Reply.failed(e);
    } catch (InterruptedException e) {
      breaker.releasePermission();
      Thread.currentThread().interrupt();
      throw new PaymentProviderException(
          PROVIDER,
          Kind.UNAVAILABLE,
          call.label() + " interrupted; its outcome is unknown",
          null,
          null,
          e);
    }
    long tookMillis = Math.max(0, settings.clock().millis() - startedMillis);
    if (reply.providerFault()) {
      breaker.onError(tookMillis, TimeUnit.MILLISECONDS, new IOException(reply.describe()));
    } else {
      breaker.onSuccess(tookMillis, TimeUnit.MILLISECONDS);
    }
    return reply;
  }

  private static PaymentProviderException circuitOpen(Call call) {
    return new PaymentProviderException(
        PROVIDER,
        Kind.CIRCUIT_OPEN,
        call.label() + " not sent: the circuit breaker is open after repeated failures",
        null,
        null,
        null);
  }

  /**
   * The wait after failed attempt {@code attempt} (from 1): the first wait doubled {@code attempt -
   * 1} times, at most the longest wait, then drawn between half and all of that.
   *
   * @param attempt the attempt that failed
   * @return the wait before the next one
   */
  Duration backoff(int attempt) {
    Duration step = settings.firstWait();
    for (int i = 1; i < attempt && step.compareTo(settings.longestWait()) < 0; i++) {
      step = step.multipliedBy(2);
    }
    long ceiling =
        (step.compareTo(settings.longestWait()) > 0 ? settings.longestWait() : step).toMillis();
    double draw = Math.min(1.0, Math.max(0.0, settings.jitter().getAsDouble()));
    return Duration.ofMillis(ceiling - Math.round(ceiling / 2.0 * (1.0 - draw)));
  }

  /**
   * What one attempt came back with: an HTTP status and its parsed body, or an I/O failure (status
   * 0). {@code data} is set only for a success envelope.
   */
  private record Reply(
      int status, @Nullable JsonNode data, @Nullable String said, @Nullable IOException io) {

    static Reply read(HttpResponse<String> response) {
      JsonNode envelope;
      try {
        envelope =
            response.body().isBlank() ? null : FlutterwaveJson.mapper().readTree(response.body());
      } catch (JsonProcessingException e) {
        envelope = null;
      }
      int status = response.statusCode();
      if (envelope == null || !envelope.isObject()) {
        return new Reply(status, null, null, null);
      }
      JsonNode message = envelope.get("message");
      String said = message != null && message.isTextual() ? message.asText() : null;
      boolean success = status / 100 == 2 && "success".equals(envelope.path("status").asText(""));
      return new Reply(status, success ? envelope.get("data") : null, said, null);
    }

    static Reply failed(IOException e) {
      return new Reply(0, null, null, e);
    }

    /** Worth another attempt where a retry is safe. */
    boolean transientFailure() {
      return status == 0 || status == 429 || status >= 500;
    }

    /** Says Flutterwave (or the way to it) is unwell: counts against the breaker. */
    boolean providerFault() {
      return status == 0 || status >= 500;
    }

    /** Shown by a health check: those, throttling, and a refused key. */
    boolean healthRelevant() {
      return providerFault() || status == 429 || status == 401 || status == 403;
    }

    Kind kind() {
      if (providerFault()) {
        return Kind.UNAVAILABLE;
      }
      switch (status) {
        case 401:
        case 403:
          return Kind.AUTHENTICATION;
        case 429:
          return Kind.RATE_LIMITED;
        default:
          return status >= 400 ? Kind.INVALID_REQUEST : Kind.UNKNOWN;
      }
    }

    String describe() {
      IOException e = io;
      if (e == null) {
        return "answered " + status;
      }
      if (e instanceof HttpTimeoutException) {
        return "timed out";
      }
      if (e instanceof ConnectException) {
        return "could not connect (" + e.getClass().getSimpleName() + ")";
      }
      String detail = e.getMessage();
      return detail == null
          ? "failed: " + e.getClass().getSimpleName()
          : "failed: " + e.getClass().getSimpleName() + " " + scrub(detail);
    }

    PaymentProviderException toException(Call call, int attempts, boolean willRetry) {
      StringBuilder text = new StringBuilder(call.label()).append(' ').append(describe());
      String message = said;
      if (message != null) {
        text.append(": ").append(scrub(message));
      } else if (status / 100 == 2) {
        text.append(": not a success envelope");
      }
      if (attempts > 1) {
        text.append(" after ").append(attempts).append(" attempts");
      }
      Kind kind = kind();
      if (kind == Kind.UNAVAILABLE && !willRetry) {
        text.append(
            call.repeatable()
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
    String clean = KEY_SHAPE.matcher(text).replaceAll("[redacted key]");
    return clean.length() > MESSAGE_LIMIT ? clean.substring(0, MESSAGE_LIMIT) + "..." : clean;
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
    String host = baseUri.getHost();
    if (host == null) {
      throw new InvalidRequestException("baseUri", baseUri, "must name a host");
    }
    String scheme = String.valueOf(baseUri.getScheme()).toLowerCase(Locale.ROOT);
    boolean local = LOOPBACK_NAMES.contains(host) || host.startsWith("127.");
    if (!scheme.equals("https") && !(scheme.equals("http") && local)) {
      throw new InvalidRequestException(
          "baseUri", baseUri, "must be https://, or http:// to a loopback address");
    }
    String path = baseUri.getRawPath();
    boolean bare = path == null || path.isEmpty() || path.equals("/");
    if (!bare
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
   * @param window the number of calls judged, 1 to 1000
   * @param failureRatePercent in (0, 100]
   * @param openFor how long it stays open, positive
   * @param halfOpenCalls trial calls when half-open, 1 to 100
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
    private URI base = DEFAULT_BASE_URI;
    private @Nullable HttpClient ownClient;
    private Duration connectWithin = Duration.ofSeconds(10);
    private Duration answerWithin = Duration.ofSeconds(30);
    private int attempts = 3;
    private Duration firstWait = Duration.ofMillis(500);
    private Duration longestWait = Duration.ofSeconds(5);
    private Sleeper waiter = d -> Thread.sleep(d.toMillis());
    private DoubleSupplier jitter = () -> ThreadLocalRandom.current().nextDouble();
    private Clock time = Clock.systemUTC();
    private int window = 10;
    private float failurePercent = 50f;
    private Duration openFor = Duration.ofSeconds(30);
    private int trialCalls = 1;

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
      base = checkBaseUri(baseUri);
      return this;
    }

    /**
     * The JDK client to send with (a proxy, an SSL context); its own connect timeout applies.
     *
     * @param httpClient the client
     * @return this
     */
    public Builder httpClient(HttpClient httpClient) {
      ownClient = InvalidRequestException.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /**
     * How long to wait for a connection.
     *
     * @param timeout positive, at most 10 minutes
     * @return this
     */
    public Builder connectTimeout(Duration timeout) {
      connectWithin = checkTimeout(timeout, "connectTimeout");
      return this;
    }

    /**
     * How long one attempt may take, from sending to the end of the answer.
     *
     * @param timeout positive, at most 10 minutes
     * @return this
     */
    public Builder requestTimeout(Duration timeout) {
      answerWithin = checkTimeout(timeout, "requestTimeout");
      return this;
    }

    /**
     * How many attempts a retried call makes at most, the first included.
     *
     * @param maxAttempts 1 to 10
     * @return this
     */
    public Builder maxAttempts(int maxAttempts) {
      attempts = checkMaxAttempts(maxAttempts);
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
      firstWait = initial;
      longestWait = max;
      return this;
    }

    /**
     * What waits between attempts.
     *
     * @param sleeper the sleeper
     * @return this
     */
    public Builder sleeper(Sleeper sleeper) {
      waiter = InvalidRequestException.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * The jitter's source of uniform draws in [0, 1).
     *
     * @param random the source
     * @return this
     */
    public Builder random(DoubleSupplier random) {
      jitter = InvalidRequestException.requireNonNull(random, "random");
      return this;
    }

    /**
     * The clock of the breaker, of attempt timings and of {@link Health#lastErrorAt()}.
     *
     * @param clock the clock
     * @return this
     */
    public Builder clock(Clock clock) {
      time = InvalidRequestException.requireNonNull(clock, "clock");
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
      this.window = window;
      this.failurePercent = failureRatePercent;
      this.openFor = openFor;
      this.trialCalls = halfOpenCalls;
      return this;
    }

    /**
     * The transport.
     *
     * @return the transport
     */
    public FlutterwaveHttp build() {
      return new FlutterwaveHttp(
          key,
          new Settings(
              base,
              ownClient,
              connectWithin,
              answerWithin,
              attempts,
              firstWait,
              longestWait,
              waiter,
              jitter,
              time,
              window,
              failurePercent,
              openFor,
              trialCalls));
    }
  }
}
