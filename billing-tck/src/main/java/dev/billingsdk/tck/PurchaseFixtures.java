package dev.billingsdk.tck;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.CatalogueItem.Kind;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.purchase.Purchase;
import dev.billingsdk.purchase.PurchaseId;
import dev.billingsdk.purchase.PurchaseState;
import dev.billingsdk.purchase.PurchaseTransition;
import dev.billingsdk.purchase.PurchasedItem;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The purchases and steps {@link PurchaseStoreTck} writes, and the values it writes them with. */
final class PurchaseFixtures {
  private PurchaseFixtures() {}

  static final CurrencyUnit USD = CurrencyUnit.of("USD");
  static final CurrencyUnit JPY = CurrencyUnit.of("JPY");
  static final CurrencyUnit KWD = CurrencyUnit.of("KWD");
  static final String STRIPE = "stripe";
  static final String FLUTTERWAVE = "flutterwave";

  /** Microseconds that a millisecond column would lose. */
  static final Instant T0 = Instant.parse("2026-04-01T09:30:00.123456Z");

  /** Item names a careless column, driver or collation would change. */
  static final List<String> NAMES =
      List.of(
          "Crédits Pro 🚀",
          "باقة الأرصدة",
          "Ünïcödé  two  spaces",
          HostileText.FAMILY + " " + HostileText.CAFE_NFD,
          "stra\u00DFe   ",
          "x".repeat(200),
          HostileText.EMOJI.repeat(100),
          "\u8A9E".repeat(200));

  static PurchasedItem item(String name) {
    return new PurchasedItem(Kind.CREDIT_PACKAGE, "pkg-starter", 3, name);
  }

  /** A new purchase (version 0, CREATED, nothing refunded) of {@code tenant}. */
  static Purchase purchase(TenantId tenant, String id, Amount amount) {
    return new Purchase(
        tenant,
        PurchaseId.of(id),
        AccountId.of("acct-" + id),
        item("Starter credits"),
        amount,
        STRIPE,
        PurchaseState.CREATED,
        Optional.empty(),
        Optional.empty(),
        Amount.zero(amount.unit()),
        false,
        T0,
        T0,
        0);
  }

  /** The next step of {@code p}: a second after its last change, nothing refunded. */
  static PurchaseTransition step(Purchase p, PurchaseState to, String cause) {
    return step(p, to, cause, Optional.empty(), Optional.empty(), 0, false);
  }

  static PurchaseTransition step(
      Purchase p,
      PurchaseState to,
      String cause,
      Optional<String> checkoutRef,
      Optional<String> paymentRef,
      long refundedMinor,
      boolean review) {
    return new PurchaseTransition(
        p.tenant(),
        p.id(),
        p.version() + 1,
        p.state(),
        to,
        p.updatedAt().plusSeconds(1),
        cause,
        "step " + (p.version() + 1) + " by " + cause,
        checkoutRef,
        paymentRef,
        Amount.ofMinor(p.amount().unit(), refundedMinor),
        review);
  }
}
