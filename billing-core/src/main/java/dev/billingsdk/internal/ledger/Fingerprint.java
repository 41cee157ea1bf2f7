package dev.billingsdk.internal.ledger;

import dev.billingsdk.money.Amount;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
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
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);
  private static final byte[] PREFIX = "sha256:".getBytes(StandardCharsets.ISO_8859_1);
  private static final int HASH_BYTES = 32;

  /** Where {@link #digest} puts the hash in the text buffer: after the 71 characters it prints. */
  private static final int DIGEST_AT = 80;

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /** A thread's digest and encoding buffer, lent to one fingerprint at a time. */
  private static final class Scratch {
    final MessageDigest sha = sha256();
    final byte[] buffer = new byte[256];
    // A field's value printed before it is streamed (its length comes first).
    final byte[] text = new byte[Texts.MAX_TEXT];
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
    // The types requests carry most print without building their text: the same text is streamed.
    if (value instanceof Amount a) {
      return add(field, a);
    }
    if (value instanceof Instant i) {
      return add(field, i);
    }
    if (value instanceof Integer n) {
      return add(field, n.longValue());
    }
    if (value instanceof Long n) {
      return add(field, n.longValue());
    }
    String v = String.valueOf(value);
    head(field, v.length());
    put(v);
    return this;
  }

  /** {@link #add(String, Object)} for a whole number: its decimal text. */
  public Fingerprint add(String field, long value) {
    byte[] text = scratch.text;
    int n = Texts.decimal(value, text, 0);
    head(field, n);
    scratch.sha.update(text, 0, n);
    return this;
  }

  /** {@link #add(String, Object)} for an amount: its text, {@code CODE 12.34}. */
  public Fingerprint add(String field, Amount amount) {
    String code = amount.unit().code();
    byte[] text = scratch.text;
    int n = Texts.ascii(code, text, 0);
    if (n < 0 || amount.minor() == Long.MIN_VALUE) {
      String v = amount.toString();
      head(field, v.length());
      put(v);
      return this;
    }
    text[n++] = ' ';
    n = Texts.plainDecimal(amount.minor(), amount.unit().scale(), text, n);
    head(field, n);
    scratch.sha.update(text, 0, n);
    return this;
  }

  /**
   * {@link #add(String, Object)} for an instant: its ISO 8601 text, as {@link Instant#toString}.
   */
  public Fingerprint add(String field, Instant instant) {
    byte[] text = scratch.text;
    int n = Texts.isoInstant(instant, text, 0);
    if (n < 0) {
      String v = instant.toString();
      head(field, v.length());
      put(v);
      return this;
    }
    head(field, n);
    scratch.sha.update(text, 0, n);
    return this;
  }

  /** {@code |field=<length>:}, the part of a field before its value. */
  private void head(String field, int length) {
    put("|");
    put(field);
    byte[] buf = scratch.buffer;
    buf[0] = '=';
    int n = Texts.decimal(length, buf, 1);
    buf[n++] = ':';
    scratch.sha.update(buf, 0, n);
  }

  public Fingerprint add(String field, Map<String, String> map) {
    // A map already sorted by the keys' natural order (a usage event's dimensions) prints the same
    // as its sorted copy would, so it is not copied.
    if (map.isEmpty()) {
      return add(field, "{}");
    }
    if (map instanceof SortedMap<String, String> sorted && sorted.comparator() == null) {
      return addSorted(field, sorted);
    }
    return addSorted(field, new TreeMap<>(map));
  }

  /**
   * The map's text, {@code {k=v, k2=v2}} as {@code AbstractMap.toString} prints it, streamed entry
   * by entry after its length.
   */
  private Fingerprint addSorted(String field, SortedMap<String, String> map) {
    // Usually short and ASCII: printed into the buffer in one walk; otherwise measured, then
    // streamed.
    byte[] text = scratch.text;
    int n = 0;
    text[n++] = '{';
    for (Map.Entry<String, String> e : map.entrySet()) {
      if (n > 1) {
        n = Texts.append(", ", text, n);
      }
      n = Texts.append(String.valueOf(e.getKey()), text, n);
      n = Texts.append("=", text, n);
      n = Texts.append(String.valueOf(e.getValue()), text, n);
      if (n < 0) {
        break;
      }
    }
    n = Texts.append("}", text, n);
    if (n >= 0) {
      head(field, n);
      scratch.sha.update(text, 0, n);
      return this;
    }
    int length = 1;
    for (Map.Entry<String, String> e : map.entrySet()) {
      length += String.valueOf(e.getKey()).length() + 1 + String.valueOf(e.getValue()).length() + 2;
    }
    // "{" and the entries, each followed by ", " but the last, which is followed by "}".
    head(field, length - 1);
    put("{");
    boolean first = true;
    for (Map.Entry<String, String> e : map.entrySet()) {
      if (!first) {
        put(", ");
      }
      first = false;
      put(String.valueOf(e.getKey()));
      put("=");
      put(String.valueOf(e.getValue()));
    }
    put("}");
    return this;
  }

  public String digest() {
    byte[] out = scratch.text;
    try {
      // The hash lands after the text's room for "sha256:" and the hex, then is printed before it.
      scratch.sha.digest(out, DIGEST_AT, HASH_BYTES);
    } catch (java.security.DigestException e) {
      throw new IllegalStateException("a SHA-256 digest is 32 bytes", e);
    }
    if (!own) {
      scratch.lent = false;
    }
    for (int i = 0; i < PREFIX.length; i++) {
      out[i] = PREFIX[i];
    }
    for (int i = 0; i < HASH_BYTES; i++) {
      byte h = out[DIGEST_AT + i];
      out[PREFIX.length + 2 * i] = HEX[(h >> 4) & 0xF];
      out[PREFIX.length + 2 * i + 1] = HEX[h & 0xF];
    }
    return new String(out, 0, PREFIX.length + 2 * HASH_BYTES, StandardCharsets.ISO_8859_1);
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
        scratch.sha.update(text.substring(i).getBytes(StandardCharsets.UTF_8));
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
