package dev.billingsdk.flutterwave.internal;

import dev.billingsdk.flutterwave.FlutterwaveSecretHash;
import dev.billingsdk.flutterwave.FlutterwaveSecretKey;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * How the module's internals read the text of a {@link FlutterwaveSecretKey} or a {@link
 * FlutterwaveSecretHash}, which have no public accessor: each registers its reader here when its
 * class is initialized (so before any instance exists), and this package is not exported.
 */
public final class SecretAccess {
  private static @Nullable Function<FlutterwaveSecretKey, String> keys;
  private static @Nullable Function<FlutterwaveSecretHash, String> hashes;

  private SecretAccess() {}

  /**
   * Called once by {@link FlutterwaveSecretKey}'s static initializer; a later call is ignored.
   *
   * @param reader reads a key's text
   */
  public static synchronized void registerKeys(Function<FlutterwaveSecretKey, String> reader) {
    if (keys == null) {
      keys = reader;
    }
  }

  /**
   * Called once by {@link FlutterwaveSecretHash}'s static initializer; a later call is ignored.
   *
   * @param reader reads a hash's text
   */
  public static synchronized void registerHashes(Function<FlutterwaveSecretHash, String> reader) {
    if (hashes == null) {
      hashes = reader;
    }
  }

  /** The key's text, for the {@code Authorization} header only. */
  static synchronized String key(FlutterwaveSecretKey key) {
    Function<FlutterwaveSecretKey, String> reader = keys;
    if (reader == null) {
      throw new IllegalStateException("FlutterwaveSecretKey registered no reader");
    }
    return reader.apply(key);
  }

  /** The hash's text, for the webhook checks only. */
  static synchronized String hash(FlutterwaveSecretHash hash) {
    Function<FlutterwaveSecretHash, String> reader = hashes;
    if (reader == null) {
      throw new IllegalStateException("FlutterwaveSecretHash registered no reader");
    }
    return reader.apply(hash);
  }
}
