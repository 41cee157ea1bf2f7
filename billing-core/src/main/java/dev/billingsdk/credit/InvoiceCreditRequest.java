package dev.billingsdk.credit;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Identifiers;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.Unit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Applies the account's credits to an invoice, once per idempotency key: the account's grants pay
 * the lines their scopes cover, in the grant order. The lines must be non-empty, have unique ids
 * and all be in one unit (which must be the account's unit). Build with {@link #builder}: lines,
 * idempotency key, actor and reason are required.
 *
 * <p>The key makes this request safe to send again (a replay returns the original result). The
 * invoice is guarded on its own: while an application to it stands, another request for the same
 * account and invoice, under any other key, is an {@link InvoiceAlreadyCreditedException}.
 */
public final class InvoiceCreditRequest {
  /** The most lines one request may carry. */
  public static final int MAX_LINES = 1000;

  private final TenantId tenant;
  private final AccountId account;
  private final String invoice;
  private final List<InvoiceLine> lines;
  private final IdempotencyKey idempotencyKey;
  private final Actor actor;
  private final String reason;

  private InvoiceCreditRequest(Builder b) {
    this.tenant = b.tenant;
    this.account = b.account;
    this.invoice = b.invoice;
    this.lines = SetOnce.required(b.lines, "lines");
    this.idempotencyKey = b.requiredIdempotencyKey();
    this.actor = b.requiredActor();
    this.reason = b.requiredReason();
  }

  /** A builder for crediting {@code invoice} (the invoice's id, recorded on the transaction). */
  public static Builder builder(TenantId tenant, AccountId account, String invoice) {
    return new Builder(tenant, account, invoice);
  }

  public TenantId tenant() {
    return tenant;
  }

  public AccountId account() {
    return account;
  }

  /** The invoice's id, recorded on the ledger transaction. */
  public String invoice() {
    return invoice;
  }

  /** The invoice's line items, in the order credits pay them. */
  public List<InvoiceLine> lines() {
    return lines;
  }

  public IdempotencyKey idempotencyKey() {
    return idempotencyKey;
  }

  public Actor actor() {
    return actor;
  }

  public String reason() {
    return reason;
  }

  /** The unit of every line. */
  public Unit unit() {
    return lines.get(0).amount().unit();
  }

  /** What the invoice's lines add up to. */
  public Amount total() {
    Amount sum = Amount.zero(unit());
    for (InvoiceLine l : lines) {
      sum = sum.plus(l.amount());
    }
    return sum;
  }

  @Override
  public String toString() {
    return "InvoiceCreditRequest[tenant="
        + tenant
        + ", account="
        + account
        + ", invoice="
        + invoice
        + ", lines="
        + lines.size()
        + ", idempotencyKey="
        + idempotencyKey
        + ", actor="
        + actor
        + "]";
  }

  /** Each setter checks its value at once and may be called once. */
  public static final class Builder extends AuditedBuilder<Builder> {
    private final TenantId tenant;
    private final AccountId account;
    private final String invoice;
    private @Nullable List<InvoiceLine> lines;

    private Builder(TenantId tenant, AccountId account, String invoice) {
      this.tenant = InvalidRequestException.requireNonNull(tenant, "tenant");
      this.account = InvalidRequestException.requireNonNull(account, "account");
      this.invoice = Identifiers.check(invoice, "invoice");
    }

    /**
     * The invoice's lines, in the order credits pay them: 1 to {@value #MAX_LINES} of them, ids
     * unique, all in one unit.
     */
    public Builder lines(List<InvoiceLine> lines) {
      this.lines = set.set("lines", checkLines(lines));
      return this;
    }

    @Override
    Builder self() {
      return this;
    }

    public InvoiceCreditRequest build() {
      return new InvoiceCreditRequest(this);
    }

    private static List<InvoiceLine> checkLines(List<InvoiceLine> lines) {
      InvalidRequestException.requireNonNull(lines, "lines");
      if (lines.isEmpty()) {
        throw new InvalidRequestException("lines", "[]", "must not be empty");
      }
      if (lines.size() > MAX_LINES) {
        throw new InvalidRequestException(
            "lines", lines.size() + " lines", "must be at most " + MAX_LINES);
      }
      List<InvoiceLine> copy = new ArrayList<>(lines.size());
      Map<String, Integer> seen = new HashMap<>();
      Unit unit = null;
      long total = 0;
      for (int i = 0; i < lines.size(); i++) {
        InvoiceLine line = lines.get(i);
        InvalidRequestException.requireNonNull(line, "lines[" + i + "]");
        Integer first = seen.putIfAbsent(line.id(), i);
        if (first != null) {
          throw new InvalidRequestException(
              "lines[" + i + "].id", line.id(), "repeats the id of lines[" + first + "]");
        }
        if (unit == null) {
          unit = line.amount().unit();
        } else if (!unit.equals(line.amount().unit())) {
          throw new InvalidRequestException(
              "lines[" + i + "].amount",
              line.amount(),
              "must be in " + unit.code() + " like lines[0]: one invoice, one unit");
        }
        try {
          total = Math.addExact(total, line.amount().minor());
        } catch (ArithmeticException e) {
          throw new InvalidRequestException(
              "lines", lines.size() + " lines", "add up to more than an amount can hold");
        }
        copy.add(line);
      }
      return List.copyOf(copy);
    }
  }
}
