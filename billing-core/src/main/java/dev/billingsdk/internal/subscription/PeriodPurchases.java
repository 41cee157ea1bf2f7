package dev.billingsdk.internal.subscription;

import dev.billingsdk.purchase.PurchaseId;
import dev.billingsdk.subscription.SubscriptionId;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of a subscription's purchases: {@code <subscription>-p<period>-a<attempt>} for a
 * period's payment attempts, {@code <subscription>-p<period>-up<version>} for an upgrade's prorated
 * charge. Derived, so every process and every retry names the same purchase.
 */
final class PeriodPurchases {
  private static final Pattern ATTEMPT = Pattern.compile("(.+)-p(\\d{1,9})-a(\\d{1,4})");

  private PeriodPurchases() {}

  static PurchaseId attempt(SubscriptionId s, int period, int attempt) {
    return PurchaseId.of(s.value() + "-p" + period + "-a" + attempt);
  }

  static PurchaseId upgrade(SubscriptionId s, int period, long version) {
    return PurchaseId.of(s.value() + "-p" + period + "-up" + version);
  }

  /** A period's payment attempt this purchase is, if it is one. */
  record Attempt(SubscriptionId subscription, int period, int attempt) {}

  static Optional<Attempt> parse(PurchaseId purchase) {
    Matcher m = ATTEMPT.matcher(purchase.value());
    if (!m.matches() || m.group(1).length() > SubscriptionId.MAX_LENGTH) {
      return Optional.empty();
    }
    return Optional.of(
        new Attempt(
            SubscriptionId.of(m.group(1)),
            Integer.parseInt(m.group(2)),
            Integer.parseInt(m.group(3))));
  }
}
