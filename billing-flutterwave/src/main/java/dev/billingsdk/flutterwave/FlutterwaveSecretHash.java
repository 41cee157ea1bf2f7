package dev.billingsdk.flutterwave;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.flutterwave.internal.SecretAccess;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The webhook secret hash configured in Flutterwave's dashboard (Settings, Webhooks): Flutterwave
 * sends it as the {@code verif-hash} header and keys the {@code flutterwave-signature} HMAC with
 * it. It never shows itself: {@link #toString()} is redacted, it has no public accessor, and no
 * exception carries it.
 *
 * <p>Any 1 to 256 visible ASCII characters: the dashboard takes free text, and anything else (a
 * space, a trailing newline read from a file) would make every delivery fail to match.
 */
public final class FlutterwaveSecretHash {
  /** The longest hash taken. */
  public static final int MAX_LENGTH = 256;

  private static final String FIELD = "webhookSecretHash";
  private static final String REDACTED = "(redacted)";

  /** Printable ASCII without the space: what a pasted secret holds, and nothing else. */
  private static final Pattern VISIBLE_ASCII = Pattern.compile("[!-~]*");

  static {
    SecretAccess.registerHashes(h -> h.secret);
  }

  private final String secret;

  private FlutterwaveSecretHash(String secret) {
    this.secret = secret;
  }

  /**
   * The hash with this text.
   *
   * @param secret the secret hash as configured in the dashboard
   * @return the hash
   * @throws InvalidRequestException if it is null, empty, longer than 256 characters or holds
   *     anything but visible ASCII; the message never shows the text
   */
  public static FlutterwaveSecretHash of(String secret) {
    InvalidRequestException.requireNonNull(secret, FIELD);
    if (secret.isEmpty()) {
      throw new InvalidRequestException(FIELD, "\"\"", "must not be empty");
    }
    if (secret.length() > MAX_LENGTH) {
      throw new InvalidRequestException(
          FIELD, REDACTED, "is longer than " + MAX_LENGTH + " characters");
    }
    if (!VISIBLE_ASCII.matcher(secret).matches()) {
      throw new InvalidRequestException(
          FIELD,
          REDACTED,
          "holds a space, a control or a non-ASCII character (a trailing newline from a file?)");
    }
    return new FlutterwaveSecretHash(secret);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof FlutterwaveSecretHash other && secret.equals(other.secret);
  }

  @Override
  public int hashCode() {
    return secret.hashCode();
  }

  /** Always {@code FlutterwaveSecretHash[(redacted)]}. */
  @Override
  public String toString() {
    return "FlutterwaveSecretHash[" + REDACTED + "]";
  }
}
