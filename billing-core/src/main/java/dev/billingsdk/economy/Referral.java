package dev.billingsdk.economy;

import dev.billingsdk.AccountId;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.Amount;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Optional;

/**
 * A recorded referral: {@code referrer} brought {@code referred} to the platform at {@code at}. A
 * referred account is referred once, ever. The relationship stays after the reward: the agent
 * revenue share reads it.
 *
 * @param month the referrer's calendar month (in the settings' zone) the referral counts in
 * @param reward the credits granted to the referrer, or empty when it was not rewarded
 * @param settingsVersion the settings version the reward was decided under
 */
public record Referral(
    TenantId tenant,
    AccountId referrer,
    AccountId referred,
    Instant at,
    YearMonth month,
    Optional<Amount> reward,
    int settingsVersion) {

  public Referral {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(referrer, "referrer");
    InvalidRequestException.requireNonNull(referred, "referred");
    if (referrer.equals(referred)) {
      throw new InvalidRequestException("referred", referred, "must not be the referrer");
    }
    at = InputContract.instant(at, "at");
    InvalidRequestException.requireNonNull(month, "month");
    InvalidRequestException.requireNonNull(reward, "reward");
    reward.ifPresent(
        r -> {
          if (!r.isPositive()) {
            throw new InvalidRequestException("reward", r, "must be positive when present");
          }
        });
    if (settingsVersion < 1) {
      throw new InvalidRequestException("settingsVersion", settingsVersion, "must be at least 1");
    }
  }

  public boolean rewarded() {
    return reward.isPresent();
  }

  /** This referral without its reward: how it is stored when the referrer's cap is reached. */
  public Referral unrewarded() {
    return new Referral(tenant, referrer, referred, at, month, Optional.empty(), settingsVersion);
  }
}
