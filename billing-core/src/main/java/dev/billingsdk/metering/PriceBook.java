package dev.billingsdk.metering;

import dev.billingsdk.AccountId;
import dev.billingsdk.Identifiers;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where rating finds prices: per (tenant, account, meter), so a host can price by plan or contract.
 * The simple book from {@link #builder} prices every account the same; a host with plans implements
 * this interface over its catalogue.
 *
 * <p>The rounding mode is stated, never defaulted: each posting rounds once, with it, and carries
 * the remainder to the next posting (ledger rule 6: rounding never leaks).
 */
public interface PriceBook {

  /** The price of {@code meter} for the account, or empty if it has none. */
  Optional<MeterPrice> priceFor(TenantId tenant, AccountId account, Meter meter);

  /** How each posting rounds the exact cost to the credit unit's minor units. */
  RoundingMode rounding();

  static Builder builder(RoundingMode rounding) {
    return new Builder(rounding);
  }

  /** A book with one price per meter key, the same for every tenant and account. */
  final class Builder {
    private final RoundingMode rounding;
    private final Map<String, MeterPrice> prices = new HashMap<>();

    private Builder(RoundingMode rounding) {
      InvalidRequestException.requireNonNull(rounding, "rounding");
      if (rounding == RoundingMode.UNNECESSARY) {
        throw new InvalidRequestException(
            "rounding", rounding, "must say how to round; usage costs are rarely whole");
      }
      this.rounding = rounding;
    }

    public Builder meter(String key, MeterPrice price) {
      Identifiers.check(key, "meter");
      InvalidRequestException.requireNonNull(price, "price");
      if (prices.putIfAbsent(key, price) != null) {
        throw new InvalidRequestException("meter", key, "is priced twice");
      }
      return this;
    }

    public PriceBook build() {
      Map<String, MeterPrice> copy = Map.copyOf(prices);
      RoundingMode mode = rounding;
      return new PriceBook() {
        @Override
        public Optional<MeterPrice> priceFor(TenantId tenant, AccountId account, Meter meter) {
          return Optional.ofNullable(copy.get(meter.key()));
        }

        @Override
        public RoundingMode rounding() {
          return mode;
        }
      };
    }
  }
}
