package dev.billingsdk.metering;

import dev.billingsdk.AccountId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.Amount;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One rating step of one (account, meter): the usage of a window (and the late usage that arrived
 * since the previous step), what it costs, and what was posted for it.
 *
 * @param amount the posting: positive is a usage debit, negative a credit given back (a volume tier
 *     or a falling LATEST value lowered the period's cost), zero posts nothing
 * @param key the idempotency key of the posting's ledger transaction, empty when nothing is posted
 * @param lines the step's lines by period and dimension values; their credits sum to {@code amount}
 * @param events how many usage events the step rated
 * @param posted true when this run wrote it (false in a dry run, and for a step another instance
 *     completed first)
 */
public record DeductionPosting(
    TenantId tenant,
    AccountId account,
    String meter,
    Instant windowStart,
    Instant windowEnd,
    Amount amount,
    Optional<IdempotencyKey> key,
    List<UsageLine> lines,
    int events,
    boolean posted) {

  public DeductionPosting {
    lines = List.copyOf(lines);
  }

  /** One line: quantity and credits of one period and set of dimension values. */
  public record UsageLine(
      java.time.YearMonth period,
      java.util.Map<String, String> dimensions,
      java.math.BigDecimal quantity,
      Amount credits) {}
}
