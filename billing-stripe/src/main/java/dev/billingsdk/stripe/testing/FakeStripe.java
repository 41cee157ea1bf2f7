package dev.billingsdk.stripe.testing;

import static dev.billingsdk.stripe.testing.FakeParams.escapeHtml;
import static dev.billingsdk.stripe.testing.FakeParams.map;
import static dev.billingsdk.stripe.testing.FakeParams.metadata;
import static dev.billingsdk.stripe.testing.FakeParams.nonNegative;
import static dev.billingsdk.stripe.testing.FakeParams.optionalText;
import static dev.billingsdk.stripe.testing.FakeParams.refuseRemovedPaymentMethodTypes;
import static dev.billingsdk.stripe.testing.FakeParams.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.billingsdk.stripe.internal.FormCodec;
import dev.billingsdk.stripe.internal.StripeHttp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A local server that speaks Stripe's wire format for the endpoints this adapter calls, so that a
 * host can test its Checkout flow and webhook wiring without network or a Stripe account (in the
 * spirit of stripe-mock, but stateful).
 *
 * <p>It listens on 127.0.0.1 on an ephemeral port ({@link #baseUri()}) and serves, as Stripe's API
 * reference describes them (https://docs.stripe.com/api):
 *
 * <ul>
 *   <li>{@code POST /v1/checkout/sessions}: a session ({@code cs_test_...}) with {@code url},
 *       {@code status: open}, {@code payment_status: unpaid}, {@code mode}, {@code
 *       client_reference_id}, {@code metadata}, {@code amount_total}, {@code currency}, {@code
 *       customer} and {@code payment_intent} (null until paid, as Stripe creates it then). Line
 *       items must use {@code price_data} (the fake has no catalogue of Prices), and {@code
 *       payment_method_types} is refused, as the pinned Endive version refuses it;
 *   <li>{@code GET /v1/checkout/sessions/{id}}, with {@code expand[]=payment_intent};
 *   <li>{@code POST /v1/refunds} ({@code payment_intent}, optional {@code amount}): a refund {@code
 *       re_...}; {@code GET /v1/refunds} ({@code payment_intent}, {@code limit}, {@code
 *       starting_after}): the refunds, newest first, one page;
 *   <li>{@code POST /v1/payment_intents}, e.g. {@code confirm=true&off_session=true}: {@code
 *       succeeded}, or a 402 {@code card_error} ({@code authentication_required} with the
 *       PaymentIntent in the error, or {@code card_declined}) for a payment method the test marked,
 *       or {@code processing} for one marked {@link #settleLater};
 *   <li>{@code GET /v1/payment_intents/{id}}: the PaymentIntent; 404 {@code resource_missing} for
 *       an id the fake did not make;
 *   <li>{@code GET /v1/balance}: a cheap authenticated call, for health checks;
 *   <li>{@code GET /c/pay/{id}}: the "hosted page" of {@link #pay}, for an example program's
 *       browser.
 * </ul>
 *
 * <p>Like Stripe it answers 401 with an error object when the {@code Authorization} header (Bearer
 * or Basic) lacks the configured secret key; unlike Stripe it also insists on a {@code
 * Stripe-Version} header equal to the pinned version, so an adapter that forgets to pin is caught.
 * A POST with an {@code Idempotency-Key} that Stripe began to execute is stored: the same key with
 * the same parameters replays the stored status and body (with {@code Idempotent-Replayed: true}),
 * with other parameters or another endpoint it answers 400 {@code idempotency_error}, and while the
 * first request is still running 409 {@code idempotency_key_in_use}; requests that fail validation
 * are not stored (https://docs.stripe.com/api/idempotent_requests).
 *
 * <p>Tests drive the rest: {@link #pay}, {@link #payLater} then {@link #asyncPaymentSucceeds} or
 * {@link #asyncPaymentFails}, {@link #expire}, {@link #refundFromDashboard}, {@link
 * #requireAuthentication}, {@link #declineCard}, {@link #settleLater} then {@link
 * #paymentIntentSucceeds} or {@link #paymentIntentFails}; {@link #inject} queues failures (a status
 * such as 429 or 500, a dropped connection, a delay); {@link #requests()} logs what arrived. Every
 * state change Stripe would announce is recorded as a signed {@link WebhookDelivery} ({@link
 * #events()}): the event JSON ({@code id evt_...}, {@code type}, {@code created}, {@code
 * data.object}, {@code api_version}, {@code livemode: false}) and its {@code Stripe-Signature}
 * under {@link #webhookSecret()}. {@link #signedEvent} signs any other event.
 *
 * <p>Thread-safe. Time comes from the configured {@link Clock}; ids from a seeded generator, so a
 * test's ids repeat from run to run. {@link #close()} stops the server.
 */
public final class FakeStripe implements AutoCloseable {
  /** The secret key the fake accepts unless configured otherwise. */
  public static final String DEFAULT_SECRET_KEY = "sk_test_FakeStripe0000000000000000";

  /** The webhook signing secret the fake signs with unless configured otherwise. */
  public static final String DEFAULT_WEBHOOK_SECRET = "whsec_FakeStripe0000000000000000";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern SESSION_PATH = Pattern.compile("/v1/checkout/sessions/([^/]+)");
  private static final Pattern INTENT_PATH = Pattern.compile("/v1/payment_intents/([^/]+)");

  private final String secretKey;
  private final String webhookSecret;
  private final String apiVersion;
  private final Clock clock;
  private final HttpServer server;
  private final ExecutorService executor;
  private final URI baseUri;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final FakeWire wire;

  // Everything below is guarded by `this`.
  private final SplittableRandom ids;
  private final Map<String, ObjectNode> sessions = new LinkedHashMap<>();
  private final Map<String, String> sessionSetupFutureUsage = new HashMap<>();
  private final FakePaymentIntents intents;
  private final List<WebhookDelivery> events = new ArrayList<>();

  private FakeStripe(Builder b) throws IOException {
    this.secretKey = b.secretKey;
    this.webhookSecret = b.webhookSecret;
    this.apiVersion = b.apiVersion;
    this.clock = b.clock;
    this.ids = new SplittableRandom(b.seed);
    this.intents = new FakePaymentIntents(ids, clock, this::nextRequestId, this::record);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "fake-stripe-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.wire =
        new FakeWire(
            secretKey, apiVersion, closed, this::nextRequestId, this::route, this::hostedPage);
    server.createContext("/", wire::handle);
    server.setExecutor(executor);
    server.start();
    InetSocketAddress address = server.getAddress();
    this.baseUri =
        URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
  }

  /** A fake with the defaults, started. */
  public static FakeStripe start() {
    return builder().start();
  }

  /** Configures a fake: keys, pinned version, clock and id seed. */
  public static Builder builder() {
    return new Builder();
  }

  /** Where the fake listens, e.g. {@code http://127.0.0.1:54321}: the base URI for the client. */
  public URI baseUri() {
    return baseUri;
  }

  /** The secret key requests must carry. */
  public String secretKey() {
    return secretKey;
  }

  /** The signing secret of the fake's webhook endpoint. */
  public String webhookSecret() {
    return webhookSecret;
  }

  /** The {@code Stripe-Version} requests must carry, and the events' {@code api_version}. */
  public String apiVersion() {
    return apiVersion;
  }

  /** Stops the server; requests held by {@link Fault#delay} are released at once. */
  @Override
  public void close() {
    if (closed.getCount() == 0) {
      return;
    }
    closed.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  // ------------------------------------------------------------------ state, as JSON

  /** The Checkout Session's JSON as {@code GET /v1/checkout/sessions/{id}} would answer it. */
  public synchronized Optional<String> session(String id) {
    ObjectNode session = sessions.get(id);
    return session == null ? Optional.empty() : Optional.of(session.toString());
  }

  /** The PaymentIntent's JSON. */
  public synchronized Optional<String> paymentIntent(String id) {
    ObjectNode intent = intents.get(id);
    return intent == null ? Optional.empty() : Optional.of(intent.toString());
  }

  /** The refunds made so far (through the API or {@link #refundFromDashboard}), as JSON. */
  public synchronized List<String> refunds() {
    return intents.refundsJson();
  }

  /**
   * The PaymentIntent of a session that was paid (or is paying later).
   *
   * @throws IllegalStateException if the session has none yet
   */
  public synchronized String paymentIntentOf(String sessionId) {
    JsonNode intent = existingSession(sessionId).get("payment_intent");
    if (intent == null || !intent.isTextual()) {
      throw new IllegalStateException(sessionId + " has no PaymentIntent: it was not paid");
    }
    return intent.asText();
  }

  /** Every request received so far, oldest first. */
  public List<ReceivedRequest> requests() {
    return wire.requests();
  }

  /** Forgets the requests received so far. */
  public void clearRequests() {
    wire.clearRequests();
  }

  /** Every webhook delivery the fake's state changes produced, oldest first. */
  public synchronized List<WebhookDelivery> events() {
    return List.copyOf(events);
  }

  // ------------------------------------------------------------------ test controls

  /**
   * The customer pays a session by card: {@code status: complete}, {@code payment_status: paid}, a
   * succeeded PaymentIntent (its payment method saved to the customer when the session asked for
   * {@code setup_future_usage}). Answers {@code checkout.session.completed}.
   *
   * @throws IllegalStateException if the session is not open
   */
  public synchronized WebhookDelivery pay(String sessionId) {
    ObjectNode session = openSession(sessionId);
    ObjectNode intent = intentForSession(session, "succeeded");
    session.put("status", "complete");
    session.put("payment_status", "paid");
    session.put("payment_intent", intent.get("id").asText());
    return record("checkout.session.completed", session, null, null);
  }

  /**
   * The customer completes a session with a delayed payment method (a bank debit): {@code status:
   * complete} but {@code payment_status: unpaid}, the PaymentIntent {@code processing}. Answers
   * {@code checkout.session.completed}; {@link #asyncPaymentSucceeds} or {@link #asyncPaymentFails}
   * follows.
   */
  public synchronized WebhookDelivery payLater(String sessionId) {
    ObjectNode session = openSession(sessionId);
    ObjectNode intent = intentForSession(session, "processing");
    session.put("status", "complete");
    session.put("payment_intent", intent.get("id").asText());
    return record("checkout.session.completed", session, null, null);
  }

  /**
   * The delayed payment of {@link #payLater} arrives: {@code
   * checkout.session.async_payment_succeeded}.
   */
  public synchronized WebhookDelivery asyncPaymentSucceeds(String sessionId) {
    ObjectNode session = existingSession(sessionId);
    ObjectNode intent = processingIntent(sessionId);
    intent.put("status", "succeeded");
    intent.put("amount_received", intent.get("amount").asLong());
    session.put("payment_status", "paid");
    return record("checkout.session.async_payment_succeeded", session, null, null);
  }

  /**
   * The delayed payment of {@link #payLater} fails: {@code checkout.session.async_payment_failed}.
   */
  public synchronized WebhookDelivery asyncPaymentFails(String sessionId) {
    ObjectNode session = existingSession(sessionId);
    ObjectNode intent = processingIntent(sessionId);
    intent.put("status", "requires_payment_method");
    return record("checkout.session.async_payment_failed", session, null, null);
  }

  /** An open session expires: {@code status: expired}, {@code checkout.session.expired}. */
  public synchronized WebhookDelivery expire(String sessionId) {
    ObjectNode session = openSession(sessionId);
    session.put("status", "expired");
    return record("checkout.session.expired", session, null, null);
  }

  /**
   * Someone refunds a payment in the Dashboard: a succeeded refund of {@code amount} (minor units),
   * announced as {@code refund.created}.
   *
   * @throws IllegalStateException if the PaymentIntent did not succeed or the amount is more than
   *     what is left to refund
   */
  public synchronized WebhookDelivery refundFromDashboard(String paymentIntentId, long amount) {
    return intents.refundFromDashboard(paymentIntentId, amount);
  }

  /**
   * Off-session payments with this payment method need the customer (3-D Secure): {@code POST
   * /v1/payment_intents} with {@code confirm=true&off_session=true} answers 402 {@code card_error}
   * with code {@code authentication_required} and the PaymentIntent in the error.
   */
  public synchronized void requireAuthentication(String paymentMethodId) {
    intents.requireAuthentication(paymentMethodId);
  }

  /**
   * Payments with this payment method are declined: 402 {@code card_declined} with this decline
   * code.
   */
  public synchronized void declineCard(String paymentMethodId, String declineCode) {
    intents.declineCard(paymentMethodId, declineCode);
  }

  /**
   * Payments with this payment method settle later (a bank debit): {@code POST /v1/payment_intents}
   * with {@code confirm=true} answers the PaymentIntent {@code processing} ({@code
   * payment_intent.processing}); {@link #paymentIntentSucceeds} or {@link #paymentIntentFails} ends
   * it.
   */
  public synchronized void settleLater(String paymentMethodId) {
    intents.settleLater(paymentMethodId);
  }

  /**
   * A {@code processing} PaymentIntent of {@link #settleLater} settles: {@code succeeded}, its
   * amount received. Answers {@code payment_intent.succeeded}. (A session's delayed payment settles
   * through {@link #asyncPaymentSucceeds}, which updates the session too.)
   *
   * @throws IllegalArgumentException if there is no such PaymentIntent
   * @throws IllegalStateException if it is not processing
   */
  public synchronized WebhookDelivery paymentIntentSucceeds(String paymentIntentId) {
    return intents.succeeds(paymentIntentId);
  }

  /**
   * A {@code processing} PaymentIntent of {@link #settleLater} fails (the debit bounced): back to
   * {@code requires_payment_method} with a {@code last_payment_error}. Answers {@code
   * payment_intent.payment_failed}.
   *
   * @throws IllegalArgumentException if there is no such PaymentIntent
   * @throws IllegalStateException if it is not processing
   */
  public synchronized WebhookDelivery paymentIntentFails(String paymentIntentId) {
    return intents.fails(paymentIntentId);
  }

  /** Queues failures: each answers one of the next requests, in order, instead of serving it. */
  public void inject(Fault... more) {
    wire.inject(more);
  }

  /**
   * {@link #inject} of {@link Fault#status}: the next request answers {@code status} with this
   * body.
   */
  public void failNext(int status, String errorJson) {
    inject(Fault.status(status, errorJson));
  }

  // ------------------------------------------------------------------ signed events

  /**
   * An event of {@code type} about {@code objectJson} (a JSON object, such as {@link
   * #session(String)} answers), stamped with the fake's clock and signed with its webhook secret.
   * It is not added to {@link #events()}.
   */
  public WebhookDelivery signedEvent(String type, String objectJson) {
    return FakeEvents.signed(type, objectJson, webhookSecret, clock, apiVersion);
  }

  /**
   * An event of {@code type} about {@code objectJson}, created and signed at {@code clock}'s
   * instant with {@code webhookSecret}, with the pinned {@code api_version}.
   */
  public static WebhookDelivery signedEvent(
      String type, String objectJson, String webhookSecret, Clock clock) {
    return FakeEvents.signed(type, objectJson, webhookSecret, clock, StripeHttp.API_VERSION);
  }

  /**
   * The {@code Stripe-Signature} header Stripe sends with {@code payload}: {@code
   * t=<timestamp>,v1=} the lower-case hex HMAC-SHA256, keyed with the endpoint's secret, of {@code
   * "<timestamp>." + payload} in UTF-8.
   */
  public static String signatureHeader(String payload, String webhookSecret, long timestamp) {
    return FakeEvents.signatureHeader(payload, webhookSecret, timestamp);
  }

  private FakeResponse route(
      String method, String path, String body, @Nullable String query, @Nullable String key) {
    try {
      Map<String, Object> params =
          FormCodec.decode(method.equals("GET") ? (query == null ? "" : query) : body);
      synchronized (this) {
        if (method.equals("POST") && path.equals("/v1/checkout/sessions")) {
          return createSession(params);
        }
        Matcher session = SESSION_PATH.matcher(path);
        if (method.equals("GET") && session.matches()) {
          return retrieveSession(session.group(1), params);
        }
        if (method.equals("POST") && path.equals("/v1/refunds")) {
          return intents.createRefund(params, key);
        }
        if (method.equals("GET") && path.equals("/v1/refunds")) {
          return intents.listRefunds(params);
        }
        if (method.equals("POST") && path.equals("/v1/payment_intents")) {
          return intents.create(params, key);
        }
        Matcher intent = INTENT_PATH.matcher(path);
        if (method.equals("GET") && intent.matches()) {
          return intents.retrieve(intent.group(1));
        }
        if (method.equals("GET") && path.equals("/v1/balance")) {
          return ok(intents.balance());
        }
      }
      return error(
          404,
          "invalid_request_error",
          null,
          null,
          "Unrecognized request URL (" + method + ": " + path + ").");
    } catch (BadRequest e) {
      return error(400, "invalid_request_error", e.code, e.param, String.valueOf(e.getMessage()));
    } catch (IllegalArgumentException e) {
      return error(400, "invalid_request_error", null, null, "Invalid request: " + e.getMessage());
    }
  }

  // ------------------------------------------------------------------ endpoints

  private FakeResponse createSession(Map<String, Object> params) {
    String mode = requiredText(params, "mode");
    if (!Set.of("payment", "setup", "subscription").contains(mode)) {
      throw new BadRequest("mode", "Invalid mode: must be one of payment, setup or subscription");
    }
    refuseRemovedPaymentMethodTypes(params);
    long total = 0;
    String currency = null;
    Object items = params.get("line_items");
    if (items != null) {
      if (!(items instanceof List<?> list)) {
        throw new BadRequest("line_items", "Invalid array");
      }
      for (int i = 0; i < list.size(); i++) {
        String at = "line_items[" + i + "]";
        Map<String, Object> item = map(list.get(i), at);
        if (item.containsKey("price")) {
          throw new BadRequest(
              at + "[price]", "FakeStripe has no Prices: give line items as price_data");
        }
        Map<String, Object> priceData = map(item.get("price_data"), at + "[price_data]");
        String itemCurrency = requiredText(priceData, "currency", at + "[price_data][currency]");
        if (!itemCurrency.matches("[a-z]{3}")) {
          throw new BadRequest(at + "[price_data][currency]", "Invalid currency: " + itemCurrency);
        }
        if (currency != null && !currency.equals(itemCurrency)) {
          throw new BadRequest(
              at + "[price_data][currency]", "All line items must have the same currency");
        }
        currency = itemCurrency;
        long unitAmount = nonNegative(priceData, "unit_amount", at + "[price_data][unit_amount]");
        long quantity = nonNegative(item, "quantity", at + "[quantity]");
        if (quantity < 1) {
          throw new BadRequest(at + "[quantity]", "quantity must be at least 1");
        }
        Map<String, Object> product =
            map(priceData.get("product_data"), at + "[price_data][product_data]");
        requiredText(product, "name", at + "[price_data][product_data][name]");
        total = Math.addExact(total, Math.multiplyExact(unitAmount, quantity));
      }
    } else if (!mode.equals("setup")) {
      throw new BadRequest("line_items", "line_items is required in " + mode + " mode");
    }
    String reference = optionalText(params, "client_reference_id");
    if (reference != null && reference.length() > 200) {
      throw new BadRequest("client_reference_id", "client_reference_id is at most 200 characters");
    }
    long created = now();
    String id = "cs_test_" + nextId(40);
    ObjectNode session = NODES.objectNode();
    session.put("id", id);
    session.put("object", "checkout.session");
    session.put("amount_subtotal", mode.equals("setup") ? null : total);
    session.put("amount_total", mode.equals("setup") ? null : total);
    session.put("cancel_url", optionalText(params, "cancel_url"));
    session.put("client_reference_id", reference);
    session.put("created", created);
    session.put("currency", currency);
    session.put("customer", optionalText(params, "customer"));
    session.put("customer_email", optionalText(params, "customer_email"));
    Object expiresAt = params.get("expires_at");
    session.put(
        "expires_at",
        expiresAt == null ? created + 24 * 3600 : Long.parseLong(String.valueOf(expiresAt)));
    session.put("livemode", false);
    session.set("metadata", metadata(params.get("metadata")));
    session.put("mode", mode);
    session.putNull("payment_intent");
    session.put("payment_status", mode.equals("setup") ? "no_payment_required" : "unpaid");
    session.put("status", "open");
    session.put("success_url", optionalText(params, "success_url"));
    session.put("url", baseUri + "/c/pay/" + id);
    Object intentData = params.get("payment_intent_data");
    if (intentData != null) {
      String usage = optionalText(map(intentData, "payment_intent_data"), "setup_future_usage");
      if (usage != null) {
        if (!usage.equals("on_session") && !usage.equals("off_session")) {
          throw new BadRequest(
              "payment_intent_data[setup_future_usage]",
              "setup_future_usage is on_session or off_session");
        }
        sessionSetupFutureUsage.put(id, usage);
      }
    }
    sessions.put(id, session);
    return ok(session);
  }

  private FakeResponse retrieveSession(String id, Map<String, Object> params) {
    ObjectNode session = sessions.get(id);
    if (session == null) {
      return error(
          404,
          "invalid_request_error",
          "resource_missing",
          "session",
          "No such checkout.session: '" + id + "'");
    }
    ObjectNode answer = session.deepCopy();
    Object expand = params.get("expand");
    if (expand instanceof List<?> fields && fields.contains("payment_intent")) {
      JsonNode intentId = session.get("payment_intent");
      ObjectNode intent =
          intentId != null && intentId.isTextual() ? intents.get(intentId.asText()) : null;
      if (intent != null) {
        answer.set("payment_intent", intent.deepCopy());
      }
    }
    return ok(answer).unstored();
  }

  private FakeResponse hostedPage(String sessionId) {
    String html;
    synchronized (this) {
      ObjectNode session = sessions.get(sessionId);
      if (session == null || !session.path("status").asText().equals("open")) {
        html = "<!doctype html><title>FakeStripe</title><p>This Checkout Session is not open.";
        return FakeResponse.html(nextRequestId(), 404, html);
      }
      pay(sessionId);
      // Stripe fills in its template variable when it sends the buyer back.
      String success =
          session.path("success_url").asText("").replace("{CHECKOUT_SESSION_ID}", sessionId);
      html =
          "<!doctype html><title>FakeStripe</title><p>Paid (FakeStripe)."
              + (success.isEmpty() ? "" : " <a href=\"" + escapeHtml(success) + "\">Continue</a>");
    }
    return FakeResponse.html(nextRequestId(), 200, html);
  }

  // ------------------------------------------------------------------ state helpers

  private ObjectNode existingSession(String sessionId) {
    ObjectNode session = sessions.get(Objects.requireNonNull(sessionId, "sessionId"));
    if (session == null) {
      throw new IllegalArgumentException("no Checkout Session " + sessionId);
    }
    return session;
  }

  private ObjectNode openSession(String sessionId) {
    ObjectNode session = existingSession(sessionId);
    if (!session.path("status").asText().equals("open")) {
      throw new IllegalStateException(
          sessionId + " is " + session.path("status").asText() + ", not open");
    }
    if (session.path("mode").asText().equals("setup")) {
      throw new IllegalStateException(sessionId + " is a setup session; nothing to pay");
    }
    return session;
  }

  private ObjectNode processingIntent(String sessionId) {
    JsonNode intentId = existingSession(sessionId).get("payment_intent");
    ObjectNode intent =
        intentId != null && intentId.isTextual() ? intents.get(intentId.asText()) : null;
    if (intent == null || !intent.path("status").asText().equals("processing")) {
      throw new IllegalStateException(sessionId + " has no payment in processing (see payLater)");
    }
    return intent;
  }

  private ObjectNode intentForSession(ObjectNode session, String status) {
    String customer =
        session.path("customer").isTextual() ? session.get("customer").asText() : null;
    String usage = sessionSetupFutureUsage.get(session.get("id").asText());
    if (customer == null && usage != null) {
      customer = "cus_" + nextId(14);
      session.put("customer", customer);
    }
    return intents.forSession(
        session.get("amount_total").asLong(),
        session.get("currency").asText(),
        customer,
        usage,
        status);
  }

  private WebhookDelivery record(
      String type, ObjectNode object, @Nullable String requestId, @Nullable String key) {
    WebhookDelivery delivery =
        FakeEvents.delivery(
            "evt_" + nextId(24), type, object, now(), apiVersion, webhookSecret, requestId, key);
    events.add(delivery);
    return delivery;
  }

  private synchronized String nextRequestId() {
    return "req_" + nextId(14);
  }

  private FakeResponse ok(ObjectNode object) {
    return FakeResponse.ok(nextRequestId(), object);
  }

  private FakeResponse error(
      int status, String type, @Nullable String code, @Nullable String param, String message) {
    return FakeResponse.error(nextRequestId(), status, type, code, param, message);
  }

  private long now() {
    return clock.instant().getEpochSecond();
  }

  private String nextId(int length) {
    return FakeEvents.randomId(ids, length);
  }

  /** Configures a {@link FakeStripe}. */
  public static final class Builder {
    private String secretKey = DEFAULT_SECRET_KEY;
    private String webhookSecret = DEFAULT_WEBHOOK_SECRET;
    private String apiVersion = StripeHttp.API_VERSION;
    private Clock clock = Clock.systemUTC();
    private long seed = 42;

    private Builder() {}

    /** The secret key requests must carry (default {@link #DEFAULT_SECRET_KEY}). */
    public Builder secretKey(String secretKey) {
      this.secretKey = Objects.requireNonNull(secretKey, "secretKey");
      return this;
    }

    /** The secret events are signed with (default {@link #DEFAULT_WEBHOOK_SECRET}). */
    public Builder webhookSecret(String webhookSecret) {
      this.webhookSecret = Objects.requireNonNull(webhookSecret, "webhookSecret");
      return this;
    }

    /** The {@code Stripe-Version} requests must carry (default: the transport's pinned version). */
    public Builder apiVersion(String apiVersion) {
      this.apiVersion = Objects.requireNonNull(apiVersion, "apiVersion");
      return this;
    }

    /** The clock of {@code created} times, expiries and signatures. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The seed of the ids the fake makes up. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Starts the server.
     *
     * @throws java.io.UncheckedIOException if no loopback port can be bound
     */
    public FakeStripe start() {
      try {
        return new FakeStripe(this);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("FakeStripe could not bind 127.0.0.1", e);
      }
    }
  }
}
