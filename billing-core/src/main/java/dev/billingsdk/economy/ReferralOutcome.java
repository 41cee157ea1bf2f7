package dev.billingsdk.economy;

import dev.billingsdk.GrantId;
import dev.billingsdk.InvalidRequestException;

/** What recording a referral did. */
public sealed interface ReferralOutcome {

  /** The referral as stored (the first one, for {@link AlreadyRecorded}). */
  Referral referral();

  /** Recorded, and the referrer was granted {@link Referral#reward()} by {@code grant}. */
  record Rewarded(Referral referral, GrantId grant) implements ReferralOutcome {
    public Rewarded {
      InvalidRequestException.requireNonNull(referral, "referral");
      InvalidRequestException.requireNonNull(grant, "grant");
    }
  }

  /** Recorded, and nothing was granted, for {@code reason}. */
  record NotRewarded(Referral referral, Reason reason) implements ReferralOutcome {
    public NotRewarded {
      InvalidRequestException.requireNonNull(referral, "referral");
      InvalidRequestException.requireNonNull(reason, "reason");
    }
  }

  /**
   * The referred account was referred before: nothing was recorded or granted now; {@code referral}
   * is the first record (its referrer may differ from the request's).
   */
  record AlreadyRecorded(Referral referral) implements ReferralOutcome {
    public AlreadyRecorded {
      InvalidRequestException.requireNonNull(referral, "referral");
    }
  }

  /** Why a recorded referral was not rewarded. */
  enum Reason {
    /** The referrer's rewarded referrals in the referral's month reached the settings' cap. */
    MONTHLY_CAP_REACHED,
    /** The settings' referral credits are zero. */
    NO_REFERRAL_CREDITS
  }
}
