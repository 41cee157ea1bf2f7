package dev.billingsdk.internal.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A digest of a request's fields in a canonical text form, stored with the transaction it caused; a
 * repeated idempotency key with an equal fingerprint is the same request.
 */
public final class Fingerprint {
  private final StringBuilder text = new StringBuilder();

  private Fingerprint(String operation) {
    text.append(operation);
  }

  public static Fingerprint of(String operation) {
    return new Fingerprint(operation);
  }

  public Fingerprint add(String field, Object value) {
    String v = String.valueOf(value);
    // Length-prefixed, so that no choice of values can make two different requests print alike.
    text.append('|').append(field).append('=').append(v.length()).append(':').append(v);
    return this;
  }

  public Fingerprint add(String field, Map<String, String> map) {
    // A map already sorted by the keys' natural order (a usage event's dimensions) prints the same
    // as its sorted copy would, so it is not copied.
    if (map instanceof SortedMap<String, String> sorted && sorted.comparator() == null) {
      return add(field, sorted.toString());
    }
    return add(field, new TreeMap<>(map).toString());
  }

  public String digest() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return "sha256:"
          + HexFormat.of().formatHex(sha.digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
