package dev.billingsdk.metering;

import dev.billingsdk.Identifiers;
import dev.billingsdk.InvalidRequestException;
import java.util.Map;
import java.util.TreeMap;

/**
 * A price for the usage whose dimensions include every pair of {@code when} (an empty {@code when}
 * matches all usage): for example {@code when = {model: gpt-4o, direction: input}}. Each rule keeps
 * its own aggregate per period, so its tiers count only its own usage.
 */
public record PriceRule(Map<String, String> when, PriceModel model) {

  public PriceRule {
    InvalidRequestException.requireNonNull(when, "when");
    InvalidRequestException.requireNonNull(model, "model");
    for (Map.Entry<String, String> e : when.entrySet()) {
      Identifiers.check(e.getKey(), "when");
      Identifiers.check(e.getValue(), "when." + e.getKey());
    }
    when = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(when));
  }

  public boolean matches(Map<String, String> dimensions) {
    for (Map.Entry<String, String> e : when.entrySet()) {
      if (!e.getValue().equals(dimensions.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
