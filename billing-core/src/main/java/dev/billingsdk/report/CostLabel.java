package dev.billingsdk.report;

import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;

/**
 * A label of a cost row, as the cloud billing export carries it ({@code module=jupyter}), and the
 * filter of a {@link ProjectCostQuery}: the key is an identifier of at most {@value #MAX_KEY}
 * characters, the value text of at most {@value #MAX_VALUE} characters (empty allowed, as cloud
 * labels allow it). Keys and values are compared exactly (case matters).
 */
public record CostLabel(String key, String value) {
  /** The longest label key. */
  public static final int MAX_KEY = InputContract.MAX_METADATA_KEY;

  /** The longest label value; stores index (tenant, key, value), so it is kept short. */
  public static final int MAX_VALUE = 256;

  public CostLabel {
    key = checkKey(key, "label.key");
    value = checkValue(value, "label.value");
  }

  public static CostLabel of(String key, String value) {
    return new CostLabel(key, value);
  }

  static String checkKey(String key, String field) {
    InputContract.identifier(key, field);
    if (key.length() > MAX_KEY) {
      throw new InvalidRequestException(field, key, "must be at most " + MAX_KEY + " characters");
    }
    return key;
  }

  static String checkValue(String value, String field) {
    return InputContract.text(value, field, MAX_VALUE);
  }

  @Override
  public String toString() {
    return key + "=" + value;
  }
}
