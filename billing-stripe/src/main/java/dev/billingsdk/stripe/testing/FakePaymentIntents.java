package dev.billingsdk.stripe.testing;

import static dev.billingsdk.stripe.testing.FakeParams.metadata;
import static dev.billingsdk.stripe.testing.FakeParams.nonNegative;
import static dev.billingsdk.stripe.testing.FakeParams.optionalText;
import static dev.billingsdk.stripe.testing.FakeParams.refuseRemovedPaymentMethodTypes;
import static dev.billingsdk.stripe.testing.FakeParams.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * FakeStripe's PaymentIntents and the money they move: the intents Checkout Sessions make when
 * paid, off-session payments with a saved payment method ({@code POST /v1/payment_intents}, {@code
 * GET /v1/payment_intents/{id}}) and what the test marked about payment methods (authentication,
 * declines, settling later), the refunds of intents ({@code POST} and {@code GET /v1/refunds}) and
 * the balance they leave ({@code GET /v1/balance}).
 *
 * <p>Not thread-safe on its own: {@link FakeStripe} calls it while holding its own lock, and shares
 * with it the id generator (so ids come in the same order as before the split), the clock, the
 * request ids and the recording of events.
 */
final class FakePaymentIntents {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Records an event Stripe would send, as FakeStripe's {@code events()} list it. */
  @FunctionalInterface
  interface Recorder {
    WebhookDelivery record(
        String type, ObjectNode object, @Nullable String requestId, @Nullable String key);
  }

  private final SplittableRandom ids;
  private final Clock clock;
  private final Supplier<String> requestIds;
  private final Recorder events;

  private final Map<String, ObjectNode> paymentIntents = new LinkedHashMap<>();
  private final Map<String, ObjectNode> refunds = new LinkedHashMap<>();
  private final Map<String, Long> refunded = new HashMap<>();
  private final Set<String> needsAuthentication = new HashSet<>();
  private final Map<String, String> declines = new HashMap<>();
  private final Set<String> settlesLater = new HashSet<>();

  FakePaymentIntents(
      SplittableRandom ids, Clock clock, Supplier<String> requestIds, Recorder events) {
    this.ids = ids;
    this.clock = clock;
    this.requestIds = requestIds;
    this.events = events;
  }

  // ------------------------------------------------------------------ state

  /** The PaymentIntent with this id, or null. */
  @Nullable ObjectNode get(String id) {
    return paymentIntents.get(id);
  }

  /** The refunds made so far, as JSON. */
  List<String> refundsJson() {
    return refunds.values().stream().map(JsonNode::toString).toList();
  }

  // ------------------------------------------------------------------ test controls

  /** See {@link FakeStripe#refundFromDashboard}. */
  WebhookDelivery refundFromDashboard(String paymentIntentId, long amount) {
    ObjectNode intent = paymentIntents.get(paymentIntentId);
    if (intent == null) {
      throw new IllegalArgumentException("no PaymentIntent " + paymentIntentId);
    }
    String problem = refundProblem(intent, amount);
    if (problem != null) {
      throw new IllegalStateException(problem);
    }
    return events.record(
        "refund.created", newRefund(intent, amount, NODES.objectNode()), null, null);
  }

  /** See {@link FakeStripe#requireAuthentication}. */
  void requireAuthentication(String paymentMethodId) {
    needsAuthentication.add(Objects.requireNonNull(paymentMethodId, "paymentMethodId"));
  }

  /** See {@link FakeStripe#declineCard}. */
  void declineCard(String paymentMethodId, String declineCode) {
    declines.put(
        Objects.requireNonNull(paymentMethodId, "paymentMethodId"),
        Objects.requireNonNull(declineCode, "declineCode"));
  }

  /** See {@link FakeStripe#settleLater}. */
  void settleLater(String paymentMethodId) {
    settlesLater.add(Objects.requireNonNull(paymentMethodId, "paymentMethodId"));
  }

