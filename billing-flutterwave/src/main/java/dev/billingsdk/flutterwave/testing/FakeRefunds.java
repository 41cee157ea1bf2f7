package dev.billingsdk.flutterwave.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * FakeFlutterwave's refunds: {@code POST /v3/transactions/{id}/refund} on a successful transaction,
 * {@code completed} or, after {@link #pendingNext}, {@code pending}.
 *
 * <p>Not thread-safe on its own: {@link FakeFlutterwave} calls it while holding its own lock, the
 * lock that guards the transactions it reads.
 */
final class FakeRefunds {
  /** A refund and its JSON. */
  private record Refund(FakeRefund view, ObjectNode json) {}

  private final Clock clock;
  private final Map<Long, Charge> charges;
  private final Map<Long, Refund> refunds = new LinkedHashMap<>();
  private int pendingRefunds;
  private long nextRefundId = 75923;

  /** Refunds the transactions of {@code charges} (a view of the fake's, read only). */
  FakeRefunds(Clock clock, Map<Long, Charge> charges) {
    this.clock = clock;
    this.charges = charges;
  }

  /** See {@link FakeFlutterwave#refundsPendingNext}. */
  void pendingNext() {
    pendingRefunds++;
  }

  /** The refunds of a transaction, oldest first. */
  List<FakeRefund> of(long transactionId) {
    return refunds.values().stream()
        .map(Refund::view)
        .filter(r -> r.transactionId() == transactionId)
        .toList();
  }

  /** {@code POST /v3/transactions/{id}/refund}. */
  Reply refund(long transactionId, ObjectNode body) {
    Charge charge = charges.get(transactionId);
    if (charge == null) {
      throw Rejection.noTransaction();
    }
    if (!charge.status.equals("successful")) {
      throw Rejection.invalid("Only successful transactions can be refunded");
    }
    BigDecimal left = charge.unrefunded();
    BigDecimal requested = FakeJson.amount(body, "amount");
    BigDecimal amount = requested == null ? left : requested;
    if (requested != null && requested.signum() <= 0) {
      throw Rejection.invalid("amount must be greater than 0");
    }
    if (amount.signum() <= 0 || amount.compareTo(left) > 0) {
      throw Rejection.invalid("Refund amount exceeds transaction amount");
    }
    charge.refunded = charge.refunded.add(amount);
    String status = "completed";
    if (pendingRefunds > 0) {
      pendingRefunds--;
      status = "pending";
    }
    long id = nextRefundId++;
    Instant now = clock.instant();
    ObjectNode data = FakeJson.NODES.objectNode();
    data.put("id", id);
    data.put("account_id", Charge.ACCOUNT_ID);
    data.put("tx_id", charge.id);
    data.put("flw_ref", "URF_" + now.toEpochMilli() + "_" + id);
    data.put("wallet_id", 74639);
    data.put("amount_refunded", amount);
    data.put("status", status);
    data.put("destination", "payment_source");
    data.putObject("meta").put("source", "availablebalance");
    data.put("created_at", FakeJson.timestamp(now));
    refunds.put(id, new Refund(new FakeRefund(id, charge.id, amount, status), data));
    return Reply.json(200, FakeJson.envelope("Transaction refund initiated", data.deepCopy()));
  }
}
