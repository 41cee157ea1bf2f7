package dev.billingsdk.flutterwave.testing;

import java.math.BigDecimal;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A transaction as {@link FakeFlutterwave} holds it, for a test's assertions and next steps (the
 * full JSON is what {@code GET /v3/transactions/{id}/verify} answers).
 *
 * @param id Flutterwave's transaction id ({@code data.id}), increasing
 * @param txRef the merchant's reference ({@code data.tx_ref})
 * @param status {@code successful}, {@code failed} or {@code pending}
 * @param amount the amount in major units, exactly as charged
 * @param currency the ISO 4217 code, e.g. {@code NGN}
 * @param paymentType {@code card}, {@code mobilemoneyghana}, {@code bank_transfer}, ...
 * @param token the card token a successful card payment issued ({@code data.card.token}), which
 *     tokenized charges take; null for other payments
 */
public record FakeTransaction(
    long id,
    String txRef,
    String status,
    BigDecimal amount,
    String currency,
    String paymentType,
    @Nullable String token) {

  /** Checks that the fields are present. */
  public FakeTransaction {
    Objects.requireNonNull(txRef, "txRef");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(paymentType, "paymentType");
  }

  /** Whether {@link #status()} is {@code successful}. */
  public boolean successful() {
    return status.equals("successful");
  }
}
