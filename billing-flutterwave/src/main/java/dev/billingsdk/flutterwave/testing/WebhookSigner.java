package dev.billingsdk.flutterwave.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Authenticates webhook bodies under a secret hash, in either or both of Flutterwave's schemes. */
final class WebhookSigner {
  private static final String HMAC = "HmacSHA256";

  private WebhookSigner() {}

  /** Base64 of HMAC-SHA256 over the body's UTF-8 bytes, keyed with the hash's UTF-8 bytes. */
  static String signature(String body, String secretHash) {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(secretHash, "secretHash");
    if (secretHash.isEmpty()) {
      throw new IllegalArgumentException("a secret hash is not empty");
    }
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(secretHash.getBytes(StandardCharsets.UTF_8), HMAC));
      return Base64.getEncoder().encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has " + HMAC, e);
    }
  }

  static WebhookDelivery delivery(String body, String secretHash, boolean legacy, boolean signed) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("content-type", List.of("application/json"));
    if (legacy) {
      headers.put(WebhookDelivery.VERIF_HASH, List.of(secretHash));
    }
    if (signed) {
      headers.put(WebhookDelivery.SIGNATURE, List.of(signature(body, secretHash)));
    }
    return new WebhookDelivery(body, headers);
  }
}
