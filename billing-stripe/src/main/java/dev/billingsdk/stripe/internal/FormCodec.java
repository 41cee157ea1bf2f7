package dev.billingsdk.stripe.internal;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Stripe's request encoding: {@code application/x-www-form-urlencoded} with nested parameters
 * written in brackets, as every example in Stripe's API reference sends them ({@code
 * line_items[0][price_data][currency]=usd}, {@code metadata[purchase_id]=p-1}, {@code
 * expand[0]=payment_intent}).
 *
 * <p>A parameter value is a {@link CharSequence}, a {@link Boolean}, an integral number ({@link
 * Integer}, {@link Long}, {@link Short}, {@link Byte}, {@link BigInteger}), a {@link BigDecimal}
 * (written plain, never in exponent form), a {@link Map} with string keys (nested parameters) or a
 * {@link List} (an array, written with indices). {@code double} and {@code float} are refused:
 * amounts are exact. Empty maps and lists are left out.
 *
 * <p>The output is deterministic whatever map the caller passes: keys are sorted at every level (by
 * {@link String#compareTo}), list elements keep their order. Keys and values are UTF-8 and
 * percent-encoded (everything but RFC 3986's unreserved characters; the brackets of the key
 * structure stay literal, as in Stripe's examples). A key segment may not be empty or contain a
 * bracket, and a string with an unpaired surrogate is refused instead of being sent as {@code ?}.
 * The messages name the parameter, never its value.
 */
public final class FormCodec {
  private FormCodec() {}

  /** The form body (or query string, without its {@code ?}) for these parameters. */
  public static String encode(Map<String, ?> params) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, String> pair : flatten(params)) {
      if (out.length() > 0) {
        out.append('&');
      }
      out.append(encodeKey(pair.getKey())).append('=').append(percentEncode(pair.getValue()));
    }
    return out.toString();
  }

  /**
   * The parameters as Stripe receives them, one (bracketed key, value) pair each, in the order
   * {@link #encode} writes them; neither key nor value is percent-encoded.
   */
  public static List<Map.Entry<String, String>> flatten(Map<String, ?> params) {
    Objects.requireNonNull(params, "params");
    List<Map.Entry<String, String>> out = new ArrayList<>();
    flattenMap("", params, out);
    return out;
  }

  private static void flattenMap(
      String prefix, Map<?, ?> map, List<Map.Entry<String, String>> out) {
    TreeMap<String, Object> sorted = new TreeMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        throw new IllegalArgumentException(
            "parameter keys are strings; " + describe(prefix) + " has a " + typeOf(e.getKey()));
      }
      checkKeySegment(prefix, key);
      sorted.put(key, Objects.requireNonNull(e.getValue(), () -> "the value of " + key));
    }
    for (Map.Entry<String, Object> e : sorted.entrySet()) {
      String name = prefix.isEmpty() ? e.getKey() : prefix + "[" + e.getKey() + "]";
      flattenValue(name, e.getValue(), out);
    }
  }

  private static void flattenValue(String name, Object value, List<Map.Entry<String, String>> out) {
    if (value instanceof Map<?, ?> map) {
      flattenMap(name, map, out);
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        Object element = Objects.requireNonNull(list.get(i), () -> name + "[" + list.size() + "]");
        flattenValue(name + "[" + i + "]", element, out);
      }
    } else {
      out.add(Map.entry(name, scalar(name, value)));
    }
  }

  private static String scalar(String name, Object value) {
    if (value instanceof CharSequence text) {
      String s = text.toString();
      checkWellFormed(name, s);
      return s;
    }
    if (value instanceof Boolean
        || value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte
        || value instanceof BigInteger) {
      return value.toString();
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.toPlainString();
    }
    throw new IllegalArgumentException(
        "parameter "
            + name
            + " is a "
            + typeOf(value)
            + "; Stripe parameters are strings, booleans, integers, BigDecimals, maps or lists");
  }

  private static void checkKeySegment(String prefix, String key) {
    if (key.isEmpty() || key.indexOf('[') >= 0 || key.indexOf(']') >= 0) {
      throw new IllegalArgumentException(
          "a parameter key is not empty and has no square brackets; one under "
              + describe(prefix)
              + " does not");
    }
    checkWellFormed(describe(prefix) + " (a key)", key);
  }

  private static void checkWellFormed(String name, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        throw unpaired(name);
      }
      if (Character.isLowSurrogate(c)) {
        throw unpaired(name);
      }
    }
  }

  private static IllegalArgumentException unpaired(String name) {
    return new IllegalArgumentException(
        name + " has an unpaired UTF-16 surrogate, which UTF-8 cannot carry");
  }

  private static String describe(String prefix) {
    return prefix.isEmpty() ? "the top level" : prefix;
  }

  private static String typeOf(Object o) {
    return o.getClass().getName();
  }

  private static String encodeKey(String bracketed) {
    // The structure's brackets stay literal; each segment between them is percent-encoded.
    StringBuilder out = new StringBuilder();
    int start = 0;
    for (int i = 0; i < bracketed.length(); i++) {
      char c = bracketed.charAt(i);
      if (c == '[' || c == ']') {
        out.append(percentEncode(bracketed.substring(start, i))).append(c);
        start = i + 1;
      }
    }
    return out.append(percentEncode(bracketed.substring(start))).toString();
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  static String percentEncode(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }

  // ------------------------------------------------------------------ decoding (the fake's side)

  /**
   * The (key, value) pairs of a form body or query string, percent-decoded ({@code +} is a space),
   * in order.
   *
   * @throws IllegalArgumentException on a malformed escape or bytes that are not UTF-8
   */
  public static List<Map.Entry<String, String>> parse(String form) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (String part : form.split("&", -1)) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String key = eq < 0 ? part : part.substring(0, eq);
      String value = eq < 0 ? "" : part.substring(eq + 1);
      out.add(Map.entry(percentDecode(key), percentDecode(value)));
    }
    return out;
  }

  static String percentDecode(String s) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          throw new IllegalArgumentException("a truncated percent escape");
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("a malformed percent escape");
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else if (c == '+') {
        bytes.write(' ');
      } else {
        int end = i + 1;
        while (end < s.length() && s.charAt(end) != '%' && s.charAt(end) != '+') {
          end++;
        }
        String run = s.substring(i, end);
        checkWellFormed("a form value", run);
        byte[] encoded = run.getBytes(StandardCharsets.UTF_8);
        bytes.write(encoded, 0, encoded.length);
        i = end - 1;
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("a percent-encoded value is not UTF-8", e);
    }
  }

  /**
   * Rebuilds nested parameters from bracketed pairs: {@code a[b][0]=x} is {@code {a={b=[x]}}}. A
   * level whose keys are exactly {@code 0..n-1} is a list, and {@code a[]=x} appends to one.
   *
   * @throws IllegalArgumentException on a malformed key or one that is both a value and a parent
   */
  public static Map<String, Object> nest(List<Map.Entry<String, String>> pairs) {
    Map<String, Object> root = new LinkedHashMap<>();
    for (Map.Entry<String, String> pair : pairs) {
      List<String> path = segments(pair.getKey());
      Map<String, Object> level = root;
      for (int i = 0; i < path.size() - 1; i++) {
        String segment = path.get(i).isEmpty() ? String.valueOf(level.size()) : path.get(i);
        Object child = level.computeIfAbsent(segment, k -> new LinkedHashMap<String, Object>());
        if (!(child instanceof Map<?, ?>)) {
          throw new IllegalArgumentException(
              "parameter " + pair.getKey() + " nests under a key that also has a value");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> next = (Map<String, Object>) child;
        level = next;
      }
      String last = path.get(path.size() - 1);
      if (last.isEmpty()) {
        last = String.valueOf(level.size());
      }
      if (level.putIfAbsent(last, pair.getValue()) != null) {
        throw new IllegalArgumentException("parameter " + pair.getKey() + " is given twice");
      }
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> listed = (Map<String, Object>) listify(root, true);
    return listed;
  }

  /** {@link #nest} of {@link #parse}. */
  public static Map<String, Object> decode(String form) {
    return nest(parse(form));
  }

  private static List<String> segments(String key) {
    int open = key.indexOf('[');
    if (open == 0 || key.isEmpty()) {
      throw new IllegalArgumentException("a parameter key starts with a name");
    }
    List<String> out = new ArrayList<>();
    out.add(open < 0 ? key : key.substring(0, open));
    int i = open;
    while (i >= 0 && i < key.length()) {
      int close = key.indexOf(']', i);
      if (key.charAt(i) != '[' || close < 0) {
        throw new IllegalArgumentException("parameter " + key + " has unbalanced brackets");
      }
      String segment = key.substring(i + 1, close);
      if (segment.indexOf('[') >= 0) {
        throw new IllegalArgumentException("parameter " + key + " has unbalanced brackets");
      }
      out.add(segment);
      i = close + 1;
    }
    if (out.get(0).indexOf(']') >= 0) {
      throw new IllegalArgumentException("parameter " + key + " has unbalanced brackets");
    }
    return out;
  }

  private static Object listify(Object node, boolean root) {
    if (!(node instanceof Map<?, ?> map)) {
      return node;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      out.put((String) e.getKey(), listify(e.getValue(), false));
    }
    if (!root && isIndexed(out)) {
      List<Object> list = new ArrayList<>(out.size());
      for (int i = 0; i < out.size(); i++) {
        list.add(out.get(String.valueOf(i)));
      }
      return list;
    }
    return out;
  }

  private static boolean isIndexed(Map<String, Object> map) {
    for (int i = 0; i < map.size(); i++) {
      if (!map.containsKey(String.valueOf(i))) {
        return false;
      }
    }
    return !map.isEmpty();
  }
}
