package dev.billingsdk.export.internal;

/** HTML text escaping: every piece of data goes through {@link #text} before it is written. */
public final class Html {
  private Html() {}

  /**
   * The text with {@code & < > " '} replaced by character references, safe in element content and
   * in quoted attribute values, in HTML and in inline SVG.
   */
  public static String text(String value) {
    StringBuilder out = new StringBuilder(value.length() + 16);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '&':
          out.append("&amp;");
          break;
        case '<':
          out.append("&lt;");
          break;
        case '>':
          out.append("&gt;");
          break;
        case '"':
          out.append("&quot;");
          break;
        case '\'':
          out.append("&#39;");
          break;
        default:
          out.append(c);
      }
    }
    return out.toString();
  }
}
