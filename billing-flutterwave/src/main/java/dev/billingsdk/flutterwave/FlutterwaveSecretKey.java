package dev.billingsdk.flutterwave;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.flutterwave.internal.SecretAccess;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A Flutterwave secret API key, as the dashboard shows it under Settings, API keys: {@code
 * FLWSECK-...-X} (live) or {@code FLWSECK_TEST-...-X} (test mode).
 *
 * <p>The key moves money: {@link #toString()} shows only its mode, it has no public accessor (the
 * transport reads it for the {@code Authorization} header and nothing else), and no exception built
 * here or anywhere in this module carries it.
 */
public final class FlutterwaveSecretKey {
  /** The prefix of a live secret key. */
  public static final String LIVE_PREFIX = "FLWSECK-";

  /** The prefix of a test-mode secret key. */
  public static final String TEST_PREFIX = "FLWSECK_TEST-";

  /** Far longer than a real key (about 50 characters); a longer value is something else. */
  static final int MAX_LENGTH = 256;

  private static final String FIELD = "secretKey";
  private static final String REDACTED = "(redacted)";

  /** Printable ASCII without the space: what a pasted secret holds, and nothing else. */
  private static final Pattern VISIBLE_ASCII = Pattern.compile("[!-~]*");

  static {
    SecretAccess.registerKeys(k -> k.secret);
  }

  private final String secret;
  private final boolean test;

  private FlutterwaveSecretKey(String secret, boolean test) {
    this.secret = secret;
    this.test = test;
  }

  /**
   * The key with this text.
   *
   * @param secret the key as the dashboard shows it
   * @return the key
   * @throws InvalidRequestException if it is null, holds anything but visible ASCII (a trailing
   *     newline from a file, say), is longer than 256 characters, or does not start with {@code
   *     FLWSECK-} or {@code FLWSECK_TEST-} followed by the key; the message never shows the text
   */
  public static FlutterwaveSecretKey of(String secret) {
    InvalidRequestException.requireNonNull(secret, FIELD);
    if (secret.length() > MAX_LENGTH) {
      throw refused("is longer than " + MAX_LENGTH + " characters: not a Flutterwave secret key");
    }
    if (!VISIBLE_ASCII.matcher(secret).matches()) {
      throw refused(
          "holds a space, a control or a non-ASCII character (a trailing newline from a file?)");
    }
    boolean test = secret.startsWith(TEST_PREFIX);
    String prefix = test ? TEST_PREFIX : LIVE_PREFIX;
    if (!secret.startsWith(prefix) || secret.length() == prefix.length()) {
      throw refused(
          "must be a secret key, which starts with "
              + LIVE_PREFIX
              + " or "
              + TEST_PREFIX
              + " (a public key, FLWPUBK-..., or an encryption key cannot call the API)");
    }
    return new FlutterwaveSecretKey(secret, test);
  }

  private static InvalidRequestException refused(String problem) {
    return new InvalidRequestException(FIELD, REDACTED, problem);
  }

  /**
   * Whether this is a test-mode key.
   *
   * @return true for {@code FLWSECK_TEST-...}
   */
  public boolean testMode() {
    return test;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof FlutterwaveSecretKey other && secret.equals(other.secret);
  }

  @Override
  public int hashCode() {
    return secret.hashCode();
  }

  /** The mode only, e.g. {@code FlutterwaveSecretKey[FLWSECK_TEST-***]}. */
  @Override
  public String toString() {
    return "FlutterwaveSecretKey[" + (test ? TEST_PREFIX : LIVE_PREFIX) + "***]";
  }
}
