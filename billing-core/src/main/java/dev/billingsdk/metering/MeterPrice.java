package dev.billingsdk.metering;

import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Unit;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How one meter's usage is priced for an account: in which credit unit, by which rules (the first
 * rule that matches an event's dimensions prices it), and how much of the aggregate each period
 * includes for free.
 *
 * @param unit the unit of every cost; it must be the account's unit (rule 8: rating never converts)
 * @param rules tried in order; usage no rule matches cannot be rated, and the deduction job reports
 *     it instead of guessing a price
 * @param includedPerPeriod the allowance: aggregate each calendar month includes before any rule
 *     prices it (for example from a subscription), consumed by usage in rating order, across rules
 */
public record MeterPrice(Unit unit, List<PriceRule> rules, BigDecimal includedPerPeriod) {

  public MeterPrice {
    InvalidRequestException.requireNonNull(unit, "unit");
    InvalidRequestException.requireNonNull(rules, "rules");
    InputContract.decimal(includedPerPeriod, "includedPerPeriod");
    if (rules.isEmpty()) {
      throw new InvalidRequestException("rules", rules, "must not be empty");
    }
    for (int i = 0; i < rules.size(); i++) {
      InvalidRequestException.requireNonNull(rules.get(i), "rules[" + i + "]");
    }
    rules = List.copyOf(rules);
    if (includedPerPeriod.signum() < 0) {
      throw new InvalidRequestException(
          "includedPerPeriod", includedPerPeriod.toPlainString(), "must not be negative");
    }
  }

  /** One model for all of the meter's usage. */
  public static MeterPrice of(Unit unit, PriceModel model) {
    return new MeterPrice(unit, List.of(new PriceRule(Map.of(), model)), BigDecimal.ZERO);
  }

  public static Builder in(Unit unit) {
    return new Builder(unit);
  }

  /** This price with an allowance per calendar month. */
  public MeterPrice withIncluded(BigDecimal included) {
    return new MeterPrice(unit, rules, included);
  }

  /** The index of the first rule matching {@code dimensions}. */
  public Optional<Integer> ruleFor(Map<String, String> dimensions) {
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i).matches(dimensions)) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  /** Builds a {@link MeterPrice} rule by rule. */
  public static final class Builder {
    private final Unit unit;
    private final List<PriceRule> rules = new ArrayList<>();
    private BigDecimal included = BigDecimal.ZERO;

    private Builder(Unit unit) {
      this.unit = InvalidRequestException.requireNonNull(unit, "unit");
    }

    /** Usage whose dimensions include all of {@code when} is priced by {@code model}. */
    public Builder when(Map<String, String> when, PriceModel model) {
      rules.add(new PriceRule(when, model));
      return this;
    }

    /** Usage no earlier rule matched is priced by {@code model}. */
    public Builder otherwise(PriceModel model) {
      rules.add(new PriceRule(Map.of(), model));
      return this;
    }

    public Builder includedPerPeriod(String included) {
      this.included = InputContract.decimal(included, "includedPerPeriod");
      return this;
    }

    public MeterPrice build() {
      return new MeterPrice(unit, rules, included);
    }
  }
}
