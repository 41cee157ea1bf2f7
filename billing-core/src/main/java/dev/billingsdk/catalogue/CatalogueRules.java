package dev.billingsdk.catalogue;

import dev.billingsdk.BuilderRules;
import dev.billingsdk.Identifiers;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** The checks catalogue values share. */
final class CatalogueRules {
  /** The longest item name. */
  static final int MAX_NAME = 200;

  /** The most provider references an item may carry. */
  static final int MAX_PROVIDER_REFS = 8;

  private CatalogueRules() {}

  static String name(String name) {
    return InputContract.nonBlankText(name, "name", MAX_NAME);
  }

  static Map<String, String> providerRefs(Map<String, String> refs) {
    InvalidRequestException.requireNonNull(refs, "providerRefs");
    if (refs.size() > MAX_PROVIDER_REFS) {
      throw new InvalidRequestException(
          "providerRefs", refs.keySet(), "at most " + MAX_PROVIDER_REFS + " providers");
    }
    TreeMap<String, String> copy = new TreeMap<>();
    for (Map.Entry<String, String> e : refs.entrySet()) {
      copy.put(
          providerName(e.getKey()), Identifiers.check(e.getValue(), "providerRefs." + e.getKey()));
    }
    return Collections.unmodifiableSortedMap(copy);
  }

  /**
   * A builder's {@code providerRef(provider, ref)}: both checked, at most {@link
   * #MAX_PROVIDER_REFS} providers, each once; {@code refs} is left as it was when refused.
   */
  static void addProviderRef(Map<String, String> refs, String provider, String ref) {
    String p = providerName(provider);
    Identifiers.check(ref, "providerRefs." + p);
    if (!refs.containsKey(p) && refs.size() >= MAX_PROVIDER_REFS) {
      throw new InvalidRequestException(
          "providerRefs", p, "at most " + MAX_PROVIDER_REFS + " providers");
    }
    BuilderRules.once("providerRefs." + p, refs.get(p), ref);
    refs.put(p, ref);
  }

  static String providerName(String provider) {
    InvalidRequestException.requireNonNull(provider, "provider");
    if (!provider.matches("[a-z][a-z0-9_-]{0,31}")) {
      throw new InvalidRequestException(
          "provider", provider, "must be a lower-case letter then up to 31 of [a-z0-9_-]");
    }
    return provider;
  }
}
