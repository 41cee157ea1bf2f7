package dev.billingsdk.flutterwave.testing;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A refund {@link FakeFlutterwave} recorded for {@code POST /v3/transactions/{id}/refund}.
 *
 * @param id the refund's id ({@code data.id}), increasing
 * @param transactionId the refunded transaction ({@code data.tx_id})
 * @param amountRefunded the amount refunded, in the transaction's currency ({@code
 *     data.amount_refunded})
 * @param status {@code completed} or {@code pending}
 */
public record FakeRefund(long id, long transactionId, BigDecimal amountRefunded, String status) {

  /** Checks that the fields are present. */
  public FakeRefund {
    Objects.requireNonNull(amountRefunded, "amountRefunded");
    Objects.requireNonNull(status, "status");
  }
}