  /** See {@link FakeStripe#paymentIntentSucceeds}. */
  WebhookDelivery succeeds(String paymentIntentId) {
    ObjectNode intent = processing(paymentIntentId);
    intent.put("status", "succeeded");
    intent.put("amount_received", intent.get("amount").asLong());
    return events.record("payment_intent.succeeded", intent, null, null);
  }

  /** See {@link FakeStripe#paymentIntentFails}. */
  WebhookDelivery fails(String paymentIntentId) {
    ObjectNode intent = processing(paymentIntentId);
    ObjectNode lastError = NODES.objectNode();
    lastError.put("type", "invalid_request_error");
    lastError.put("code", "payment_intent_payment_attempt_failed");
    lastError.put("message", "The latest payment attempt of this PaymentIntent has failed.");
    intent.put("status", "requires_payment_method");
    intent.set("last_payment_error", lastError);
    return events.record("payment_intent.payment_failed", intent, null, null);
  }

  /**
   * The PaymentIntent of a Checkout Session being paid: a new payment method, {@code
   * setup_future_usage} as the session asked, {@code status} ({@code succeeded}, with the amount
   * received and a charge, or {@code processing}).
   */
  ObjectNode forSession(
      long amount,
      String currency,
      @Nullable String customer,
      @Nullable String usage,
      String status) {
    ObjectNode intent = newIntent(amount, currency, customer);
    intent.put("payment_method", "pm_" + nextId(24));
    intent.put("setup_future_usage", usage);
    intent.set("metadata", NODES.objectNode());
    intent.put("status", status);
    if (status.equals("succeeded")) {
      intent.put("amount_received", intent.get("amount").asLong());
      intent.put("latest_charge", "ch_" + nextId(24));
    }
    return intent;
  }

  // ------------------------------------------------------------------ endpoints

  /** {@code POST /v1/payment_intents}. */
  FakeResponse create(Map<String, Object> params, @Nullable String key) {
    long amount = nonNegative(params, "amount", "amount");
    if (amount < 1) {
      throw new BadRequest("amount", "amount must be at least 1");
    }
    String currency = requiredText(params, "currency");
    refuseRemovedPaymentMethodTypes(params);
    boolean confirm = "true".equals(params.get("confirm"));
    boolean offSession = "true".equals(params.get("off_session"));
    String paymentMethod = optionalText(params, "payment_method");
    if (confirm && paymentMethod == null) {
      throw new BadRequest(
          "payment_method", "You must provide a payment_method to confirm a PaymentIntent");
    }
    ObjectNode intent = newIntent(amount, currency, optionalText(params, "customer"));
    intent.put("payment_method", paymentMethod);
    intent.set("metadata", metadata(params.get("metadata")));
    if (!confirm) {
      intent.put(
          "status", paymentMethod == null ? "requires_payment_method" : "requires_confirmation");
      return ok(intent);
    }
    String declineCode = declines.get(paymentMethod);
    if ((offSession && needsAuthentication.contains(paymentMethod)) || declineCode != null) {
      boolean authentication = declineCode == null;
      String code = authentication ? "authentication_required" : "card_declined";
      String decline = authentication ? "authentication_required" : declineCode;
      String message =
          authentication
              ? "This payment required an authentication action to complete, but off_session was"
                  + " set to true. Bring the customer back to authenticate."
              : "Your card was declined.";
      ObjectNode lastError = NODES.objectNode();
      lastError.put("type", "card_error");
      lastError.put("code", code);
      lastError.put("decline_code", decline);
      lastError.put("message", message);
      intent.put("status", "requires_payment_method");
      intent.set("last_payment_error", lastError);
      ObjectNode error = lastError.deepCopy();
      error.set("payment_intent", intent.deepCopy());
      ObjectNode method = NODES.objectNode();
      method.put("id", paymentMethod);
      method.put("object", "payment_method");
      error.set("payment_method", method);
      ObjectNode body = NODES.objectNode();
      body.set("error", error);
      FakeResponse response = new FakeResponse(402, body.toString(), Map.of(), requestIds.get());
      events.record("payment_intent.payment_failed", intent, response.requestId, key);
      return response;
    }
    intent.put("latest_charge", "ch_" + nextId(24));
    boolean later = settlesLater.contains(paymentMethod);
    intent.put("status", later ? "processing" : "succeeded");
    intent.put("amount_received", later ? 0 : amount);
    FakeResponse response = ok(intent);
    events.record(
        later ? "payment_intent.processing" : "payment_intent.succeeded",
        intent,
        response.requestId,
        key);
    return response;
  }

