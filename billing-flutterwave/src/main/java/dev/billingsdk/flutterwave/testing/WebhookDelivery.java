package dev.billingsdk.flutterwave.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A webhook as Flutterwave would POST it to a host's endpoint: the exact JSON body and the headers
 * that authenticate it, {@code verif-hash} (the secret hash itself) and/or {@code
 * flutterwave-signature} (base64 of HMAC-SHA256 over the body's UTF-8 bytes, keyed with the secret
 * hash's UTF-8 bytes). Header names are lower case; a host's HTTP layer matches them in any case.
 *
 * @param body the exact body; a verifier must check the signature over these bytes (UTF-8)
 * @param headers the authenticating headers and {@code content-type}
 */
public record WebhookDelivery(String body, Map<String, List<String>> headers) {

  /** The legacy header: the secret hash itself. */
  public static final String VERIF_HASH = "verif-hash";

  /** The signature header: base64 HMAC-SHA256 of the body under the secret hash. */
  public static final String SIGNATURE = "flutterwave-signature";

  /** Copies the headers, keeping their order. */
  public WebhookDelivery {
    Objects.requireNonNull(body, "body");
    Map<String, List<String>> copy = new LinkedHashMap<>();
    headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
    headers = java.util.Collections.unmodifiableMap(copy);
  }

  /** The first value of a header (any case), if the delivery has it. */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** The {@code verif-hash} header's value, if the delivery has it. */
  public Optional<String> verifHash() {
    return header(VERIF_HASH);
  }

  /** The {@code flutterwave-signature} header's value, if the delivery has it. */
  public Optional<String> signature() {
    return header(SIGNATURE);
  }
}
