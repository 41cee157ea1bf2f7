package dev.billingsdk.internal.purchase;

import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Identifiers;
import dev.billingsdk.purchase.PurchaseId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The idempotency keys of a purchase's writes, derived from what they are about so that every
 * process, and every retry, uses the same one. Readable when short enough, else a SHA-256 digest.
 */
final class Keys {
  private Keys() {}

  /** The ledger key of a paid purchase's grants. */
  static IdempotencyKey grant(PurchaseId purchase) {
    return key("purchase:" + purchase.value());
  }

  /** The provider key of a purchase's checkout: the same checkout however often it is started. */
  static IdempotencyKey checkout(PurchaseId purchase) {
    return key("checkout:" + purchase.value());
  }

  /** The provider key of an off-session purchase's charge: one charge per purchase. */
  static IdempotencyKey offSession(PurchaseId purchase) {
    return key("off-session:" + purchase.value());
  }

  /** The ledger key of the credit a provider refund takes back. */
  static IdempotencyKey clawback(String provider, String refundId) {
    return key("refund:" + provider + ":" + refundId);
  }

  private static IdempotencyKey key(String text) {
    if (text.length() <= Identifiers.MAX_LENGTH) {
      return IdempotencyKey.of(text);
    }
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return IdempotencyKey.of(
          text.substring(0, text.indexOf(':') + 1) + HexFormat.of().formatHex(d));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