  /** {@code GET /v1/payment_intents/{id}}. */
  FakeResponse retrieve(String id) {
    ObjectNode intent = paymentIntents.get(id);
    if (intent == null) {
      return FakeResponse.error(
          requestIds.get(),
          404,
          "invalid_request_error",
          "resource_missing",
          "intent",
          "No such payment_intent: '" + id + "'");
    }
    return ok(intent.deepCopy()).unstored();
  }

  /** {@code POST /v1/refunds}. */
  FakeResponse createRefund(Map<String, Object> params, @Nullable String key) {
    if (params.containsKey("charge")) {
      throw new BadRequest("charge", "FakeStripe refunds PaymentIntents: pass payment_intent");
    }
    String intentId = requiredText(params, "payment_intent");
    ObjectNode intent = paymentIntents.get(intentId);
    if (intent == null) {
      throw new BadRequest(
          "resource_missing", "payment_intent", "No such payment_intent: '" + intentId + "'");
    }
    long left = intent.path("amount_received").asLong() - refunded.getOrDefault(intentId, 0L);
    long amount = params.containsKey("amount") ? nonNegative(params, "amount", "amount") : left;
    String problem = refundProblem(intent, amount);
    if (problem != null) {
      throw new BadRequest("amount", problem);
    }
    ObjectNode refund = newRefund(intent, amount, metadata(params.get("metadata")));
    String reason = optionalText(params, "reason");
    if (reason != null) {
      refund.put("reason", reason);
    }
    FakeResponse response = ok(refund);
    events.record("refund.created", refund, response.requestId, key);
    return response;
  }

  /**
   * Stripe's "List all refunds": newest first, optionally of one {@code payment_intent}, {@code
   * limit} 1 to 100 (10 unless given), the page after {@code starting_after}.
   */
  FakeResponse listRefunds(Map<String, Object> params) {
    String intent = optionalText(params, "payment_intent");
    String after = optionalText(params, "starting_after");
    long limit = params.containsKey("limit") ? nonNegative(params, "limit", "limit") : 10;
    if (limit < 1 || limit > 100) {
      throw new BadRequest("limit", "limit must be between 1 and 100");
    }
    List<ObjectNode> newestFirst = new ArrayList<>(refunds.values());
    java.util.Collections.reverse(newestFirst);
    List<ObjectNode> matching =
        newestFirst.stream()
            .filter(r -> intent == null || r.path("payment_intent").asText().equals(intent))
            .toList();
    int from = 0;
    if (after != null) {
      from = -1;
      for (int i = 0; i < matching.size(); i++) {
        if (matching.get(i).get("id").asText().equals(after)) {
          from = i + 1;
        }
      }
      if (from < 0) {
        throw new BadRequest(
            "resource_missing", "starting_after", "No such refund: '" + after + "'");
      }
    }
    int to = (int) Math.min(matching.size(), from + limit);
    ObjectNode list = NODES.objectNode();
    list.put("object", "list");
    ArrayNode data = list.putArray("data");
    for (ObjectNode refund : matching.subList(from, to)) {
      data.add(refund.deepCopy());
    }
    list.put("has_more", to < matching.size());
    list.put("url", "/v1/refunds");
    return ok(list).unstored();
  }

