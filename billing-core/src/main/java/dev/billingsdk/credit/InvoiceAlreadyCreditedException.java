package dev.billingsdk.credit;

import dev.billingsdk.AccountId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.ledger.TransactionId;

/**
 * Credits were asked for an invoice whose earlier application still stands: the account's credits
 * pay an invoice at most once, whatever idempotency key the request carries. The standing
 * application is {@link #standing()}; reversing it in full ({@code Credits.reverse}) frees the
 * invoice for a new application. Nothing was written.
 */
public class InvoiceAlreadyCreditedException extends InvalidRequestException {
  private static final long serialVersionUID = 1L;

  private final transient TenantId tenant;
  private final transient AccountId account;
  private final String invoice;
  private final transient TransactionId standing;

  public InvoiceAlreadyCreditedException(
      TenantId tenant, AccountId account, String invoice, TransactionId standing) {
    super(
        "invoice",
        invoice,
        "already has credits of account "
            + account
            + " applied by "
            + standing
            + "; reverse that transaction in full to apply credits again");
    this.tenant = tenant;
    this.account = account;
    this.invoice = invoice;
    this.standing = standing;
  }

  public TenantId tenant() {
    return tenant;
  }

  public AccountId account() {
    return account;
  }

  public String invoice() {
    return invoice;
  }

  /** The application that still stands on the invoice. */
  public TransactionId standing() {
    return standing;
  }
}
