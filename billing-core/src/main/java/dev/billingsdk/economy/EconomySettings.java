package dev.billingsdk.economy;

import dev.billingsdk.BuilderRules;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.Percentage;
import dev.billingsdk.money.Unit;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The parameters of a tenant's credit economy, as the finance guide's "Credit Settings" tab lists
 * them. Every credit amount is in the unit of {@link CreditPrice#credits()}. Build with {@link
 * #builder(CreditPrice)}, or change saved settings with {@link #builder(EconomySettings)}.
 *
 * @param creditPrice what credits cost ("100 credits = 1 USD")
 * @param signUpCredits granted once to each new account ({@link
 *     dev.billingsdk.credit.GrantCategory#SIGN_UP}); zero gives nothing
 * @param referralCredits granted to the referrer per rewarded referral; zero gives nothing
 * @param maxReferralsPerMonth the most referrals rewarded per referrer per calendar month, {@value
 *     #UNLIMITED} for no cap
 * @param creditsPerHour the base rate at which a running deployment consumes credits
 * @param refreshInterval how often the periodic deduction runs; divides a day exactly
 * @param lowBalanceThreshold the default threshold of the low-balance alert
 * @param agentRevenueShare the share of revenue owed to the agent who referred a paying account
 * @param partnerRevenueShare the share of revenue owed to the partner whose module earned it
 * @param dryRunMonthlyReset when on, the monthly partner allowance reset only reports what it would
 *     post
 * @param dryRunPartnerPayouts when on, partner payouts only report what they would pay
 * @param subscriptionsEnabled whether new subscriptions may start (the admin switch)
 * @param calendarZone the zone whose calendar months count referrals and reset allowances
 */
public record EconomySettings(
    CreditPrice creditPrice,
    Amount signUpCredits,
    Amount referralCredits,
    int maxReferralsPerMonth,
    Amount creditsPerHour,
    Duration refreshInterval,
    Amount lowBalanceThreshold,
    Percentage agentRevenueShare,
    Percentage partnerRevenueShare,
    boolean dryRunMonthlyReset,
    boolean dryRunPartnerPayouts,
    boolean subscriptionsEnabled,
    ZoneId calendarZone) {

  /** {@link #maxReferralsPerMonth()} when referrals are not capped. */
  public static final int UNLIMITED = -1;

  /** The shortest refresh interval. */
  public static final Duration MIN_REFRESH = Duration.ofMinutes(1);

  private static final long DAY_SECONDS = Duration.ofDays(1).toSeconds();

  public EconomySettings {
    InvalidRequestException.requireNonNull(creditPrice, "creditPrice");
    Unit unit = creditPrice.credits().unit();
    checkCredits(signUpCredits, "signUpCredits", unit);
    checkCredits(referralCredits, "referralCredits", unit);
    checkMaxReferrals(maxReferralsPerMonth);
    checkCredits(creditsPerHour, "creditsPerHour", unit);
    checkRefreshInterval(refreshInterval);
    checkCredits(lowBalanceThreshold, "lowBalanceThreshold", unit);
    InvalidRequestException.requireNonNull(agentRevenueShare, "agentRevenueShare");
    InvalidRequestException.requireNonNull(partnerRevenueShare, "partnerRevenueShare");
    InvalidRequestException.requireNonNull(calendarZone, "calendarZone");
    calendarZone = calendarZone.normalized();
  }

  /** The credit unit of every amount here. */
  public Unit creditUnit() {
    return creditPrice.credits().unit();
  }

  /** Whether referrals are capped per month. */
  public boolean referralsCapped() {
    return maxReferralsPerMonth != UNLIMITED;
  }

  static Amount checkCredits(@Nullable Amount given, String field, Unit unit) {
    Amount value = InvalidRequestException.requireNonNull(given, field);
    if (!value.unit().equals(unit)) {
      throw new InvalidRequestException(
          field, value, "must be in " + unit + ", the unit of the credit price");
    }
    if (value.isNegative()) {
      throw new InvalidRequestException(field, value, "must not be negative");
    }
    return value;
  }

  static int checkMaxReferrals(int value) {
    if (value < UNLIMITED) {
      throw new InvalidRequestException(
          "maxReferralsPerMonth", value, "must be 0 or more, or -1 for unlimited");
    }
    return value;
  }

  static Duration checkRefreshInterval(@Nullable Duration given) {
    Duration value = InvalidRequestException.requireNonNull(given, "refreshInterval");
    if (value.compareTo(MIN_REFRESH) < 0
        || value.getNano() != 0
        || value.toSeconds() > DAY_SECONDS
        || DAY_SECONDS % value.toSeconds() != 0) {
      throw new InvalidRequestException(
          "refreshInterval",
          value,
          "must be whole seconds, at least a minute, and divide a day exactly (PT1H, PT6H, PT15M)");
    }
    return value;
  }

  /** Settings with these defaults: no free credits, no cap, PT1H, 0 %, dry runs off, UTC. */
  public static Builder builder(CreditPrice creditPrice) {
    return new Builder(InvalidRequestException.requireNonNull(creditPrice, "creditPrice"), null);
  }

  /**
   * A change of {@code base}: every value is {@code base}'s until a setter replaces it (each setter
   * once, as on every builder).
   */
  public static Builder builder(EconomySettings base) {
    InvalidRequestException.requireNonNull(base, "base");
    return new Builder(base.creditPrice, base);
  }

  /** What differs from {@code before}, field by field, in the order of the components. */
  public List<FieldChange> changesSince(EconomySettings before) {
    InvalidRequestException.requireNonNull(before, "before");
    List<FieldChange> out = new ArrayList<>();
    diff(out, "creditPrice", before.creditPrice, creditPrice);
    diff(out, "signUpCredits", before.signUpCredits, signUpCredits);
    diff(out, "referralCredits", before.referralCredits, referralCredits);
    diff(out, "maxReferralsPerMonth", before.maxReferralsPerMonth, maxReferralsPerMonth);
    diff(out, "creditsPerHour", before.creditsPerHour, creditsPerHour);
    diff(out, "refreshInterval", before.refreshInterval, refreshInterval);
    diff(out, "lowBalanceThreshold", before.lowBalanceThreshold, lowBalanceThreshold);
    diff(out, "agentRevenueShare", before.agentRevenueShare, agentRevenueShare);
    diff(out, "partnerRevenueShare", before.partnerRevenueShare, partnerRevenueShare);
    diff(out, "dryRunMonthlyReset", before.dryRunMonthlyReset, dryRunMonthlyReset);
    diff(out, "dryRunPartnerPayouts", before.dryRunPartnerPayouts, dryRunPartnerPayouts);
    diff(out, "subscriptionsEnabled", before.subscriptionsEnabled, subscriptionsEnabled);
    diff(out, "calendarZone", before.calendarZone, calendarZone);
    return List.copyOf(out);
  }

  private static void diff(List<FieldChange> out, String field, Object before, Object after) {
    if (!Objects.equals(before, after)) {
      out.add(new FieldChange(field, String.valueOf(before), String.valueOf(after)));
    }
  }

  /** One field a settings change changed, with its value before and after, as text. */
  public record FieldChange(String field, String before, String after) {
    public FieldChange {
      InvalidRequestException.requireNonNull(field, "field");
      InvalidRequestException.requireNonNull(before, "before");
      InvalidRequestException.requireNonNull(after, "after");
    }
  }

  /** Builds {@link EconomySettings}; each setter validates at once and may be called once. */
  public static final class Builder {
    private final CreditPrice creditPrice;
    private final @Nullable EconomySettings base;
    private @Nullable Amount signUpCredits;
    private @Nullable Amount referralCredits;
    private @Nullable Integer maxReferralsPerMonth;
    private @Nullable Amount creditsPerHour;
    private @Nullable Duration refreshInterval;
    private @Nullable Amount lowBalanceThreshold;
    private @Nullable Percentage agentRevenueShare;
    private @Nullable Percentage partnerRevenueShare;
    private @Nullable Boolean dryRunMonthlyReset;
    private @Nullable Boolean dryRunPartnerPayouts;
    private @Nullable Boolean subscriptionsEnabled;
    private @Nullable ZoneId calendarZone;

    private Builder(CreditPrice creditPrice, @Nullable EconomySettings base) {
      this.creditPrice = creditPrice;
      this.base = base;
    }

    private @Nullable CreditPrice newPrice;

    private Unit unit() {
      return creditPrice.credits().unit();
    }

    /**
     * A new price per credit, in the same credit unit (every other amount is in it). Only on a
     * builder of a change ({@link EconomySettings#builder(EconomySettings)}).
     */
    public Builder creditPrice(CreditPrice price) {
      InvalidRequestException.requireNonNull(price, "creditPrice");
      if (base == null) {
        throw new InvalidRequestException(
            "creditPrice", price, "was already set to " + creditPrice + " by builder(..)");
      }
      if (!price.credits().unit().equals(unit())) {
        throw new InvalidRequestException(
            "creditPrice", price, "must keep the credit unit " + unit() + " of the settings");
      }
      this.newPrice = BuilderRules.once("creditPrice", newPrice, price);
      return this;
    }

    public Builder signUpCredits(Amount credits) {
      this.signUpCredits =
          checkCredits(
              BuilderRules.once("signUpCredits", signUpCredits, credits), "signUpCredits", unit());
      return this;
    }

    public Builder referralCredits(Amount credits) {
      this.referralCredits =
          checkCredits(
              BuilderRules.once("referralCredits", referralCredits, credits),
              "referralCredits",
              unit());
      return this;
    }

    /** The monthly cap per referrer; {@link #UNLIMITED} (-1) for none. */
    public Builder maxReferralsPerMonth(int max) {
      BuilderRules.once("maxReferralsPerMonth", maxReferralsPerMonth, checkMaxReferrals(max));
      this.maxReferralsPerMonth = max;
      return this;
    }

    public Builder creditsPerHour(Amount credits) {
      this.creditsPerHour =
          checkCredits(
              BuilderRules.once("creditsPerHour", creditsPerHour, credits),
              "creditsPerHour",
              unit());
      return this;
    }

    public Builder refreshInterval(Duration interval) {
      this.refreshInterval =
          checkRefreshInterval(BuilderRules.once("refreshInterval", refreshInterval, interval));
      return this;
    }

    public Builder lowBalanceThreshold(Amount credits) {
      this.lowBalanceThreshold =
          checkCredits(
              BuilderRules.once("lowBalanceThreshold", lowBalanceThreshold, credits),
              "lowBalanceThreshold",
              unit());
      return this;
    }

    public Builder agentRevenueShare(Percentage share) {
      this.agentRevenueShare = BuilderRules.once("agentRevenueShare", agentRevenueShare, share);
      return this;
    }

    public Builder partnerRevenueShare(Percentage share) {
      this.partnerRevenueShare =
          BuilderRules.once("partnerRevenueShare", partnerRevenueShare, share);
      return this;
    }

    public Builder dryRunMonthlyReset(boolean on) {
      this.dryRunMonthlyReset = BuilderRules.once("dryRunMonthlyReset", dryRunMonthlyReset, on);
      return this;
    }

    public Builder dryRunPartnerPayouts(boolean on) {
      this.dryRunPartnerPayouts =
          BuilderRules.once("dryRunPartnerPayouts", dryRunPartnerPayouts, on);
      return this;
    }

    public Builder subscriptionsEnabled(boolean on) {
      this.subscriptionsEnabled =
          BuilderRules.once("subscriptionsEnabled", subscriptionsEnabled, on);
      return this;
    }

    public Builder calendarZone(ZoneId zone) {
      this.calendarZone = BuilderRules.once("calendarZone", calendarZone, zone);
      return this;
    }

    public EconomySettings build() {
      EconomySettings b = base;
      Amount zero = Amount.zero(unit());
      return new EconomySettings(
          pick(newPrice, creditPrice),
          pick(signUpCredits, b == null ? zero : b.signUpCredits),
          pick(referralCredits, b == null ? zero : b.referralCredits),
          pick(maxReferralsPerMonth, b == null ? UNLIMITED : b.maxReferralsPerMonth),
          pick(creditsPerHour, b == null ? zero : b.creditsPerHour),
          pick(refreshInterval, b == null ? Duration.ofHours(1) : b.refreshInterval),
          pick(lowBalanceThreshold, b == null ? zero : b.lowBalanceThreshold),
          pick(agentRevenueShare, b == null ? Percentage.ZERO : b.agentRevenueShare),
          pick(partnerRevenueShare, b == null ? Percentage.ZERO : b.partnerRevenueShare),
          pick(dryRunMonthlyReset, b != null && b.dryRunMonthlyReset),
          pick(dryRunPartnerPayouts, b != null && b.dryRunPartnerPayouts),
          pick(subscriptionsEnabled, b != null && b.subscriptionsEnabled),
          pick(calendarZone, b == null ? ZoneOffset.UTC : b.calendarZone));
    }

    private static <T> T pick(@Nullable T set, T otherwise) {
      return set == null ? otherwise : set;
    }
  }
}