  /** {@code GET /v1/balance}: what succeeded PaymentIntents received, less their refunds. */
  ObjectNode balance() {
    Map<String, Long> available = new TreeMap<>();
    for (ObjectNode intent : paymentIntents.values()) {
      if (intent.path("status").asText().equals("succeeded")) {
        String id = intent.get("id").asText();
        available.merge(
            intent.get("currency").asText(),
            intent.path("amount_received").asLong() - refunded.getOrDefault(id, 0L),
            Long::sum);
      }
    }
    if (available.isEmpty()) {
      available.put("usd", 0L);
    }
    ObjectNode balance = NODES.objectNode();
    balance.put("object", "balance");
    ArrayNode availableNode = balance.putArray("available");
    ArrayNode pending = balance.putArray("pending");
    available.forEach(
        (currency, amount) -> {
          availableNode.addObject().put("amount", amount).put("currency", currency);
          pending.addObject().put("amount", 0).put("currency", currency);
        });
    balance.put("livemode", false);
    return balance;
  }

  // ------------------------------------------------------------------ helpers

  private ObjectNode processing(String paymentIntentId) {
    ObjectNode intent =
        paymentIntents.get(Objects.requireNonNull(paymentIntentId, "paymentIntentId"));
    if (intent == null) {
      throw new IllegalArgumentException("no PaymentIntent " + paymentIntentId);
    }
    if (!intent.path("status").asText().equals("processing")) {
      throw new IllegalStateException(
          paymentIntentId + " is " + intent.path("status").asText() + ", not processing");
    }
    return intent;
  }

  private ObjectNode newIntent(long amount, String currency, @Nullable String customer) {
    String id = "pi_" + nextId(24);
    ObjectNode intent = NODES.objectNode();
    intent.put("id", id);
    intent.put("object", "payment_intent");
    intent.put("amount", amount);
    intent.put("amount_received", 0);
    intent.put("capture_method", "automatic");
    intent.put("created", now());
    intent.put("currency", currency);
    intent.put("customer", customer);
    intent.putNull("last_payment_error");
    intent.putNull("latest_charge");
    intent.put("livemode", false);
    intent.putNull("payment_method");
    intent.putNull("setup_future_usage");
    paymentIntents.put(id, intent);
    return intent;
  }

  private @Nullable String refundProblem(ObjectNode intent, long amount) {
    String id = intent.get("id").asText();
    if (!intent.path("status").asText().equals("succeeded")) {
      return "PaymentIntent " + id + " has not succeeded; there is nothing to refund";
    }
    long left = intent.path("amount_received").asLong() - refunded.getOrDefault(id, 0L);
    if (amount < 1 || amount > left) {
      return "Refund amount ("
          + amount
          + ") must be positive and at most the amount left to refund ("
          + left
          + ")";
    }
    return null;
  }

  private ObjectNode newRefund(ObjectNode intent, long amount, ObjectNode metadata) {
    String intentId = intent.get("id").asText();
    refunded.merge(intentId, amount, Long::sum);
    ObjectNode refund = NODES.objectNode();
    String id = "re_" + nextId(24);
    refund.put("id", id);
    refund.put("object", "refund");
    refund.put("amount", amount);
    refund.set("charge", intent.get("latest_charge"));
    refund.put("created", now());
    refund.put("currency", intent.get("currency").asText());
    refund.set("metadata", metadata);
    refund.put("payment_intent", intentId);
    refund.putNull("reason");
    refund.put("status", "succeeded");
    refunds.put(id, refund);
    return refund;
  }

  private FakeResponse ok(ObjectNode object) {
    return FakeResponse.ok(requestIds.get(), object);
  }

  private long now() {
    return clock.instant().getEpochSecond();
  }

  private String nextId(int length) {
    return FakeEvents.randomId(ids, length);
  }
}
