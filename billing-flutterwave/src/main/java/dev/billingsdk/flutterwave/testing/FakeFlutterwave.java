package dev.billingsdk.flutterwave.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A local server that speaks Flutterwave's v3 wire format for the endpoints this adapter calls, so
 * that a host can test its hosted payments, returns, webhooks, off-session charges and refunds
 * without network or a Flutterwave account. It keeps state: links, transactions, card tokens and
 * refunds.
 *
 * <p>It listens on 127.0.0.1 on an ephemeral port ({@link #baseUri()}). Every API response is an
 * envelope {@code {"status": "success" | "error", "message": ..., "data": ...}}; amounts are JSON
 * numbers in major units, read and written exactly (as {@link BigDecimal}; a decimal string is
 * accepted too). It serves:
 *
 * <ul>
 *   <li>{@code POST /v3/payments}: a hosted payment link (Flutterwave Standard) for {@code tx_ref},
 *       {@code amount} (above 0), {@code currency} (three upper-case letters), {@code redirect_url}
 *       and {@code customer.email}, all required (400 {@code "<field> is required"}); optional
 *       {@code session_duration} (1 to 1440 minutes), {@code customer.name}, {@code
 *       customizations}, {@code meta}. Answers {@code data.link}, {@code
 *       <baseUri>/v3/hosted/pay/<token>};
 *   <li>{@code GET /v3/hosted/pay/<token>}: the hosted page (HTML, no key). With {@code
 *       ?outcome=successful}, {@code failed} or {@code cancelled} it plays the customer ({@link
 *       #pay}, {@link #failAttempt}, or leaving) and answers 303 to the link's {@code redirect_url}
 *       with Flutterwave's query ({@link #returnQueryFor(long)}); for an example program's browser;
 *   <li>{@code GET /v3/transactions/{id}/verify} and {@code GET
 *       /v3/transactions/verify_by_reference?tx_ref=}: the transaction (by reference: the latest
 *       successful one, else the latest); 404 {@code "No transaction was found for this id"};
 *   <li>{@code POST /v3/tokenized-charges} ({@code token}, {@code email}, {@code currency}, {@code
 *       amount}, {@code tx_ref} required): a new transaction, {@code successful} unless the test
 *       said {@link #declineNext}, {@link #requireAuthenticationNext} or {@link #pendingNext}
 *       (pending, no authorization step; {@link #settle} or {@link #failPending} ends it); 400
 *       {@code "Token not found"} for a token no card payment issued. A pending charge's {@code
 *       meta.authorization.redirect} is {@code <baseUri>/v3/hosted/authorize/<id>}, a page whose
 *       {@code ?outcome=successful} {@linkplain #settle settles} it;
 *   <li>{@code POST /v3/transactions/{id}/refund} (optional {@code amount}, else all that is left):
 *       a refund, {@code completed} (or {@code pending} after {@link #refundsPendingNext}); 400
 *       {@code "Refund amount exceeds transaction amount"};
 *   <li>{@code GET /v3/balances}: the wallet balances, a cheap authenticated call.
 * </ul>
 *
 * <p>An API request without {@code Authorization: Bearer <secretKey()>} is answered 401 {@code
 * "Invalid authorization key"}; a POST must be {@code Content-Type: application/json} with a JSON
 * object body. {@link #inject} queues {@link Fault}s for the next API requests; {@link #requests()}
 * logs what arrived. Webhook deliveries ({@link #webhookFor(long)}) carry the transaction as a
 * {@code charge.completed} event, with the {@code verif-hash} header, the {@code
 * flutterwave-signature} header, or both.
 *
 * <p>Thread-safe. Times come from the given {@link Clock}; ids increase from Flutterwave-like
 * starting points, and made-up references (tokens, {@code flw_ref}) come from a seeded generator.
 * {@link #close()} stops the server.
 */
public final class FakeFlutterwave implements AutoCloseable {
  private static final Pattern VERIFY = Pattern.compile("/v3/transactions/([^/]+)/verify");
  private static final Pattern REFUND = Pattern.compile("/v3/transactions/([^/]+)/refund");
  private static final Pattern HOSTED_PAY = Pattern.compile("pay/([A-Za-z0-9]+)");
  private static final Pattern HOSTED_AUTHORIZE = Pattern.compile("authorize/([0-9]+)");

  private final String secretKey;
  private final String secretHash;
  private final Clock clock;
  private final FakeHttp http;
  private final URI baseUri;

  // Everything below is guarded by `this`.
  private final SplittableRandom random;
  private final Map<String, Link> linksByToken = new HashMap<>();
  private final Map<String, Link> linksByRef = new HashMap<>();
  private final Map<Long, Charge> charges = new LinkedHashMap<>();
  private final Map<String, Long> customers = new HashMap<>();
  private final FakeTokenizedCharges tokenized;
  private final FakeRefunds refunds;
  private long nextChargeId;
  private long nextCustomerId = 2374551;

  /** A payment link: what {@code POST /v3/payments} asked for. */
  private record Link(
      String token,
      String txRef,
      BigDecimal amount,
      String currency,
      String redirectUrl,
      String email,
      @Nullable String name,
      @Nullable String phone,
      @Nullable String title,
      ObjectNode meta,
      @Nullable Instant expiresAt) {}

  private FakeFlutterwave(Builder b) throws IOException {
    this.secretKey = b.secretKey == null ? FakeText.randomSecretKey() : b.secretKey;
    this.secretHash = b.secretHash == null ? FakeText.randomSecretHash() : b.secretHash;
    this.clock = b.clock;
    this.random = new SplittableRandom(b.seed);
    this.nextChargeId = b.firstTransactionId;
    this.http = new FakeHttp(secretKey, this::route, this::hostedPage);
    this.baseUri = http.baseUri();
    this.tokenized = new FakeTokenizedCharges(baseUri, this::newCharge, this::randomHex);
    this.refunds = new FakeRefunds(clock, Collections.unmodifiableMap(charges));
  }

  /**
   * Starts a fake with a random secret key ({@code FLWSECK_TEST-<32 hex>-X}) and webhook secret
   * hash, telling time by {@code clock}.
   *
   * @throws UncheckedIOException if no loopback port can be bound
   */
  public static FakeFlutterwave start(Clock clock) {
    return builder().clock(clock).start();
  }

  /** Configures a fake: its secret key, webhook secret hash, clock and seed. */
  public static Builder builder() {
    return new Builder();
  }

  /** Where the fake listens, e.g. {@code http://127.0.0.1:54321}: the adapter's base URI. */
  public URI baseUri() {
    return baseUri;
  }

  /** The secret key API requests must carry as {@code Authorization: Bearer <key>}. */
  public String secretKey() {
    return secretKey;
  }

  /** The webhook secret hash (the dashboard's "secret hash") deliveries are authenticated with. */
  public String secretHash() {
    return secretHash;
  }

  /** Stops the server; requests held by {@link Fault#delay} are released at once. */
  @Override
  public void close() {
    http.stop();
  }

  // ------------------------------------------------------------------ log and faults

  /** Every API request received so far (not the hosted pages), oldest first. */
  public List<ReceivedRequest> requests() {
    return http.requests();
  }

  /** Forgets the requests received so far. */
  public void clearRequests() {
    http.clearRequests();
  }

  /** Queues faults: each takes one of the next API requests, in order, instead of serving it. */
  public void inject(Fault... faults) {
    http.inject(faults);
  }

  /** How many injected faults have not yet met a request. */
  public int pendingFaults() {
    return http.pendingFaults();
  }

  // ------------------------------------------------------------------ reading state

  /**
   * A transaction by its id.
   *
   * @throws IllegalArgumentException if there is none
   */
  public synchronized FakeTransaction transaction(long id) {
    return charge(id).view();
  }

  /**
   * A transaction's JSON exactly as {@code GET /v3/transactions/{id}/verify} answers it in {@code
   * data}.
   *
   * @throws IllegalArgumentException if there is none
   */
  public synchronized String transactionJson(long id) {
    return FakeJson.write(charge(id).verifyJson());
  }

  /** The transactions on a {@code tx_ref} (link attempts and tokenized charges), oldest first. */
  public synchronized List<FakeTransaction> transactions(String txRef) {
    Objects.requireNonNull(txRef, "txRef");
    return charges.values().stream().filter(c -> c.txRef.equals(txRef)).map(Charge::view).toList();
  }

  /** The hosted link made for a {@code tx_ref} (the latest, if it was asked for again). */
  public synchronized Optional<URI> link(String txRef) {
    Link link = linksByRef.get(Objects.requireNonNull(txRef, "txRef"));
    return link == null ? Optional.empty() : Optional.of(linkUri(link));
  }

  /** The refunds of a transaction, oldest first. */
  public synchronized List<FakeRefund> refunds(long transactionId) {
    return refunds.of(transactionId);
  }

  // ------------------------------------------------------------------ the customer at the link

  /**
   * The customer pays the link's full amount by card: a new {@code successful} transaction with a
   * card token (chargeable with {@code POST /v3/tokenized-charges}) and the link's customer.
   *
   * @throws IllegalArgumentException if no link was made for {@code txRef}
   * @throws IllegalStateException if the link has expired (its {@code session_duration} passed)
   */
  public synchronized FakeTransaction pay(String txRef) {
    Link link = openLink(txRef);
    return attempt(link, link.currency, link.amount, "card", "successful");
  }

  /**
   * The customer pays {@code amount} (in the link's currency) by card; otherwise as {@link #pay}.
   */
  public synchronized FakeTransaction payAmount(String txRef, BigDecimal amount) {
    Link link = openLink(txRef);
    return attempt(link, link.currency, FakeText.positive(amount), "card", "successful");
  }

  /** The customer pays {@code amount} in another currency by card; otherwise as {@link #pay}. */
  public synchronized FakeTransaction payInCurrency(
      String txRef, String currency, BigDecimal amount) {
    Link link = openLink(txRef);
    if (!FakeText.CURRENCY.matcher(Objects.requireNonNull(currency, "currency")).matches()) {
      throw new IllegalArgumentException("a currency is three upper-case letters: " + currency);
    }
    return attempt(link, currency, FakeText.positive(amount), "card", "successful");
  }

  /** A card payment on the link fails (declined): a {@code failed} transaction, no token. */
  public synchronized FakeTransaction failAttempt(String txRef) {
    Link link = openLink(txRef);
    return attempt(link, link.currency, link.amount, "card", "failed");
  }

  /**
   * The customer starts a payment that completes later (mobile money for GHS, UGX, RWF, ZMW; M-Pesa
   * for KES; a bank transfer otherwise): a {@code pending} transaction; {@link #settle} or {@link
   * #failPending} ends it.
   */
  public synchronized FakeTransaction pendingAttempt(String txRef) {
    Link link = openLink(txRef);
    return attempt(
        link, link.currency, link.amount, FakeText.pendingPaymentType(link.currency), "pending");
  }

  /**
   * A pending transaction succeeds (the mobile money payment arrives, or the customer passed the
   * bank's authentication of a tokenized charge).
   *
   * @throws IllegalStateException if it is not pending
   */
  public synchronized FakeTransaction settle(long transactionId) {
    Charge charge = pending(transactionId);
    charge.status = "successful";
    charge.processorResponse = "Approved by Financial Institution";
    if (charge.card() && charge.token == null) {
      tokenized.issueToken(charge);
    }
    return charge.view();
  }

  /**
   * A pending transaction fails (the customer never approved it).
   *
   * @throws IllegalStateException if it is not pending
   */
  public synchronized FakeTransaction failPending(long transactionId) {
    Charge charge = pending(transactionId);
    charge.status = "failed";
    charge.processorResponse = "Transaction was not completed";
    return charge.view();
  }

  // ------------------------------------------------------------------ tokenized charges, refunds

  /**
   * The next tokenized charge with {@code token} is declined: {@code data.status: failed} with this
   * {@code processor_response} (e.g. {@code "Insufficient Funds"}). Queued per token, in order.
   */
  public synchronized void declineNext(String token, String processorResponse) {
    tokenized.declineNext(token, processorResponse);
  }

  /**
   * The next tokenized charge with {@code token} needs the customer: {@code data.status: pending}
   * with {@code data.meta.authorization} {@code {"mode": "redirect", "redirect": <url>}}; {@link
   * #settle} completes it. Queued per token, in order.
   */
  public synchronized void requireAuthenticationNext(String token) {
    tokenized.requireAuthenticationNext(token);
  }

  /**
   * The next tokenized charge with {@code token} is accepted but not settled: {@code data.status:
   * pending} without {@code meta.authorization}; {@link #settle} or {@link #failPending} ends it.
   * Queued per token, in order, with {@link #declineNext} and {@link #requireAuthenticationNext}.
   */
  public synchronized void pendingNext(String token) {
    tokenized.pendingNext(token);
  }

  /** The next refund is answered {@code pending} rather than {@code completed}; cumulative. */
  public synchronized void refundsPendingNext() {
    refunds.pendingNext();
  }

  // ------------------------------------------------------------------ the return and webhooks

  /**
   * The query Flutterwave appends to the {@code redirect_url} after the latest attempt on {@code
   * txRef}: {@code status} (the transaction's: {@code successful}, {@code failed}, or {@code
   * pending} for an attempt still in progress), {@code tx_ref}, {@code transaction_id}.
   *
   * @throws IllegalArgumentException if there is no transaction on {@code txRef}
   */
  public synchronized Map<String, List<String>> returnQueryFor(String txRef) {
    Charge latest = null;
    for (Charge charge : charges.values()) {
      if (charge.txRef.equals(Objects.requireNonNull(txRef, "txRef"))) {
        latest = charge;
      }
    }
    if (latest == null) {
      throw new IllegalArgumentException("no transaction on tx_ref " + txRef);
    }
    return FakeText.returnQuery(latest);
  }

  /**
   * The query Flutterwave appends to the {@code redirect_url} after this transaction: {@code
   * status}, {@code tx_ref}, {@code transaction_id}.
   *
   * @throws IllegalArgumentException if there is no such transaction
   */
  public synchronized Map<String, List<String>> returnQueryFor(long transactionId) {
    return FakeText.returnQuery(charge(transactionId));
  }

  /** The query of a cancelled checkout: {@code status=cancelled} and {@code tx_ref}, no id. */
  public Map<String, List<String>> cancelledReturnQueryFor(String txRef) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    query.put("status", List.of("cancelled"));
    query.put("tx_ref", List.of(Objects.requireNonNull(txRef, "txRef")));
    return Collections.unmodifiableMap(query);
  }

  /**
   * The link's {@code redirect_url} with the query of {@link #returnQueryFor(long)}: where
   * Flutterwave sends the customer's browser after this transaction.
   *
   * @throws IllegalArgumentException if there is no such transaction or no link for its tx_ref
   */
  public synchronized URI returnUrlFor(long transactionId) {
    Charge charge = charge(transactionId);
    Link link = linksByRef.get(charge.txRef);
    if (link == null) {
      throw new IllegalArgumentException("no payment link for tx_ref " + charge.txRef);
    }
    return URI.create(FakeText.withQuery(link.redirectUrl, FakeText.returnQuery(charge)));
  }

  /**
   * The {@code charge.completed} webhook about this transaction (as it is now), with both {@code
   * verif-hash} and {@code flutterwave-signature} under {@link #secretHash()}.
   *
   * @throws IllegalArgumentException if there is no such transaction
   */
  public WebhookDelivery webhookFor(long transactionId) {
    return WebhookSigner.delivery(webhookBody(transactionId), secretHash, true, true);
  }

  /**
   * {@link #webhookFor(long)} authenticated under another secret hash (both headers): a delivery
   * signed before or after a host rolls its secret.
   */
  public WebhookDelivery webhookFor(long transactionId, String otherSecretHash) {
    Objects.requireNonNull(otherSecretHash, "otherSecretHash");
    return WebhookSigner.delivery(webhookBody(transactionId), otherSecretHash, true, true);
  }

  /** {@link #webhookFor(long)} with only the legacy {@code verif-hash} header. */
  public WebhookDelivery legacyWebhookFor(long transactionId) {
    return WebhookSigner.delivery(webhookBody(transactionId), secretHash, true, false);
  }

  /** {@link #webhookFor(long)} with only the {@code flutterwave-signature} header. */
  public WebhookDelivery signedWebhookFor(long transactionId) {
    return WebhookSigner.delivery(webhookBody(transactionId), secretHash, false, true);
  }

  /**
   * Any body (e.g. an event the fake does not make, or malformed JSON) with both headers under
   * {@link #secretHash()}.
   */
  public WebhookDelivery webhookWithBody(String body) {
    return WebhookSigner.delivery(Objects.requireNonNull(body, "body"), secretHash, true, true);
  }

  /**
   * The {@code flutterwave-signature} of {@code body} under {@code secretHash}: base64 of
   * HMAC-SHA256, keyed with the hash's UTF-8 bytes, over the body's UTF-8 bytes.
   */
  public static String signature(String body, String secretHash) {
    return WebhookSigner.signature(body, secretHash);
  }

  private synchronized String webhookBody(long transactionId) {
    Charge charge = charge(transactionId);
    ObjectNode event = FakeJson.NODES.objectNode();
    event.put("event", "charge.completed");
    event.set("data", charge.webhookJson());
    event.put("event.type", charge.eventType());
    return FakeJson.write(event);
  }

  // ------------------------------------------------------------------ the API

  private synchronized Reply route(
      String method, String path, Map<String, List<String>> query, ObjectNode body) {
    if (method.equals("POST") && path.equals("/v3/payments")) {
      return createLink(body);
    }
    if (method.equals("POST") && path.equals("/v3/tokenized-charges")) {
      return tokenized.charge(body);
    }
    if (method.equals("GET") && path.equals("/v3/transactions/verify_by_reference")) {
      return verifyByReference(query);
    }
    if (method.equals("GET") && path.equals("/v3/balances")) {
      return ok("Wallet balances fetched", balances());
    }
    Matcher verify = VERIFY.matcher(path);
    if (method.equals("GET") && verify.matches()) {
      Charge charge = charges.get(FakeText.transactionId(verify.group(1)));
      if (charge == null) {
        throw Rejection.noTransaction();
      }
      return ok("Transaction fetched successfully", charge.verifyJson());
    }
    Matcher refund = REFUND.matcher(path);
    if (method.equals("POST") && refund.matches()) {
      return refunds.refund(FakeText.transactionId(refund.group(1)), body);
    }
    return Reply.json(404, FakeJson.error("Not found: " + method + " " + path));
  }

  private Reply createLink(ObjectNode body) {
    String txRef = FakeJson.text(body, "tx_ref");
    BigDecimal amount = FakeJson.positiveAmount(body, "amount");
    String currency = FakeText.currency(body);
    String redirectUrl = FakeJson.text(body, "redirect_url");
    if (!FakeText.absoluteHttp(redirectUrl)) {
      throw Rejection.invalid("redirect_url must be an absolute http(s) URL");
    }
    ObjectNode customer = FakeText.optionalObject(body, "customer");
    if (customer == null) {
      throw Rejection.required("customer.email");
    }
    String email = FakeJson.optionalText(customer, "email");
    if (email == null) {
      throw Rejection.required("customer.email");
    }
    if (email.indexOf('@') < 1) {
      throw Rejection.invalid("customer.email must be an email address");
    }
    Instant expiresAt = null;
    JsonNode duration = body.get("session_duration");
    if (duration != null && !duration.isNull()) {
      if (!duration.canConvertToInt()
          || !duration.isIntegralNumber()
          || duration.intValue() < 1
          || duration.intValue() > 1440) {
        throw Rejection.invalid("session_duration must be between 1 and 1440");
      }
      expiresAt = clock.instant().plusSeconds(60L * duration.intValue());
    }
    FakeJson.optionalText(body, "payment_options");
    ObjectNode customizations = FakeText.optionalObject(body, "customizations");
    ObjectNode meta = FakeText.optionalObject(body, "meta");
    String token = randomHex(20);
    Link link =
        new Link(
            token,
            txRef,
            amount,
            currency,
            redirectUrl,
            email,
            FakeJson.optionalText(customer, "name"),
            FakeJson.optionalText(customer, "phonenumber"),
            customizations == null ? null : FakeJson.optionalText(customizations, "title"),
            meta == null ? FakeJson.NODES.objectNode() : meta.deepCopy(),
            expiresAt);
    linksByToken.put(token, link);
    linksByRef.put(txRef, link);
    ObjectNode data = FakeJson.NODES.objectNode();
    data.put("link", linkUri(link).toString());
    return ok("Hosted Link", data);
  }

  private Reply verifyByReference(Map<String, List<String>> query) {
    List<String> refs = query.get("tx_ref");
    if (refs == null || refs.isEmpty() || refs.get(0).isBlank()) {
      throw Rejection.required("tx_ref");
    }
    String txRef = refs.get(0);
    Charge latest = null;
    Charge latestSuccessful = null;
    for (Charge charge : charges.values()) {
      if (charge.txRef.equals(txRef)) {
        latest = charge;
        if (charge.status.equals("successful")) {
          latestSuccessful = charge;
        }
      }
    }
    Charge found = latestSuccessful != null ? latestSuccessful : latest;
    if (found == null) {
      throw Rejection.noTransaction();
    }
    return ok("Transaction fetched successfully", found.verifyJson());
  }

  private ArrayNode balances() {
    Map<String, BigDecimal> available = new TreeMap<>();
    for (Charge charge : charges.values()) {
      if (charge.status.equals("successful")) {
        available.merge(charge.currency, charge.unrefunded(), BigDecimal::add);
      }
    }
    if (available.isEmpty()) {
      available.put("NGN", BigDecimal.ZERO);
    }
    ArrayNode data = FakeJson.NODES.arrayNode();
    available.forEach(
        (currency, amount) ->
            data.addObject()
                .put("currency", currency)
                .put("available_balance", amount)
                .put("ledger_balance", amount));
    return data;
  }

  // ------------------------------------------------------------------ hosted pages

  private synchronized Reply hostedPage(String rest, Map<String, List<String>> query) {
    List<String> outcomes = query.getOrDefault("outcome", List.of());
    String outcome = outcomes.isEmpty() ? "" : outcomes.get(0);
    Matcher pay = HOSTED_PAY.matcher(rest);
    if (pay.matches()) {
      Link link = linksByToken.get(pay.group(1));
      if (link == null || expired(link)) {
        return Reply.html(404, FakeText.page("This payment link is not valid or has expired."));
      }
      switch (outcome) {
        case "successful":
          FakeTransaction paid = attempt(link, link.currency, link.amount, "card", "successful");
          return Reply.seeOther(FakeText.withQuery(link.redirectUrl, returnQueryFor(paid.id())));
        case "failed":
          FakeTransaction failed = attempt(link, link.currency, link.amount, "card", "failed");
          return Reply.seeOther(FakeText.withQuery(link.redirectUrl, returnQueryFor(failed.id())));
        case "cancelled":
          return Reply.seeOther(
              FakeText.withQuery(link.redirectUrl, cancelledReturnQueryFor(link.txRef)));
        default:
          String here = baseUri + "/v3/hosted/pay/" + link.token;
          return Reply.html(
              200,
              FakeText.page(
                  FakeText.escape(link.title == null ? "Payment" : link.title)
                      + ": "
                      + FakeText.escape(link.currency + " " + link.amount.toPlainString())
                      + " for "
                      + FakeText.escape(link.email)
                      + ". <a href=\""
                      + here
                      + "?outcome=successful\">Pay</a> <a href=\""
                      + here
                      + "?outcome=failed\">Fail</a> <a href=\""
                      + here
                      + "?outcome=cancelled\">Cancel</a>"));
      }
    }
    Matcher authorize = HOSTED_AUTHORIZE.matcher(rest);
    if (authorize.matches()) {
      Charge charge = charges.get(FakeText.transactionId(authorize.group(1)));
      if (charge == null || !charge.status.equals("pending")) {
        return Reply.html(404, FakeText.page("Nothing to authorize here."));
      }
      if (outcome.equals("successful")) {
        settle(charge.id);
        return Reply.html(200, FakeText.page("Authenticated."));
      }
      return Reply.html(
          200,
          FakeText.page(
              "Authenticate the charge of "
                  + FakeText.escape(charge.currency + " " + charge.amount.toPlainString())
                  + ". <a href=\"?outcome=successful\">Authenticate</a>"));
    }
    return Reply.html(404, FakeText.page("Not found."));
  }

  // ------------------------------------------------------------------ helpers

  private FakeTransaction attempt(
      Link link, String currency, BigDecimal amount, String paymentType, String status) {
    String response =
        status.equals("successful")
            ? "Approved by Financial Institution"
            : status.equals("failed") ? "Declined" : "Transaction is pending";
    Charge charge =
        newCharge(
            link.txRef,
            amount,
            currency,
            paymentType,
            status,
            response,
            link.email,
            link.name,
            link.phone,
            paymentType.equals("card") ? "CARD Transaction " : "Payment",
            link.meta.deepCopy());
    if (charge.card() && status.equals("successful")) {
      tokenized.issueToken(charge);
    }
    return charge.view();
  }

  private Charge newCharge(
      String txRef,
      BigDecimal amount,
      String currency,
      String paymentType,
      String status,
      String processorResponse,
      String email,
      @Nullable String name,
      @Nullable String phone,
      String narration,
      ObjectNode meta) {
    long id = nextChargeId++;
    long customerId = customers.computeIfAbsent(email, e -> nextCustomerId++);
    Charge charge =
        new Charge(
            id,
            txRef,
            "FLW-MOCK-" + randomHex(32),
            amount,
            currency,
            paymentType,
            status,
            processorResponse,
            clock.instant(),
            customerId,
            email,
            name,
            phone,
            narration,
            meta);
    charges.put(id, charge);
    return charge;
  }

  private Charge charge(long id) {
    Charge charge = charges.get(id);
    if (charge == null) {
      throw new IllegalArgumentException("no transaction " + id);
    }
    return charge;
  }

  private Charge pending(long id) {
    Charge charge = charge(id);
    if (!charge.status.equals("pending")) {
      throw new IllegalStateException("transaction " + id + " is " + charge.status);
    }
    return charge;
  }

  private Link openLink(String txRef) {
    Link link = linksByRef.get(Objects.requireNonNull(txRef, "txRef"));
    if (link == null) {
      throw new IllegalArgumentException("no payment link for tx_ref " + txRef);
    }
    if (expired(link)) {
      throw new IllegalStateException("the payment link for " + txRef + " has expired");
    }
    return link;
  }

  private boolean expired(Link link) {
    return link.expiresAt != null && !clock.instant().isBefore(link.expiresAt);
  }

  private URI linkUri(Link link) {
    return URI.create(baseUri + "/v3/hosted/pay/" + link.token);
  }

  private static Reply ok(String message, JsonNode data) {
    return Reply.json(200, FakeJson.envelope(message, data));
  }

  private String randomHex(int length) {
    StringBuilder hex = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      hex.append(FakeText.HEX.charAt(random.nextInt(16)));
    }
    return hex.toString();
  }

  /** Configures a {@link FakeFlutterwave}. */
  public static final class Builder {
    private @Nullable String secretKey;
    private @Nullable String secretHash;
    private Clock clock = Clock.systemUTC();
    private long seed = 42;
    private long firstTransactionId = 4975363;

    private Builder() {}

    /**
     * The secret key API requests must carry (default: random, {@code FLWSECK_TEST-<32 hex>-X}).
     */
    public Builder secretKey(String secretKey) {
      this.secretKey = visible(secretKey, "secretKey");
      return this;
    }

    /** The webhook secret hash deliveries are authenticated with (default: random). */
    public Builder secretHash(String secretHash) {
      this.secretHash = visible(secretHash, "secretHash");
      return this;
    }

    /** The clock of {@code created_at} times and link expiries (default: the system's, UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The seed of the made-up references: tokens, {@code flw_ref}s, link tokens. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * The id of the first transaction (default 4975363); later ones count up from it. Flutterwave's
     * transaction ids are unique across its whole system, so fakes started one after another
     * against one host's stores (which keep webhook events by transaction id) should each start
     * elsewhere.
     */
    public Builder firstTransactionId(long id) {
      if (id < 1) {
        throw new IllegalArgumentException("a transaction id is positive; got " + id);
      }
      this.firstTransactionId = id;
      return this;
    }

    /**
     * Starts the server.
     *
     * @throws UncheckedIOException if no loopback port can be bound
     */
    public FakeFlutterwave start() {
      try {
        return new FakeFlutterwave(this);
      } catch (IOException e) {
        throw new UncheckedIOException("FakeFlutterwave could not bind 127.0.0.1", e);
      }
    }

    private static String visible(String value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isEmpty() || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        throw new IllegalArgumentException(name + " is 1 or more visible ASCII characters");
      }
      return value;
    }
  }
}
