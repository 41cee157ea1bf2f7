package dev.billingsdk.flutterwave.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * FakeFlutterwave's off-session charges: the card tokens a successful card payment issues, {@code
 * POST /v3/tokenized-charges} with one of them, and what the test queued for a token's next charges
 * (a decline, an authentication step, a charge left pending).
 *
 * <p>Not thread-safe on its own: {@link FakeFlutterwave} calls it while holding its own lock, and
 * makes the transactions (its ids, customers and {@code flw_ref}s) for it.
 */
final class FakeTokenizedCharges {

  /** Makes and keeps a new transaction, as the fake does for every attempt and charge. */
  @FunctionalInterface
  interface Transactions {
    Charge newCharge(
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
        ObjectNode meta);
  }

  /**
   * What the next tokenized charge with a token does instead of succeeding; a pending one asks for
   * the customer's authentication or not.
   */
  private record Outcome(String status, String processorResponse, boolean authentication) {}

  private final URI baseUri;
  private final Transactions transactions;
  private final IntFunction<String> randomHex;
  private final Map<String, Charge> tokens = new HashMap<>();
  private final Map<String, Deque<Outcome>> nextOutcomes = new HashMap<>();

  FakeTokenizedCharges(URI baseUri, Transactions transactions, IntFunction<String> randomHex) {
    this.baseUri = baseUri;
    this.transactions = transactions;
    this.randomHex = randomHex;
  }

  /** See {@link FakeFlutterwave#declineNext}. */
  void declineNext(String token, String processorResponse) {
    queue(token)
        .add(
            new Outcome(
                "failed", Objects.requireNonNull(processorResponse, "processorResponse"), false));
  }

  /** See {@link FakeFlutterwave#requireAuthenticationNext}. */
  void requireAuthenticationNext(String token) {
    queue(token).add(new Outcome("pending", "Pending authentication", true));
  }

  /** See {@link FakeFlutterwave#pendingNext}. */
  void pendingNext(String token) {
    queue(token).add(new Outcome("pending", "Transaction is pending", false));
  }

  /** Gives a successful card transaction a token that {@link #charge} accepts. */
  void issueToken(Charge charge) {
    String token = "flw-t1nf-" + randomHex.apply(32) + "-m03k";
    charge.token = token;
    tokens.put(token, charge);
  }

  /**
   * {@code POST /v3/tokenized-charges}: a new card transaction on the token's customer, {@code
   * successful} unless an outcome was queued for the token.
   */
  Reply charge(ObjectNode body) {
    String token = FakeJson.text(body, "token");
    String email = FakeJson.text(body, "email");
    String currency = FakeText.currency(body);
    BigDecimal amount = FakeJson.positiveAmount(body, "amount");
    String txRef = FakeJson.text(body, "tx_ref");
    String narration = FakeJson.optionalText(body, "narration");
    Charge issuer = tokens.get(token);
    if (issuer == null) {
      throw Rejection.invalid("Token not found");
    }
    Deque<Outcome> queued = nextOutcomes.get(token);
    Outcome outcome = queued == null ? null : queued.poll();
    String status = outcome == null ? "successful" : outcome.status();
    ObjectNode meta = FakeJson.NODES.objectNode();
    Charge charge =
        transactions.newCharge(
            txRef,
            amount,
            currency,
            "card",
            status,
            outcome == null ? "Approved" : outcome.processorResponse(),
            email,
            issuer.name,
            issuer.phone,
            narration == null ? "CARD Transaction " : narration,
            meta);
    charge.token = token;
    if (outcome != null && outcome.authentication()) {
      ObjectNode authorization = meta.putObject("authorization");
      authorization.put("mode", "redirect");
      authorization.put("redirect", baseUri + "/v3/hosted/authorize/" + charge.id);
    }
    return Reply.json(200, FakeJson.envelope("Charge successful", charge.verifyJson()));
  }

  private Deque<Outcome> queue(String token) {
    return nextOutcomes.computeIfAbsent(
        Objects.requireNonNull(token, "token"), t -> new ArrayDeque<>());
  }
}
