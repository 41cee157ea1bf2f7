package dev.billingsdk.payment;

import dev.billingsdk.Identifiers;
import dev.billingsdk.InputContract;

/** How an off-session charge ended. */
public sealed interface OffSessionOutcome {

  /** The money was taken. */
  record Succeeded(String paymentRef) implements OffSessionOutcome {
    public Succeeded {
      Identifiers.check(paymentRef, "paymentRef");
    }
  }

  /**
   * The bank asks the customer to authenticate (SCA / 3-D Secure): nothing was taken; bring the
   * customer back on-session to finish the payment named here.
   */
  record AuthenticationRequired(String paymentRef) implements OffSessionOutcome {
    public AuthenticationRequired {
      Identifiers.check(paymentRef, "paymentRef");
    }
  }

  /**
   * The provider accepted the charge but it has not settled (a bank debit, a mobile-money prompt on
   * the customer's phone): nothing may be granted yet; the payment's webhook, or {@link
   * PaymentProvider#fetchOffSessionPayment} later, says how it ended.
   */
  record Processing(String paymentRef) implements OffSessionOutcome {
    public Processing {
      Identifiers.check(paymentRef, "paymentRef");
    }
  }

  /** The payment method was declined; {@code code} is the provider's decline code. */
  record Declined(String code, String message) implements OffSessionOutcome {
    public Declined {
      Identifiers.check(code, "code");
      InputContract.text(message, "message", 1000);
    }
  }
}
