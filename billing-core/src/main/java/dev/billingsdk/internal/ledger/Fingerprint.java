package dev.billingsdk.internal.ledger;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A digest of a request's fields in a canonical text form, stored with the transaction it caused; a
 * repeated idempotency key with an equal fingerprint is the same request.
 *
 * <p>The text is {@code operation}, then {@code |field=<length>:<value>} per field
 * (length-prefixed, so that no choice of values can make two different requests print alike), and
 * the fingerprint is {@code sha256:} and the lower-case hex SHA-256 of its UTF-8 bytes. The text is
 * never built: its bytes stream into a digest the thread reuses, so a fingerprint allocates little
 * more than its result. Stored fingerprints depend on this exact form; it must not change.
 */
public final class Fingerprint {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /** A thread's digest and encoding buffer, lent to one fingerprint at a time. */
  private static final class Scratch {
    final MessageDigest sha = sha256();
    final byte[] buffer = new byte[256];
    boolean lent;
  }

  private final Scratch scratch;
  private final boolean own;

  private Fingerprint(String operation) {
    Scratch s = SCRATCH.get();
    if (s.lent) {
      // A fingerprint is already being computed on this thread: this one gets its own digest.
      s = new Scratch();
      this.own = true;
    } else {
      this.own = false;
    }
    s.lent = true;
    s.sha.reset();
    this.scratch = s;
    put(operation);
  }

  public static Fingerprint of(String operation) {
    return new Fingerprint(operation);
  }

  public Fingerprint add(String field, Object value) {
    String v = String.valueOf(value);
    put("|");
    put(field);
    put("=");
    put(Integer.toString(v.length()));
    put(":");
    put(v);
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
    byte[] hash = scratch.sha.digest();
    if (!own) {
      scratch.lent = false;
    }
    char[] out = new char[7 + 2 * hash.length];
    "sha256:".getChars(0, 7, out, 0);
    for (int i = 0; i < hash.length; i++) {
      out[7 + 2 * i] = HEX[(hash[i] >> 4) & 0xF];
      out[8 + 2 * i] = HEX[hash[i] & 0xF];
    }
    return new String(out);
  }

  /** Feeds the UTF-8 bytes of {@code text} to the digest. */
  private void put(String text) {
    byte[] buf = scratch.buffer;
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        // Not ASCII: let the JDK encode the rest (surrogate pairs included).
        scratch.sha.update(buf, 0, n);
        scratch.sha.update(text.substring(i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return;
      }
      if (n == buf.length) {
        scratch.sha.update(buf, 0, n);
        n = 0;
      }
      buf[n++] = (byte) c;
    }
    scratch.sha.update(buf, 0, n);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
