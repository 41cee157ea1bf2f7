package dev.billingsdk.stripe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingsdk.Identifiers;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.payment.AmountNotRepresentableException;
import dev.billingsdk.payment.CheckoutRequest;
import dev.billingsdk.payment.CheckoutSession;
import dev.billingsdk.payment.OffSessionCharge;
import dev.billingsdk.payment.OffSessionOutcome;
import dev.billingsdk.payment.PaymentLookup;
import dev.billingsdk.payment.PaymentProvider;
import dev.billingsdk.payment.PaymentProviderException;
import dev.billingsdk.payment.PaymentProviderException.Kind;
import dev.billingsdk.payment.PaymentStatus;
import dev.billingsdk.payment.PaymentView;
import dev.billingsdk.payment.ProviderEvent;
import dev.billingsdk.payment.ProviderHealth;
import dev.billingsdk.payment.ProviderRefund;
import dev.billingsdk.payment.RefundCall;
import dev.billingsdk.payment.WebhookRejectedException;
import dev.billingsdk.payment.WebhookRejectedException.Reason;
import dev.billingsdk.stripe.internal.StripeAmounts;
import dev.billingsdk.stripe.internal.StripeError;
import dev.billingsdk.stripe.internal.StripeHttp;
import dev.billingsdk.stripe.internal.StripeSignatureVerifier;
import dev.billingsdk.stripe.internal.WebhookSecret;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Core's {@link PaymentProvider} for Stripe (name {@value #NAME}): hosted Checkout Sessions,
 * verified webhooks, the payment re-read from Stripe's API before any grant, refunds, off-session
 * charges of a saved card, and a health check.
 *
 * <p>Build one per Stripe account with {@link #builder(StripeApiKey)}; it is immutable and safe for
 * concurrent use. Every call goes through one transport (the JDK {@code HttpClient}, the API
 * version {@value StripeHttp#API_VERSION} pinned, a timeout on every request, retries only where
 * Stripe says a retry is safe and always with the caller's {@code Idempotency-Key}, and a circuit
 * breaker whose state feeds {@link #health()}).
 *
 * <p>The API key and the webhook secrets appear in no {@link #toString()}, exception or log line.
 * See {@code docs/payments.md}.
 */
public final class StripePaymentProvider implements PaymentProvider {
  /** The success URL's query parameter that carries the Checkout Session's id back. */
  public static final String RETURN_PARAMETER = "session_id";

  /** The provider's name, stored with purchases and events, and the webhook route's name. */
  public static final String NAME = "stripe";

  /** How long a failure keeps a successful health check {@code DEGRADED}, unless configured. */
  public static final Duration DEFAULT_DEGRADED_FOR = Duration.ofMinutes(5);

  private static final Logger log = LoggerFactory.getLogger(StripePaymentProvider.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What Stripe's object ids look like; anything else is refused before it is put in a path. */
  private static final Pattern STRIPE_ID = Pattern.compile("[A-Za-z0-9_]{1,255}");

  /** Stripe's maximum page size for list calls. */
  private static final int PAGE = 100;

  /** At most this many pages of refunds are read for one payment (10,000 refunds). */
  private static final int MAX_PAGES = 100;

  private static final int MAX_IDEMPOTENCY_KEY = 255;

  private final StripeHttp http;
  private final StripeSignatureVerifier verifier;
  private final Clock clock;
  private final Duration degradedFor;
  private final int secretCount;

  private StripePaymentProvider(Builder b) {
    StripeHttp.Builder transport =
        StripeHttp.builder(b.key)
            .baseUri(b.baseUri)
            .clock(b.clock)
            .connectTimeout(b.connectTimeout)
            .requestTimeout(b.requestTimeout)
            .maxAttempts(b.maxAttempts)
            .backoff(b.initialBackoff, b.maxBackoff);
    if (b.breakerWindow > 0) {
      transport.circuitBreaker(
          b.breakerWindow, b.breakerFailureRate, b.breakerOpenFor, b.breakerHalfOpenCalls);
    }
    this.http = transport.build();
    this.verifier = StripeSignatureVerifier.of(b.secrets, b.tolerance, b.clock);
    this.clock = b.clock;
    this.degradedFor = b.degradedFor;
    this.secretCount = b.secrets.size();
  }

  /** A builder for a provider with this API key; at least one webhook secret is required. */
  public static Builder builder(StripeApiKey key) {
    return new Builder(key);
  }

  @Override
  public String name() {
    return NAME;
  }

  // ------------------------------------------------------------------ checkout

  /**
   * {@code POST /v1/checkout/sessions}: a session in {@code payment} mode, or {@code subscription}
   * mode with a recurring price when the request is recurring. One line item: the catalogue's
   * Stripe Price when it maps one ({@code price}), otherwise {@code price_data} with the exact
   * amount and the description as the product's name. The purchase id is the session's {@code
   * client_reference_id}; the request's metadata goes on the session and on the PaymentIntent (or
   * the subscription) it creates. The amount is converted before anything is sent: one Stripe
   * cannot take exactly is refused with {@link AmountNotRepresentableException}.
   */
  @Override
  public CheckoutSession createCheckout(CheckoutRequest request) {
    InvalidRequestException.requireNonNull(request, "request");
    Map<String, Object> params = new LinkedHashMap<>();
    boolean subscription = request.recurring().isPresent();
    params.put("mode", subscription ? "subscription" : "payment");
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("quantity", 1);
    if (request.priceRef().isPresent()) {
      item.put("price", request.priceRef().get());
    } else {
      Map<String, Object> priceData = new LinkedHashMap<>();
      priceData.put("currency", request.currency().code().toLowerCase(Locale.ROOT));
      priceData.put("unit_amount", StripeAmounts.toStripe(request.amount()));
      priceData.put("product_data", Map.of("name", request.description()));
      request.recurring().ifPresent(p -> priceData.put("recurring", recurring(p)));
      item.put("price_data", priceData);
    }
    params.put("line_items", List.of(item));
    params.put("success_url", withSessionId(request.successUrl()));
    params.put("cancel_url", request.cancelUrl().toString());
    params.put("client_reference_id", request.purchaseRef());
    if (!request.metadata().isEmpty()) {
      params.put("metadata", request.metadata());
    }
    if (request.customer().isPresent()) {
      // Stripe takes one of customer and customer_email; the known customer wins.
      params.put("customer", request.customer().get());
    } else {
      request.customerEmail().ifPresent(e -> params.put("customer_email", e));
    }
    if (subscription) {
      // A subscription keeps its payment method for renewals by itself; setup_future_usage is
      // refused in this mode. The metadata goes to the subscription, so its invoices carry it.
      if (!request.metadata().isEmpty()) {
        params.put("subscription_data", Map.of("metadata", request.metadata()));
      }
    } else {
      Map<String, Object> intentData = new LinkedHashMap<>();
      if (!request.metadata().isEmpty()) {
        intentData.put("metadata", request.metadata());
      }
      if (request.saveForOffSession()) {
        intentData.put("setup_future_usage", "off_session");
        if (request.customer().isEmpty()) {
          // A saved payment method belongs to a customer: have Checkout create one.
          params.put("customer_creation", "always");
        }
      }
      if (!intentData.isEmpty()) {
        params.put("payment_intent_data", intentData);
      }
    }
    JsonNode session =
        http.post("/v1/checkout/sessions", params, idempotencyKey(request.idempotencyKey()));
    String id = requiredText(session, "id", "Checkout Session");
    String url = requiredText(session, "url", "Checkout Session " + id);
    Optional<Instant> expiresAt = epochSeconds(session.get("expires_at"));
    log.debug("Stripe Checkout Session {} created for purchase {}", id, request.purchaseRef());
    try {
      return CheckoutSession.of(id, URI.create(url), expiresAt);
    } catch (IllegalArgumentException e) {
      throw unexpected("Checkout Session " + id + " has no usable url");
    }
  }

  /** Stripe's {@code recurring}: a whole number of days, weeks, months or years. */
  static Map<String, Object> recurring(Period period) {
    long months = period.toTotalMonths();
    int days = period.getDays();
    String interval;
    long count;
    if (days == 0 && months > 0) {
      interval = months % 12 == 0 ? "year" : "month";
      count = months % 12 == 0 ? months / 12 : months;
    } else if (months == 0 && days > 0) {
      interval = days % 7 == 0 ? "week" : "day";
      count = days % 7 == 0 ? days / 7 : days;
    } else {
      throw new InvalidRequestException(
          "recurring",
          period,
          "Stripe bills every n days, weeks, months or years, not a mix of months and days");
    }
    return Map.of("interval", interval, "interval_count", count);
  }

  // ------------------------------------------------------------------ webhooks

  /**
   * Verifies the {@code Stripe-Signature} header over the raw body (any of the configured secrets,
   * the timestamp within the tolerance either way), then reads the event. {@code
   * checkout.session.completed}, {@code .async_payment_succeeded}, {@code .async_payment_failed}
   * and {@code .expired} name the session, its PaymentIntent and the purchase id; {@code
   * charge.refunded}, {@code refund.created} and {@code refund.updated} name the PaymentIntent.
   * Every other type is {@link ProviderEvent.Kind#OTHER}.
   */
  @Override
  public ProviderEvent verifyWebhook(byte[] body, Map<String, List<String>> headers) {
    InvalidRequestException.requireNonNull(body, "body");
    InvalidRequestException.requireNonNull(headers, "headers");
    verifier.verify(headers, body);
    if (body.length > ProviderEvent.MAX_PAYLOAD) {
      throw malformed("the body is longer than " + ProviderEvent.MAX_PAYLOAD + " bytes");
    }
    String payload;
    try {
      payload =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body))
              .toString();
    } catch (CharacterCodingException e) {
      throw malformed("the body is not UTF-8");
    }
    JsonNode event;
    try {
      event = JSON.readTree(payload);
    } catch (JsonProcessingException e) {
      throw malformed("the body is not JSON");
    }
    if (event == null || !event.isObject()) {
      throw malformed("the body is not a JSON object");
    }
    String id = text(event.get("id")).orElseThrow(() -> malformed("the event has no id"));
    String type = text(event.get("type")).orElseThrow(() -> malformed("the event has no type"));
    JsonNode created = event.get("created");
    if (created == null || !created.canConvertToLong() || created.asLong() < 0) {
      throw malformed("the event has no created time");
    }
    JsonNode object = event.path("data").path("object");
    if (!object.isObject()) {
      throw malformed("the event has no data.object");
    }
    if (!isIdentifier(id) || type.isBlank() || type.length() > 128) {
      throw malformed("the event's id or type is not usable");
    }
    ProviderEvent.Kind kind = kindOf(type);
    Optional<String> checkoutRef = Optional.empty();
    Optional<String> paymentRef = Optional.empty();
    Optional<String> purchaseRef = Optional.empty();
    switch (kind) {
      case CHECKOUT_COMPLETED, PAYMENT_SUCCEEDED, PAYMENT_FAILED, CHECKOUT_EXPIRED -> {
        checkoutRef = idOf(object.get("id"));
        paymentRef = idOf(object.get("payment_intent"));
        purchaseRef = text(object.get("client_reference_id")).filter(r -> isIdentifier(r));
      }
      case REFUNDED -> paymentRef = idOf(object.get("payment_intent"));
      case OTHER -> {
        // Stored and acknowledged; nothing in it is read.
      }
    }
    Instant at;
    try {
      at = Instant.ofEpochSecond(created.asLong());
      return new ProviderEvent(
          NAME, id, type, kind, at, purchaseRef, checkoutRef, paymentRef, payload);
    } catch (RuntimeException e) {
      throw malformed("the event's fields are out of range");
    }
  }

  static ProviderEvent.Kind kindOf(String type) {
    return switch (type) {
      case "checkout.session.completed" -> ProviderEvent.Kind.CHECKOUT_COMPLETED;
      case "checkout.session.async_payment_succeeded" -> ProviderEvent.Kind.PAYMENT_SUCCEEDED;
      case "checkout.session.async_payment_failed" -> ProviderEvent.Kind.PAYMENT_FAILED;
      case "checkout.session.expired" -> ProviderEvent.Kind.CHECKOUT_EXPIRED;
      case "charge.refunded", "refund.created", "refund.updated" -> ProviderEvent.Kind.REFUNDED;
      default -> ProviderEvent.Kind.OTHER;
    };
  }

  private static WebhookRejectedException malformed(String detail) {
    return new WebhookRejectedException(NAME, Reason.MALFORMED_PAYLOAD, detail);
  }

  // ------------------------------------------------------------------ the payment, re-read

  /**
   * {@code GET /v1/checkout/sessions/{id}} with its PaymentIntent expanded, and {@code GET
   * /v1/refunds?payment_intent=...} (every page) once there is a PaymentIntent. The status: {@code
   * open} is OPEN, {@code expired} EXPIRED; a {@code complete} session is PAID when its {@code
   * payment_status} is {@code paid} (or {@code no_payment_required}), and otherwise PENDING while
   * the delayed payment is processing and FAILED once its PaymentIntent went back to {@code
   * requires_payment_method} or was canceled (Stripe keeps the session {@code complete} and {@code
   * unpaid} after {@code checkout.session.async_payment_failed}). The amount is {@code
   * amount_total} in {@code currency}, converted exactly (or absent, which the library treats as a
   * mismatch).
   */
  @Override
  public PaymentView fetchPayment(PaymentLookup lookup) {
    InvalidRequestException.requireNonNull(lookup, "lookup");
    String checkoutRef = stripeId(lookup.checkoutRef(), "checkoutRef");
    JsonNode session =
        http.get(
            "/v1/checkout/sessions/" + checkoutRef, Map.of("expand", List.of("payment_intent")));
    JsonNode intent = session.path("payment_intent");
    Optional<String> paymentRef = idOf(intent);
    PaymentStatus status = statusOf(session, intent);
    Optional<Amount> amount = amountOf(session.get("amount_total"), session.get("currency"));
    Optional<String> purchaseRef =
        text(session.get("client_reference_id")).filter(r -> isIdentifier(r));
    Optional<String> customer = idOf(session.get("customer"));
    Optional<String> saved = Optional.empty();
    if (intent.isObject()
        && "off_session".equals(intent.path("setup_future_usage").asText(""))
        && "succeeded".equals(intent.path("status").asText(""))) {
      saved = idOf(intent.get("payment_method"));
    }
    List<ProviderRefund> refunds = paymentRef.isPresent() ? refundsOf(paymentRef.get()) : List.of();
    return new PaymentView(
        checkoutRef, purchaseRef, status, amount, paymentRef, customer, saved, refunds);
  }

  static PaymentStatus statusOf(JsonNode session, JsonNode intent) {
    String status = session.path("status").asText("");
    String paymentStatus = session.path("payment_status").asText("");
    return switch (status) {
      case "open" -> PaymentStatus.OPEN;
      case "expired" -> PaymentStatus.EXPIRED;
      case "complete" -> {
        if (paymentStatus.equals("paid") || paymentStatus.equals("no_payment_required")) {
          yield PaymentStatus.PAID;
        }
        String intentStatus = intent.path("status").asText("");
        yield intentStatus.equals("requires_payment_method") || intentStatus.equals("canceled")
            ? PaymentStatus.FAILED
            : PaymentStatus.PENDING;
      }
      default -> throw unexpected("the Checkout Session's status is not one Stripe documents");
    };
  }

  private List<ProviderRefund> refundsOf(String paymentIntent) {
    List<ProviderRefund> out = new ArrayList<>();
    String after = null;
    for (int page = 0; page < MAX_PAGES; page++) {
      Map<String, Object> query = new LinkedHashMap<>();
      query.put("payment_intent", paymentIntent);
      query.put("limit", PAGE);
      if (after != null) {
        query.put("starting_after", after);
      }
      JsonNode list = http.get("/v1/refunds", query);
      JsonNode data = list.path("data");
      for (JsonNode refund : data) {
        out.add(refundOf(refund));
      }
      if (!list.path("has_more").asBoolean(false) || data.isEmpty()) {
        return out;
      }
      after = requiredText(data.get(data.size() - 1), "id", "Refund");
    }
    throw unexpected("PaymentIntent " + paymentIntent + " has more refunds than can be read");
  }

  private static ProviderRefund refundOf(JsonNode refund) {
    String id = requiredText(refund, "id", "Refund");
    Amount amount =
        amountOf(refund.get("amount"), refund.get("currency"))
            .orElseThrow(() -> unexpected("Refund " + id + " has no usable amount"));
    ProviderRefund.Status status =
        switch (refund.path("status").asText("")) {
          case "succeeded" -> ProviderRefund.Status.SUCCEEDED;
          case "failed", "canceled" -> ProviderRefund.Status.FAILED;
          default -> ProviderRefund.Status.PENDING; // pending, requires_action
        };
    try {
      return new ProviderRefund(id, amount, status);
    } catch (InvalidRequestException e) {
      throw unexpected("Refund " + id + " is not usable: " + e.getMessage());
    }
  }

  // ------------------------------------------------------------------ refunds

  /** {@code POST /v1/refunds} of the PaymentIntent, for the exact amount, with the call's key. */
  @Override
  public ProviderRefund refund(RefundCall call) {
    InvalidRequestException.requireNonNull(call, "call");
    String intent = stripeId(call.paymentRef(), "paymentRef");
    long amount = StripeAmounts.toStripe(call.amount());
    JsonNode refund =
        http.post(
            "/v1/refunds",
            Map.of("payment_intent", intent, "amount", amount),
            idempotencyKey(call.idempotencyKey()));
    return refundOf(refund);
  }

  // ------------------------------------------------------------------ off-session

  /**
   * {@code POST /v1/payment_intents} confirmed off-session with the saved method. {@code succeeded}
   * is {@link OffSessionOutcome.Succeeded}; a 402 {@code authentication_required} (or an answer
   * that {@code requires_action}) is {@link OffSessionOutcome.AuthenticationRequired} with the
   * PaymentIntent to finish on-session; another card error is {@link OffSessionOutcome.Declined}; a
   * PaymentIntent still {@code processing} (a bank debit) is {@link OffSessionOutcome.Processing}.
   * Any other status is thrown as {@link Kind#UNKNOWN} naming it.
   */
  @Override
  public OffSessionOutcome chargeOffSession(OffSessionCharge charge) {
    InvalidRequestException.requireNonNull(charge, "charge");
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("amount", StripeAmounts.toStripe(charge.amount()));
    params.put("currency", ((CurrencyUnit) charge.amount().unit()).code().toLowerCase(Locale.ROOT));
    params.put("customer", charge.customer());
    params.put("payment_method", charge.paymentMethod());
    params.put("off_session", true);
    params.put("confirm", true);
    params.put("description", charge.description());
    params.put("metadata", Map.of("purchase", charge.purchaseRef()));
    JsonNode intent;
    try {
      intent = http.post("/v1/payment_intents", params, idempotencyKey(charge.idempotencyKey()));
    } catch (PaymentProviderException e) {
      if (e.kind() == Kind.DECLINED && e.getCause() instanceof StripeError error) {
        return declined(error, e);
      }
      throw e;
    }
    String id = requiredText(intent, "id", "PaymentIntent");
    String status = intent.path("status").asText("");
    return switch (status) {
      case "succeeded" -> new OffSessionOutcome.Succeeded(id);
      case "requires_action" -> new OffSessionOutcome.AuthenticationRequired(id);
      case "processing" -> new OffSessionOutcome.Processing(id);
      default ->
          throw new PaymentProviderException(
              NAME,
              Kind.UNKNOWN,
              "off-session PaymentIntent " + id + " is " + status + ", not succeeded",
              null,
              null,
              null);
    };
  }

  /**
   * {@code GET /v1/payment_intents/{id}}: the PaymentIntent an off-session charge created. Its
   * status: {@code succeeded} is PAID; {@code processing}, {@code requires_action} and {@code
   * requires_confirmation} are PENDING; {@code requires_payment_method} (the charge is confirmed at
   * once, so this follows a failed attempt) and {@code canceled} are FAILED; any other status (such
   * as {@code requires_capture}, which an automatic capture never reaches) is thrown as {@link
   * Kind#UNKNOWN} naming it. Note that Stripe leaves the PaymentIntent of a 402 {@code
   * authentication_required} in {@code requires_payment_method}: it reads FAILED until the customer
   * confirms it on-session. The amount is {@code amount} in {@code currency}, converted exactly (or
   * absent); the purchase is {@code metadata.purchase}, which {@link #chargeOffSession} sends; the
   * customer is {@code customer}. The refunds are read as for {@link #fetchPayment} ({@code GET
   * /v1/refunds?payment_intent=...}, every page), only for a PAID PaymentIntent, the only kind
   * Stripe refunds.
   *
   * @throws InvalidRequestException if {@code paymentRef} is not a Stripe id (nothing is sent)
   * @throws PaymentProviderException if Stripe refused or could not be reached; a PaymentIntent
   *     Stripe does not know (404 {@code resource_missing}) is {@link Kind#INVALID_REQUEST}
   */
  @Override
  public PaymentView fetchOffSessionPayment(String paymentRef) {
    InvalidRequestException.requireNonNull(paymentRef, "paymentRef");
    String id = stripeId(paymentRef, "paymentRef");
    JsonNode intent = http.get("/v1/payment_intents/" + id);
    PaymentStatus status = intentStatusOf(id, intent.path("status").asText(""));
    return new PaymentView(
        id,
        text(intent.path("metadata").get("purchase")).filter(r -> isIdentifier(r)),
        status,
        amountOf(intent.get("amount"), intent.get("currency")),
        Optional.of(id),
        idOf(intent.get("customer")),
        Optional.empty(),
        status == PaymentStatus.PAID ? refundsOf(id) : List.of());
  }

  static PaymentStatus intentStatusOf(String id, String status) {
    return switch (status) {
      case "succeeded" -> PaymentStatus.PAID;
      case "processing", "requires_action", "requires_confirmation" -> PaymentStatus.PENDING;
      case "requires_payment_method", "canceled" -> PaymentStatus.FAILED;
      default ->
          throw unexpected(
              "PaymentIntent "
                  + id
                  + " is "
                  + clip(status)
                  + ", not a status an off-session"
                  + " charge reaches");
    };
  }

  private static OffSessionOutcome declined(StripeError error, PaymentProviderException e) {
    String code = error.code();
    String declineCode = error.declineCode();
    String intent = error.paymentIntentId();
    boolean authentication =
        "authentication_required".equals(code) || "authentication_required".equals(declineCode);
    if (authentication && intent != null && isIdentifier(intent)) {
      return new OffSessionOutcome.AuthenticationRequired(intent);
    }
    String reason = declineCode != null ? declineCode : code != null ? code : "card_declined";
    String message = error.getMessage();
    if (!isIdentifier(reason)) {
      throw e;
    }
    String text = message == null ? "" : message;
    return new OffSessionOutcome.Declined(
        reason, text.length() > 1000 ? text.substring(0, 1000) : text);
  }

  // ------------------------------------------------------------------ health

  /**
   * One cheap authenticated call ({@code GET /v1/balance}) and the circuit breaker's state: {@code
   * DOWN} when the breaker is open (nothing is sent) or the call failed; {@code DEGRADED} when it
   * succeeded as the breaker's half-open trial, or within the degraded window (5 minutes unless
   * configured) after a failure; otherwise {@code CONNECTED}. The last error and its time come with
   * every state; the text never holds a secret.
   */
  @Override
  public ProviderHealth health() {
    StripeHttp.Health before = http.health();
    try {
      // When the breaker is open this sends nothing and fails at once; once its wait is over the
      // call is the half-open trial.
      http.get("/v1/balance");
    } catch (PaymentProviderException e) {
      StripeHttp.Health after = http.health();
      if (e.kind() == Kind.CIRCUIT_OPEN) {
        return new ProviderHealth(
            ProviderHealth.State.DOWN,
            Optional.of(
                clip(
                    "the circuit breaker is open after repeated failures"
                        + Optional.ofNullable(after.lastError())
                            .map(m -> "; last: " + m)
                            .orElse(""))),
            Optional.ofNullable(after.lastErrorAt()).or(() -> Optional.of(clock.instant())));
      }
      String message = String.valueOf(e.getMessage());
      Instant at =
          after.lastErrorAt() != null && message.equals(after.lastError())
              ? after.lastErrorAt()
              : clock.instant();
      return new ProviderHealth(
          ProviderHealth.State.DOWN, Optional.of(clip(message)), Optional.of(at));
    }
    StripeHttp.Health after = http.health();
    Optional<String> lastError = Optional.ofNullable(after.lastError()).map(e -> clip(e));
    Optional<Instant> lastErrorAt = Optional.ofNullable(after.lastErrorAt());
    boolean recent =
        lastErrorAt.isPresent() && lastErrorAt.get().plus(degradedFor).isAfter(clock.instant());
    ProviderHealth.State state =
        before.state() != StripeHttp.BreakerState.CLOSED || recent
            ? ProviderHealth.State.DEGRADED
            : ProviderHealth.State.CONNECTED;
    return new ProviderHealth(state, lastError, lastErrorAt);
  }

  private static String clip(String s) {
    return s.length() > 2000 ? s.substring(0, 2000) : s;
  }

  // ------------------------------------------------------------------ reading Stripe's JSON

  private static Optional<String> text(@Nullable JsonNode node) {
    return node != null && node.isTextual() && !node.asText().isEmpty()
        ? Optional.of(node.asText())
        : Optional.empty();
  }

  /** An id given as a string, or as an expanded object's {@code id}. */
  private static Optional<String> idOf(@Nullable JsonNode node) {
    if (node == null) {
      return Optional.empty();
    }
    JsonNode id = node.isObject() ? node.get("id") : node;
    return text(id).filter(s -> STRIPE_ID.matcher(s).matches());
  }

  private static String requiredText(JsonNode node, String field, String what) {
    return text(node.get(field))
        .orElseThrow(() -> unexpected(what + " came back without " + field));
  }

  private static Optional<Instant> epochSeconds(@Nullable JsonNode node) {
    if (node == null || !node.canConvertToLong() || node.asLong() <= 0) {
      return Optional.empty();
    }
    return Optional.of(Instant.ofEpochSecond(node.asLong()));
  }

  /** Stripe's integer amount in its currency, exactly, or empty when it does not convert. */
  private static Optional<Amount> amountOf(@Nullable JsonNode amount, @Nullable JsonNode currency) {
    if (amount == null || !amount.canConvertToLong() || !amount.isIntegralNumber()) {
      return Optional.empty();
    }
    Optional<String> code = text(currency);
    if (code.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          StripeAmounts.fromStripe(
              CurrencyUnit.of(code.get().toUpperCase(Locale.ROOT)), amount.asLong()));
    } catch (RuntimeException e) {
      log.warn("Stripe stated an amount that does not convert exactly: {}", e.getMessage());
      return Optional.empty();
    }
  }

  private static boolean isIdentifier(String s) {
    try {
      Identifiers.check(s, "id");
      return true;
    } catch (InvalidRequestException e) {
      return false;
    }
  }

  private static String stripeId(String id, String field) {
    if (!STRIPE_ID.matcher(id).matches()) {
      throw new InvalidRequestException(field, id, "is not a Stripe id");
    }
    return id;
  }

  /**
   * The key as Stripe's header takes it: printable ASCII of at most 255 characters is sent as it
   * is; anything else (our keys may hold any identifier text) as a SHA-256 of it, the same for the
   * same key.
   */
  static String idempotencyKey(dev.billingsdk.IdempotencyKey key) {
    String value = key.value();
    boolean plain = value.length() <= MAX_IDEMPOTENCY_KEY;
    for (int i = 0; plain && i < value.length(); i++) {
      char c = value.charAt(i);
      plain = c > ' ' && c < 0x7f;
    }
    if (plain) {
      return value;
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static PaymentProviderException unexpected(String message) {
    return new PaymentProviderException(
        NAME, Kind.UNKNOWN, "unexpected answer: " + message, null, null, null);
  }

  @Override
  public String toString() {
    return "StripePaymentProvider["
        + http
        + ", webhook secrets="
        + secretCount
        + ", tolerance="
        + verifier.tolerance()
        + "]";
  }

  // ------------------------------------------------------------------ builder

  /** Configures a {@link StripePaymentProvider}; only the key and a webhook secret are required. */
  public static final class Builder {
    private final StripeApiKey key;
    private final List<WebhookSecret> secrets = new ArrayList<>();
    private Duration tolerance = StripeSignatureVerifier.DEFAULT_TOLERANCE;
    private URI baseUri = StripeHttp.DEFAULT_BASE_URI;
    private Clock clock = Clock.systemUTC();
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private int maxAttempts = 3;
    private Duration initialBackoff = Duration.ofMillis(500);
    private Duration maxBackoff = Duration.ofSeconds(5);
    private Duration degradedFor = DEFAULT_DEGRADED_FOR;
    private int breakerWindow;
    private float breakerFailureRate;
    private Duration breakerOpenFor = Duration.ofSeconds(30);
    private int breakerHalfOpenCalls;

    private Builder(StripeApiKey key) {
      this.key = InvalidRequestException.requireNonNull(key, "key");
    }

    /**
     * A webhook endpoint's signing secret ({@code whsec_...}). Call it once, or twice while a
     * secret is being rolled (Stripe then signs with both; either verifies).
     *
     * @throws InvalidRequestException if it is not a webhook secret (the message never shows it) or
     *     a third one is added
     */
    public Builder webhookSecret(String secret) {
      WebhookSecret parsed = WebhookSecret.of(secret);
      if (secrets.size() >= StripeSignatureVerifier.MAX_SECRETS) {
        throw new InvalidRequestException(
            "webhookSecret", "(redacted)", "at most 2: the current one and the rolled one");
      }
      secrets.add(parsed);
      return this;
    }

    /** How far a delivery's signed time may be from the clock, either way; 5 minutes unless set. */
    public Builder tolerance(Duration tolerance) {
      this.tolerance = InvalidRequestException.requireNonNull(tolerance, "tolerance");
      return this;
    }

    /** Where the API is; Stripe's unless set (a test points it at {@code FakeStripe}). */
    public Builder baseUri(URI baseUri) {
      this.baseUri = InvalidRequestException.requireNonNull(baseUri, "baseUri");
      return this;
    }

    /** The clock for webhook timestamps and health times; the system's UTC clock unless set. */
    public Builder clock(Clock clock) {
      this.clock = InvalidRequestException.requireNonNull(clock, "clock");
      return this;
    }

    /** The connect timeout (10 s) and the timeout of each request (30 s). */
    public Builder timeouts(Duration connect, Duration request) {
      this.connectTimeout = InvalidRequestException.requireNonNull(connect, "connectTimeout");
      this.requestTimeout = InvalidRequestException.requireNonNull(request, "requestTimeout");
      return this;
    }

    /**
     * How often a call is tried when Stripe says a retry is safe (3, the first included), and the
     * exponential backoff between tries (from 500 ms, at most 5 s).
     */
    public Builder retries(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
      this.maxAttempts = maxAttempts;
      this.initialBackoff = InvalidRequestException.requireNonNull(initialBackoff, "backoff");
      this.maxBackoff = InvalidRequestException.requireNonNull(maxBackoff, "maxBackoff");
      return this;
    }

    /**
     * The circuit breaker: open when {@code failureRatePercent} of the last {@code window} calls
     * failed (network, timeouts, 5xx), stay open for {@code openFor}, then let {@code
     * halfOpenCalls} trial calls through. The transport's defaults apply unless set.
     */
    public Builder circuitBreaker(
        int window, float failureRatePercent, Duration openFor, int halfOpenCalls) {
      // Checked now, by the transport's own rules, so that a bad setting fails here.
      StripeHttp.builder(key).circuitBreaker(window, failureRatePercent, openFor, halfOpenCalls);
      this.breakerWindow = window;
      this.breakerFailureRate = failureRatePercent;
      this.breakerOpenFor = openFor;
      this.breakerHalfOpenCalls = halfOpenCalls;
      return this;
    }

    /** How long after a failure a successful health check still says DEGRADED (5 minutes). */
    public Builder degradedFor(Duration degradedFor) {
      InvalidRequestException.requireNonNull(degradedFor, "degradedFor");
      if (degradedFor.isNegative()) {
        throw new InvalidRequestException("degradedFor", degradedFor, "must not be negative");
      }
      this.degradedFor = degradedFor;
      return this;
    }

    /**
     * The provider.
     *
     * @throws InvalidRequestException if no webhook secret was given or the tolerance is out of
     *     range
     * @throws IllegalArgumentException if a transport setting is out of range
     */
    public StripePaymentProvider build() {
      if (secrets.isEmpty()) {
        throw new InvalidRequestException(
            "webhookSecret", null, "is required: call webhookSecret(\"whsec_...\")");
      }
      return new StripePaymentProvider(this);
    }
  }

  /**
   * The success URL with Stripe's template variable added as {@value #RETURN_PARAMETER}: Stripe
   * puts the Checkout Session's id in its place when it sends the buyer back
   * (https://docs.stripe.com/payments/checkout/custom-success-page), and {@link #readReturn} reads
   * it.
   */
  static String withSessionId(URI successUrl) {
    String url = successUrl.toString();
    int fragment = url.indexOf('#');
    String head = fragment < 0 ? url : url.substring(0, fragment);
    String tail = fragment < 0 ? "" : url.substring(fragment);
    String separator = successUrl.getRawQuery() == null ? "?" : "&";
    return head + separator + RETURN_PARAMETER + "={CHECKOUT_SESSION_ID}" + tail;
  }

  /**
   * The Checkout Session the return URL names in {@value #RETURN_PARAMETER}; anything else on it is
   * ignored.
   */
  @Override
  public Optional<PaymentLookup> readReturn(Map<String, List<String>> query) {
    InvalidRequestException.requireNonNull(query, "query");
    List<String> values = query.getOrDefault(RETURN_PARAMETER, List.of());
    if (values.size() != 1 || !values.get(0).startsWith("cs_")) {
      return Optional.empty();
    }
    return Optional.of(
        PaymentLookup.of(stripeId(values.get(0), RETURN_PARAMETER), Optional.empty()));
  }
}
