package dev.billingsdk.flutterwave;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingsdk.BuilderRules;
import dev.billingsdk.Identifiers;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.flutterwave.internal.FlutterwaveAmounts;
import dev.billingsdk.flutterwave.internal.FlutterwaveHttp;
import dev.billingsdk.flutterwave.internal.FlutterwaveJson;
import dev.billingsdk.flutterwave.internal.FlutterwaveWebhookVerifier;
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
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Core's {@link PaymentProvider} for Flutterwave v3 (name {@value #NAME}): hosted payment links
 * (Flutterwave Standard), webhooks checked under either of Flutterwave's header schemes, every
 * payment verified through the API before anything is granted, tokenized charges of a saved card,
 * refunds, and a health check.
 *
 * <p>Build one per Flutterwave account with {@link #builder(FlutterwaveSecretKey)}; it is immutable
 * and safe for concurrent use. Flutterwave takes no idempotency key, so the calls that move money
 * (a tokenized charge, a refund) are never retried by this adapter; a tokenized charge first looks
 * its {@code tx_ref} up, so that a host retrying after an unknown outcome charges once. Amounts are
 * decimal major units both ways, converted exactly or refused.
 *
 * <p>The secret key and the webhook secret hashes appear in no {@link #toString()}, exception or
 * log line. See {@code docs/payments.md}.
 */
public final class FlutterwavePaymentProvider implements PaymentProvider {
  /** The provider's name, stored with purchases and events, and the webhook route's name. */
  public static final String NAME = "flutterwave";

  /** How long a failure keeps a successful health check {@code DEGRADED}. */
  public static final Duration DEGRADED_FOR = Duration.ofMinutes(5);

  /** The longest hosted-link session Flutterwave takes: 1440 minutes. */
  public static final Duration MAX_SESSION_DURATION = Duration.ofMinutes(1440);

  private static final Logger log = LoggerFactory.getLogger(FlutterwavePaymentProvider.class);

  /** A transaction id as Flutterwave writes it: decimal digits, within a {@code long}. */
  private static final Pattern TRANSACTION_ID = Pattern.compile("[0-9]{1,18}");

  private static final Pattern PAYMENT_OPTION = Pattern.compile("[a-z0-9_]{1,40}");

  private static final int MAX_DECLINE_MESSAGE = 1000;

  /** How a host's own sleeping is plugged in between retries (tests record instead). */
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

  private final FlutterwaveHttp http;
  private final FlutterwaveWebhookVerifier verifier;
  private final Clock clock;
  private final @Nullable String paymentOptions;
  private final @Nullable Duration sessionDuration;
  private final @Nullable String title;
  private final @Nullable URI logo;
  private final int hashCount;

  private FlutterwavePaymentProvider(Builder b, FlutterwaveSecretHash hash) {
    this.http = b.transport.clock(b.clock).build();
    this.verifier = FlutterwaveWebhookVerifier.of(hash, b.previousHash, b.clock);
    this.clock = b.clock;
    this.paymentOptions = b.paymentOptions;
    this.sessionDuration = b.sessionDuration;
    this.title = b.title;
    this.logo = b.logo;
    this.hashCount = b.previousHash == null ? 1 : 2;
  }

  /**
   * A builder for a provider with this secret key; the webhook secret hash is required too.
   *
   * @param key the account's secret key
   * @return the builder
   */
  public static Builder builder(FlutterwaveSecretKey key) {
    return new Builder(key);
  }

  @Override
  public String name() {
    return NAME;
  }

  // ------------------------------------------------------------------ checkout

  /**
   * {@code POST /v3/payments}: a hosted payment link for the purchase. Its {@code tx_ref} is the
   * purchase id, which is also the session's reference; {@code redirect_url} is the success URL
   * (Flutterwave sends the buyer back there whatever happened, with a {@code status}, so the cancel
   * URL is not sent); the customer is the request's e-mail; {@code customizations} carry the
   * configured title (or the description), the description and the configured logo; {@code meta} is
   * the request's metadata. The request's idempotency key is not sent: Flutterwave has none, and
   * creating a link moves no money, so the transport may retry it.
   *
   * @throws InvalidRequestException if the request has no {@code customerEmail} (Flutterwave
   *     requires one) or is a subscription (Flutterwave payment plans are not supported yet)
   * @throws AmountNotRepresentableException if the amount cannot be sent exactly
   * @throws PaymentProviderException if Flutterwave refused or could not be reached
   */
  @Override
  public CheckoutSession createCheckout(CheckoutRequest request) {
    InvalidRequestException.requireNonNull(request, "request");
    if (request.recurring().isPresent()) {
      throw new InvalidRequestException(
          "recurring",
          request.recurring().get(),
          "is not supported by the Flutterwave adapter yet (Flutterwave payment plans); sell"
              + " one-time payments");
    }
    String email =
        request
            .customerEmail()
            .orElseThrow(
                () ->
                    new InvalidRequestException(
                        "customerEmail", null, "is required by Flutterwave for a hosted payment"));
    ObjectNode body = FlutterwaveJson.mapper().createObjectNode();
    body.put("tx_ref", request.purchaseRef());
    body.put("amount", FlutterwaveAmounts.toFlutterwave(request.amount()));
    body.put("currency", request.currency().code());
    body.put("redirect_url", request.successUrl().toString());
    if (paymentOptions != null) {
      body.put("payment_options", paymentOptions);
    }
    if (sessionDuration != null) {
      body.put("session_duration", sessionDuration.toMinutes());
    }
    body.putObject("customer").put("email", email);
    ObjectNode customizations = body.putObject("customizations");
    customizations.put("title", title != null ? title : request.description());
    customizations.put("description", request.description());
    if (logo != null) {
      customizations.put("logo", logo.toString());
    }
    ObjectNode meta = body.putObject("meta");
    request.metadata().forEach(meta::put);

    JsonNode data = http.post(FlutterwaveHttp.PAYMENTS, body);
    String link = data.path("link").asText("");
    URI redirect;
    try {
      redirect = URI.create(link);
    } catch (IllegalArgumentException e) {
      throw unexpected("the hosted link for " + request.purchaseRef() + " is not a URL");
    }
    if (!redirect.isAbsolute()) {
      throw unexpected("the hosted link for " + request.purchaseRef() + " is missing");
    }
    Optional<Instant> expiresAt =
        sessionDuration == null
            ? Optional.empty()
            : Optional.of(clock.instant().plus(sessionDuration));
    log.debug("Flutterwave payment link created for purchase {}", request.purchaseRef());
    return CheckoutSession.of(request.purchaseRef(), redirect, expiresAt);
  }

  // ------------------------------------------------------------------ webhooks and returns

  /**
   * Checks the {@code flutterwave-signature} HMAC (when present; it then decides alone) or else the
   * {@code verif-hash} header, under the current or the previous secret hash, and reads the event:
   * {@code charge.completed} is {@link ProviderEvent.Kind#CHECKOUT_COMPLETED} whatever its status,
   * since the library verifies the transaction before acting; its id is {@code
   * <data.id>:<event>:<data.status>}; the purchase and the checkout are {@code data.tx_ref}, the
   * payment {@code data.id}.
   */
  @Override
  public ProviderEvent verifyWebhook(byte[] body, Map<String, List<String>> headers) {
    return verifier.verify(body, headers);
  }

  /**
   * Flutterwave appends {@code status}, {@code tx_ref} and {@code transaction_id} to the redirect
   * URL: the lookup is {@code tx_ref} (exactly one) with {@code transaction_id} when it is exactly
   * one run of digits. {@code status} is ignored: the buyer can edit it.
   */
  @Override
  public Optional<PaymentLookup> readReturn(Map<String, List<String>> query) {
    InvalidRequestException.requireNonNull(query, "query");
    List<String> refs = query.getOrDefault("tx_ref", List.of());
    if (refs.size() != 1 || refs.get(0) == null || !isIdentifier(refs.get(0))) {
      return Optional.empty();
    }
    List<String> ids = query.getOrDefault("transaction_id", List.of());
    Optional<String> id =
        ids.size() == 1 && ids.get(0) != null && TRANSACTION_ID.matcher(ids.get(0)).matches()
            ? Optional.of(ids.get(0))
            : Optional.empty();
    return Optional.of(PaymentLookup.of(refs.get(0), id));
  }

  // ------------------------------------------------------------------ the payment, verified

  /**
   * {@code GET /v3/transactions/{id}/verify} when the lookup names the transaction, else {@code GET
   * /v3/transactions/verify_by_reference?tx_ref=}. No transaction (404) is {@link
   * PaymentStatus#OPEN} without an amount. {@code successful} is PAID, {@code failed} FAILED, and
   * anything else PENDING. The amount is {@code amount} in {@code currency}, exactly, or absent
   * (which the library reviews); the purchase is {@code tx_ref}; the payment {@code id}; the
   * customer {@code customer.email}; the saved method {@code card.token}. v3's verify lists no
   * refunds.
   */
  @Override
  public PaymentView fetchPayment(PaymentLookup lookup) {
    InvalidRequestException.requireNonNull(lookup, "lookup");
    Optional<JsonNode> found =
        lookup.paymentRef().isPresent()
            ? verifyById(transactionId(lookup.paymentRef().get(), "paymentRef"))
            : verifyByReference(lookup.checkoutRef());
    if (found.isEmpty()) {
      return new PaymentView(
          lookup.checkoutRef(),
          Optional.empty(),
          PaymentStatus.OPEN,
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          List.of());
    }
    JsonNode tx = found.get();
    return new PaymentView(
        lookup.checkoutRef(),
        identifier(tx.get("tx_ref")),
        statusOf(text(tx.get("status")).orElse("")),
        amountOf(tx),
        idOf(tx),
        identifier(tx.path("customer").get("email")),
        identifier(tx.path("card").get("token")),
        List.of());
  }

  static PaymentStatus statusOf(String status) {
    switch (status) {
      case "successful":
        return PaymentStatus.PAID;
      case "failed":
        return PaymentStatus.FAILED;
      default:
        return PaymentStatus.PENDING;
    }
  }

  private Optional<JsonNode> verifyById(String id) {
    return http.find("/v3/transactions/" + id + "/verify", Map.of()).filter(JsonNode::isObject);
  }

  private Optional<JsonNode> verifyByReference(String txRef) {
    return http.find("/v3/transactions/verify_by_reference", Map.of("tx_ref", txRef))
        .filter(JsonNode::isObject);
  }

  // ------------------------------------------------------------------ off-session

  /**
   * A tokenized charge of the saved card ({@code paymentMethod} is the card token, {@code customer}
   * the e-mail it was saved with). The {@code tx_ref} (the purchase id) is looked up first, and a
   * transaction found is taken as the charge's outcome instead of charging again. Otherwise {@code
   * POST /v3/tokenized-charges}, sent once (a timeout there is {@link Kind#UNAVAILABLE} with an
   * unknown outcome; calling this again then finds the transaction). {@code successful} is verified
   * by id before it is believed: {@link OffSessionOutcome.Succeeded} only when the verified
   * transaction is successful, in the charge's currency and for at least its amount. {@code failed}
   * is {@link OffSessionOutcome.Declined} with the processor's response; {@code pending} with a
   * {@code meta.authorization} (the bank wants the customer to authenticate: OTP, 3-D Secure) is
   * {@link OffSessionOutcome.AuthenticationRequired}, and {@code pending} without one (accepted,
   * not settled) is {@link OffSessionOutcome.Processing}.
   */
  @Override
  public OffSessionOutcome chargeOffSession(OffSessionCharge charge) {
    InvalidRequestException.requireNonNull(charge, "charge");
    // Converted (or refused) before anything is sent.
    BigDecimal amount = FlutterwaveAmounts.toFlutterwave(charge.amount());
    Optional<JsonNode> earlier = verifyByReference(charge.purchaseRef());
    JsonNode tx;
    if (earlier.isPresent()) {
      log.info(
          "Flutterwave already has a transaction for {}; it is the charge's outcome, not charged"
              + " again",
          charge.purchaseRef());
      tx = earlier.get();
    } else {
      ObjectNode body = FlutterwaveJson.mapper().createObjectNode();
      body.put("token", charge.paymentMethod());
      body.put("email", charge.customer());
      body.put("currency", ((CurrencyUnit) charge.amount().unit()).code());
      body.put("amount", amount);
      body.put("tx_ref", charge.purchaseRef());
      body.put("narration", charge.description());
      tx = http.post("/v3/tokenized-charges", body);
    }
    String status = text(tx.get("status")).orElse("");
    String id =
        idOf(tx)
            .orElseThrow(() -> unexpected("the charge for " + charge.purchaseRef() + " has no id"));
    switch (status) {
      case "successful":
        return verifiedSuccess(id, charge);
      case "failed":
        return new OffSessionOutcome.Declined("declined", declineMessage(tx));
      case "pending":
        return tx.path("meta").path("authorization").isObject()
            ? new OffSessionOutcome.AuthenticationRequired(id)
            : new OffSessionOutcome.Processing(id);
      default:
        throw unexpected("the charge " + id + " has status " + clip(status, 40));
    }
  }

  /**
   * {@code GET /v3/transactions/{id}/verify}, read as {@link #fetchPayment} reads it: {@code
   * successful} is PAID, {@code failed} FAILED, and {@code pending} (or anything else) PENDING. The
   * purchase is {@code tx_ref}, which {@link #chargeOffSession} sets to the purchase id; the amount
   * {@code amount} in {@code currency}, exactly, or absent; the customer {@code customer.email}.
   * v3's verify lists no refunds, so {@code refunds} is empty.
   *
   * @throws InvalidRequestException if {@code paymentRef} is not a transaction id (digits; nothing
   *     is sent)
   * @throws PaymentProviderException if Flutterwave refused or could not be reached; a transaction
   *     it does not know (404) is {@link Kind#INVALID_REQUEST}
   */
  @Override
  public PaymentView fetchOffSessionPayment(String paymentRef) {
    InvalidRequestException.requireNonNull(paymentRef, "paymentRef");
    String id = transactionId(paymentRef, "paymentRef");
    JsonNode tx = http.get("/v3/transactions/" + id + "/verify", Map.of());
    if (!tx.isObject()) {
      throw unexpected("the transaction " + id + " came back without data");
    }
    return new PaymentView(
        id,
        identifier(tx.get("tx_ref")),
        statusOf(text(tx.get("status")).orElse("")),
        amountOf(tx),
        Optional.of(id),
        identifier(tx.path("customer").get("email")),
        Optional.empty(),
        List.of());
  }

  /** The processor's words, when they are text the library can keep. */
  private static String declineMessage(JsonNode tx) {
    String said = clip(text(tx.get("processor_response")).orElse("declined"), MAX_DECLINE_MESSAGE);
    try {
      return InputContract.text(said, "message", MAX_DECLINE_MESSAGE);
    } catch (InvalidRequestException e) {
      return "declined";
    }
  }

  private OffSessionOutcome verifiedSuccess(String id, OffSessionCharge charge) {
    JsonNode verified =
        verifyById(id)
            .orElseThrow(
                () -> unexpected("the charge " + id + " said successful but cannot be verified"));
    String status = text(verified.get("status")).orElse("");
    if (!"successful".equals(status)) {
      throw unexpected("the charge " + id + " said successful but verifies as " + clip(status, 40));
    }
    Optional<Amount> paid = amountOf(verified);
    if (paid.isEmpty()
        || !paid.get().unit().equals(charge.amount().unit())
        || paid.get().compareTo(charge.amount()) < 0) {
      throw unexpected(
          "the charge "
              + id
              + " verifies as "
              + paid.map(Amount::toString).orElse("an unreadable amount")
              + ", not at least "
              + charge.amount());
    }
    return new OffSessionOutcome.Succeeded(id);
  }

  // ------------------------------------------------------------------ refunds

  /**
   * {@code POST /v3/transactions/{id}/refund} with the amount, sent once (Flutterwave takes no
   * idempotency key; a timeout is {@link Kind#UNAVAILABLE} with an unknown outcome). The refund's
   * id is Flutterwave's {@code data.id}; its amount {@code amount_refunded} in the call's currency;
   * its status {@code completed} SUCCEEDED, {@code failed} FAILED, anything else PENDING.
   */
  @Override
  public ProviderRefund refund(RefundCall call) {
    InvalidRequestException.requireNonNull(call, "call");
    String id = transactionId(call.paymentRef(), "paymentRef");
    ObjectNode body = FlutterwaveJson.mapper().createObjectNode();
    body.put("amount", FlutterwaveAmounts.toFlutterwave(call.amount()));
    JsonNode data = http.post("/v3/transactions/" + id + "/refund", body);
    String refundId =
        idOf(data)
            .orElseThrow(() -> unexpected("the refund of " + id + " came back without an id"));
    Amount refunded = call.amount();
    JsonNode stated = data.get("amount_refunded");
    if (stated != null && stated.isNumber()) {
      try {
        refunded =
            FlutterwaveAmounts.fromFlutterwave(stated.decimalValue(), call.amount().unit().code());
      } catch (AmountNotRepresentableException e) {
        throw unexpected("refund " + refundId + " states an amount that does not convert exactly");
      }
    }
    if (!refunded.isPositive()) {
      throw unexpected("refund " + refundId + " states an amount that is not positive");
    }
    ProviderRefund.Status status;
    switch (text(data.get("status")).orElse("")) {
      case "completed":
        status = ProviderRefund.Status.SUCCEEDED;
        break;
      case "failed":
        status = ProviderRefund.Status.FAILED;
        break;
      default:
        status = ProviderRefund.Status.PENDING;
    }
    return new ProviderRefund(refundId, refunded, status);
  }

  // ------------------------------------------------------------------ health

  /**
   * {@code GET /v3/balances} through the circuit breaker. {@code DOWN} when the breaker is open or
   * the call failed; {@code DEGRADED} when it succeeded while the breaker was half-open or within
   * {@link #DEGRADED_FOR} of a failure; otherwise {@code CONNECTED}. The last error and its time
   * come with every state; the text never holds a secret.
   */
  @Override
  public ProviderHealth health() {
    boolean wasClosed = http.health().state() == FlutterwaveHttp.BreakerState.CLOSED;
    PaymentProviderException failure = null;
    try {
      // With the breaker open nothing is sent; once its wait is over this is the trial call.
      http.get("/v3/balances", Map.of());
    } catch (PaymentProviderException e) {
      failure = e;
    }
    FlutterwaveHttp.Health seen = http.health();
    Optional<String> noted = Optional.ofNullable(seen.lastError());
    Optional<Instant> notedAt = Optional.ofNullable(seen.lastErrorAt());
    Instant now = clock.instant();
    if (failure == null) {
      boolean fresh = notedAt.map(t -> now.isBefore(t.plus(DEGRADED_FOR))).orElse(false);
      return new ProviderHealth(
          wasClosed && !fresh ? ProviderHealth.State.CONNECTED : ProviderHealth.State.DEGRADED,
          noted.map(m -> clip(m, 2000)),
          notedAt);
    }
    boolean open = failure.kind() == Kind.CIRCUIT_OPEN;
    String said = String.valueOf(failure.getMessage());
    String message = open ? said + noted.map(m -> "; last error: " + m).orElse("") : said;
    // The transport dates the failures it notes; any other failure happened just now.
    boolean dated = open || noted.filter(said::equals).isPresent();
    return new ProviderHealth(
        ProviderHealth.State.DOWN,
        Optional.of(clip(message, 2000)),
        Optional.of(dated ? notedAt.orElse(now) : now));
  }

  // ------------------------------------------------------------------ reading Flutterwave's JSON

  private static Optional<String> text(@Nullable JsonNode node) {
    return node != null && node.isTextual() && !node.asText().isEmpty()
        ? Optional.of(node.asText())
        : Optional.empty();
  }

  private static Optional<String> identifier(@Nullable JsonNode node) {
    return text(node).filter(FlutterwavePaymentProvider::isIdentifier);
  }

  /** A transaction's (or refund's) integer id as a decimal string. */
  private static Optional<String> idOf(JsonNode node) {
    JsonNode id = node.get("id");
    if (id == null || !id.isIntegralNumber() || !id.canConvertToLong() || id.asLong() < 0) {
      return Optional.empty();
    }
    return Optional.of(Long.toString(id.asLong()));
  }

  /** {@code amount} in {@code currency}, exactly, or empty. */
  private static Optional<Amount> amountOf(JsonNode tx) {
    JsonNode amount = tx.get("amount");
    Optional<String> currency = text(tx.get("currency"));
    if (amount == null || !amount.isNumber() || currency.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(FlutterwaveAmounts.fromFlutterwave(amount.decimalValue(), currency.get()));
    } catch (AmountNotRepresentableException e) {
      log.warn("Flutterwave stated an amount that does not convert exactly: {}", e.getMessage());
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

  private static String transactionId(String id, String field) {
    if (!TRANSACTION_ID.matcher(id).matches()) {
      throw new InvalidRequestException(field, id, "is not a Flutterwave transaction id (digits)");
    }
    return id;
  }

  private static String clip(String s, int max) {
    return s.length() > max ? s.substring(0, max) : s;
  }

  private static PaymentProviderException unexpected(String message) {
    return new PaymentProviderException(
        NAME, Kind.UNKNOWN, "unexpected answer: " + message, null, null, null);
  }

  @Override
  public String toString() {
    return "FlutterwavePaymentProvider[" + http + ", webhook secret hashes=" + hashCount + "]";
  }

  // ------------------------------------------------------------------ builder

  /**
   * Configures a {@link FlutterwavePaymentProvider}: the secret key and {@link #webhookSecretHash}
   * are required, everything else has a default. Each setter checks its value at once and may be
   * called once; a second call is refused naming the value already set (a secret hash is named only
   * by its redacted form).
   */
  public static final class Builder {
    private final FlutterwaveHttp.Builder transport;
    private @Nullable FlutterwaveSecretHash hash;
    private @Nullable FlutterwaveSecretHash previousHash;
    private @Nullable URI baseUri;
    private Clock clock = Clock.systemUTC();
    private boolean clockSet;
    private @Nullable String paymentOptions;
    private @Nullable Duration sessionDuration;
    private @Nullable String title;
    private @Nullable URI logo;
    private @Nullable Duration requestTimeout;
    private @Nullable Duration connectTimeout;
    private @Nullable Integer maxAttempts;
    private @Nullable Duration initialBackoff;
    private @Nullable Sleeper sleeper;
    private @Nullable String breaker;

    private Builder(FlutterwaveSecretKey key) {
      this.transport = FlutterwaveHttp.builder(key);
    }

    /**
     * The webhook secret hash configured in the dashboard (required).
     *
     * @param hash the hash
     * @return this
     */
    public Builder webhookSecretHash(FlutterwaveSecretHash hash) {
      this.hash = BuilderRules.once("webhookSecretHash", this.hash, hash);
      return this;
    }

    /**
     * The hash configured before the current one, accepted too while the hash is being rolled.
     *
     * @param hash the previous hash
     * @return this
     */
    public Builder previousWebhookSecretHash(FlutterwaveSecretHash hash) {
      this.previousHash = BuilderRules.once("previousWebhookSecretHash", this.previousHash, hash);
      return this;
    }

    /**
     * Where the API is: {@code https://api.flutterwave.com} unless set (a test points it at a local
     * fake over {@code http://} to a loopback address).
     *
     * @param baseUri https://host, or http:// to loopback; no path
     * @return this
     */
    public Builder baseUri(URI baseUri) {
      this.baseUri =
          BuilderRules.once("baseUri", this.baseUri, FlutterwaveHttp.checkBaseUri(baseUri));
      transport.baseUri(baseUri);
      return this;
    }

    /**
     * The clock for events without a time, link expiries, health times and the circuit breaker; the
     * system's UTC clock unless set.
     *
     * @param clock the clock
     * @return this
     */
    public Builder clock(Clock clock) {
      BuilderRules.once("clock", clockSet ? this.clock : null, clock);
      this.clock = clock;
      this.clockSet = true;
      return this;
    }

    /**
     * The payment methods the hosted page offers, e.g. {@code card}, {@code mobilemoney}, {@code
     * ussd}; the account's own settings unless set.
     *
     * @param options Flutterwave's option names: lower-case letters, digits and '_', distinct
     * @return this
     */
    public Builder paymentOptions(String... options) {
      List<String> list = InputContract.distinct("paymentOptions", options);
      if (list.isEmpty()) {
        throw new InvalidRequestException("paymentOptions", "[]", "must name at least one option");
      }
      for (String option : list) {
        if (!PAYMENT_OPTION.matcher(option).matches()) {
          throw new InvalidRequestException(
              "paymentOptions", option, "is not a Flutterwave payment option name");
        }
      }
      this.paymentOptions =
          BuilderRules.once("paymentOptions", this.paymentOptions, String.join(", ", list));
      return this;
    }

    /**
     * How long a hosted link stays usable; Flutterwave's default unless set. The session's {@code
     * expiresAt} is then the clock plus this.
     *
     * @param duration whole minutes, 1 to 1440
     * @return this
     */
    public Builder sessionDuration(Duration duration) {
      InvalidRequestException.requireNonNull(duration, "sessionDuration");
      if (duration.compareTo(Duration.ofMinutes(1)) < 0
          || duration.compareTo(MAX_SESSION_DURATION) > 0
          || duration.toSecondsPart() != 0
          || duration.toNanosPart() != 0) {
        throw new InvalidRequestException(
            "sessionDuration", duration, "must be whole minutes, 1 to 1440");
      }
      this.sessionDuration = BuilderRules.once("sessionDuration", this.sessionDuration, duration);
      return this;
    }

    /**
     * The hosted page's title (your business's name); each request's description unless set.
     *
     * @param title 1 to 200 characters
     * @return this
     */
    public Builder title(String title) {
      this.title =
          BuilderRules.once("title", this.title, InputContract.nonBlankText(title, "title", 200));
      return this;
    }

    /**
     * The logo the hosted page shows.
     *
     * @param logo an absolute https URL
     * @return this
     */
    public Builder logo(URI logo) {
      InvalidRequestException.requireNonNull(logo, "logo");
      if (!logo.isAbsolute()
          || !"https".equalsIgnoreCase(logo.getScheme())
          || logo.getHost() == null) {
        throw new InvalidRequestException("logo", logo, "must be an absolute https URL");
      }
      InputContract.text(logo.toString(), "logo", 2048);
      this.logo = BuilderRules.once("logo", this.logo, logo);
      return this;
    }

    /**
     * How long one attempt may take (30 s unless set).
     *
     * @param timeout positive, at most 10 minutes
     * @return this
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout =
          BuilderRules.once(
              "requestTimeout",
              this.requestTimeout,
              FlutterwaveHttp.checkTimeout(timeout, "requestTimeout"));
      transport.requestTimeout(timeout);
      return this;
    }

    /**
     * How long to wait for a connection (10 s unless set).
     *
     * @param timeout positive, at most 10 minutes
     * @return this
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout =
          BuilderRules.once(
              "connectTimeout",
              this.connectTimeout,
              FlutterwaveHttp.checkTimeout(timeout, "connectTimeout"));
      transport.connectTimeout(timeout);
      return this;
    }

    /**
     * How often a retried call (a GET, or creating a payment link) is tried at most, the first
     * included (3 unless set). Charges and refunds are always sent once.
     *
     * @param maxAttempts 1 to 10
     * @return this
     */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts =
          BuilderRules.once(
              "maxAttempts", this.maxAttempts, FlutterwaveHttp.checkMaxAttempts(maxAttempts));
      transport.maxAttempts(maxAttempts);
      return this;
    }

    /**
     * The first wait between attempts and the cap of the doubling waits (500 ms and 5 s unless
     * set); each wait is drawn between half and all of its step.
     *
     * @param initial the first wait
     * @param max the cap
     * @return this
     */
    public Builder backoff(Duration initial, Duration max) {
      FlutterwaveHttp.checkBackoff(initial, max);
      this.initialBackoff = BuilderRules.once("backoff", this.initialBackoff, initial);
      transport.backoff(initial, max);
      return this;
    }

    /**
     * What waits between attempts ({@link Thread#sleep} unless set).
     *
     * @param sleeper the sleeper
     * @return this
     */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = BuilderRules.once("sleeper", this.sleeper, sleeper);
      transport.sleeper(sleeper::sleep);
      return this;
    }

    /**
     * The circuit breaker: open when {@code failureRatePercent} of the last {@code window} attempts
     * failed (network, timeouts, 5xx), stay open for {@code openFor}, then let {@code
     * halfOpenCalls} trial calls through. 50% of 10, 30 s and 1 unless set.
     *
     * @param window 1 to 1000 attempts
     * @param failureRatePercent in (0, 100]
     * @param openFor positive
     * @param halfOpenCalls 1 to 100
     * @return this
     */
    public Builder circuitBreaker(
        int window, float failureRatePercent, Duration openFor, int halfOpenCalls) {
      FlutterwaveHttp.checkBreaker(window, failureRatePercent, openFor, halfOpenCalls);
      this.breaker =
          BuilderRules.once(
              "circuitBreaker",
              this.breaker,
              failureRatePercent
                  + "% of "
                  + window
                  + ", open for "
                  + openFor
                  + ", "
                  + halfOpenCalls
                  + " trial calls");
      transport.circuitBreaker(window, failureRatePercent, openFor, halfOpenCalls);
      return this;
    }

    /**
     * The provider.
     *
     * @return the provider
     * @throws InvalidRequestException if {@link #webhookSecretHash} was not called
     */
    public FlutterwavePaymentProvider build() {
      FlutterwaveSecretHash current = BuilderRules.required(hash, "webhookSecretHash");
      return new FlutterwavePaymentProvider(this, current);
    }
  }
}
