package dev.billingsdk.flutterwave.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One transaction as the fake keeps it (mutable under the fake's lock: a pending one settles), and
 * its JSON as verify answers it and as a webhook carries it.
 */
final class Charge {
  static final long ACCOUNT_ID = 17321;
  private static final BigDecimal FEE_RATE = new BigDecimal("0.014");

  final long id;
  final String txRef;
  final String flwRef;
  final BigDecimal amount;
  final String currency;
  final String paymentType;
  final Instant createdAt;
  final long customerId;
  final String email;
  final @Nullable String name;
  final @Nullable String phone;
  final String narration;
  final ObjectNode meta;
  @Nullable String token;
  String status;
  String processorResponse;
  BigDecimal refunded = BigDecimal.ZERO;

  Charge(
      long id,
      String txRef,
      String flwRef,
      BigDecimal amount,
      String currency,
      String paymentType,
      String status,
      String processorResponse,
      Instant createdAt,
      long customerId,
      String email,
      @Nullable String name,
      @Nullable String phone,
      String narration,
      ObjectNode meta) {
    this.id = id;
    this.txRef = txRef;
    this.flwRef = flwRef;
    this.amount = amount;
    this.currency = currency;
    this.paymentType = paymentType;
    this.status = status;
    this.processorResponse = processorResponse;
    this.createdAt = createdAt;
    this.customerId = customerId;
    this.email = email;
    this.name = name;
    this.phone = phone;
    this.narration = narration;
    this.meta = meta;
  }

  boolean card() {
    return paymentType.equals("card");
  }

  FakeTransaction view() {
    return new FakeTransaction(id, txRef, status, amount, currency, paymentType, token);
  }

  BigDecimal unrefunded() {
    return amount.subtract(refunded);
  }

  /** The transaction as {@code GET /v3/transactions/{id}/verify} answers it in {@code data}. */
  ObjectNode verifyJson() {
    ObjectNode data = common();
    data.set("meta", meta.deepCopy());
    data.put("amount_settled", amount.subtract(appFee()));
    ObjectNode customer = customerJson(phone == null ? "N/A" : phone);
    customer.put("created_at", FakeJson.timestamp(createdAt));
    data.set("customer", customer);
    return data;
  }

  /** The transaction as a {@code charge.completed} webhook carries it in {@code data}. */
  ObjectNode webhookJson() {
    ObjectNode data = common();
    data.set("customer", customerJson(phone));
    return data;
  }

  /** The webhook's {@code event.type}, e.g. {@code CARD_TRANSACTION}. */
  String eventType() {
    if (card()) {
      return "CARD_TRANSACTION";
    }
    if (paymentType.startsWith("mobilemoney")) {
      return "MOBILEMONEY" + countryOf(paymentType) + "_TRANSACTION";
    }
    return paymentType.toUpperCase(Locale.ROOT) + "_TRANSACTION";
  }

  private static String countryOf(String paymentType) {
    switch (paymentType) {
      case "mobilemoneyghana":
        return "GH";
      case "mobilemoneyuganda":
        return "UG";
      case "mobilemoneyrwanda":
        return "RW";
      case "mobilemoneyzambia":
        return "ZM";
      default:
        return "";
    }
  }

  private ObjectNode common() {
    ObjectNode data = FakeJson.NODES.objectNode();
    data.put("id", id);
    data.put("tx_ref", txRef);
    data.put("flw_ref", flwRef);
    data.put("device_fingerprint", "N/A");
    data.put("amount", amount);
    data.put("currency", currency);
    data.put("charged_amount", amount);
    data.put("app_fee", appFee());
    data.put("merchant_fee", BigDecimal.ZERO);
    data.put("processor_response", processorResponse);
    data.put("auth_model", card() ? "PIN" : "NOAUTH");
    data.put("ip", "127.0.0.1");
    data.put("narration", narration);
    data.put("status", status);
    data.put("payment_type", paymentType);
    data.put("created_at", FakeJson.timestamp(createdAt));
    data.put("account_id", ACCOUNT_ID);
    if (card()) {
      ObjectNode card = data.putObject("card");
      card.put("first_6digits", "553188");
      card.put("last_4digits", "2950");
      card.put("issuer", "MASTERCARD CREDIT");
      card.put("country", "NG");
      card.put("type", "MASTERCARD");
      card.put("expiry", "09/32");
      if (token != null) {
        card.put("token", token);
      }
    }
    return data;
  }

  private ObjectNode customerJson(@Nullable String phoneNumber) {
    ObjectNode customer = FakeJson.NODES.objectNode();
    customer.put("id", customerId);
    customer.put("name", name == null ? "Anonymous customer" : name);
    customer.put("phone_number", phoneNumber);
    customer.put("email", email);
    return customer;
  }

  /** Flutterwave's fee, 1.4% here, in the currency's cents. */
  private BigDecimal appFee() {
    return amount.multiply(FEE_RATE).setScale(2, RoundingMode.HALF_UP);
  }
}
