package dev.billingsdk.economy;

import static dev.billingsdk.economy.EconomyWorld.ACME;
import static dev.billingsdk.economy.EconomyWorld.SIGNUPS;
import static dev.billingsdk.economy.EconomyWorld.credits;
import static dev.billingsdk.economy.EconomyWorld.hundredForADollar;
import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.credit.GrantCategory;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Whatever order referrals come in (repeats, several referrers, months apart), each referred
 * account is recorded once and each referrer is rewarded at most the cap per calendar month,
 * exactly the referral credits per rewarded referral: the model counts, the library must agree.
 */
class ReferralCapPropertiesTest {
  static final Instant START = Instant.parse("2026-01-20T00:00:00Z");

  record Step(int referrer, int referred, int daysLater) {}

  @Provide
  Arbitrary<List<Step>> steps() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 2),
            Arbitraries.integers().between(0, 11),
            Arbitraries.integers().between(0, 9))
        .as(Step::new)
        .list()
        .ofMaxSize(40);
  }

  @Property(tries = 300)
  void eachReferredOnceAndNoReferrerAboveTheCapInAnyMonth(
      @ForAll("steps") List<Step> steps, @ForAll @IntRange(min = -1, max = 4) int cap) {
    EconomyWorld w = new EconomyWorld(START);
    w.save(
        0,
        EconomySettings.builder(hundredForADollar())
            .referralCredits(credits(10))
            .maxReferralsPerMonth(cap)
            .build(),
        "programme");
    for (int i = 0; i < 3; i++) {
      w.open("agent-" + i);
    }
    for (int i = 0; i < 12; i++) {
      w.open("user-" + i);
    }
    Set<Integer> referred = new HashSet<>();
    Map<String, Integer> rewardedPerMonth = new HashMap<>();
    Map<Integer, Integer> expectedCredits = new HashMap<>();
    for (Step s : steps) {
      w.clock.advance(Duration.ofDays(s.daysLater()));
      ReferralOutcome out =
          w.economy()
              .recordReferral(
                  ReferralRequest.of(
                      ACME,
                      AccountId.of("agent-" + s.referrer()),
                      AccountId.of("user-" + s.referred()),
                      w.clock.instant(),
                      SIGNUPS));
      if (!referred.add(s.referred())) {
        assertThat(out).isInstanceOf(ReferralOutcome.AlreadyRecorded.class);
        continue;
      }
      String key = s.referrer() + "@" + YearMonth.from(w.clock.instant().atZone(ZoneOffset.UTC));
      int before = rewardedPerMonth.getOrDefault(key, 0);
      boolean shouldReward = cap == -1 || before < cap;
      assertThat(out)
          .isInstanceOf(
              shouldReward ? ReferralOutcome.Rewarded.class : ReferralOutcome.NotRewarded.class);
      if (shouldReward) {
        rewardedPerMonth.put(key, before + 1);
        expectedCredits.merge(s.referrer(), 10, Integer::sum);
      }
    }
    for (int i = 0; i < 3; i++) {
      assertThat(w.availableIn("agent-" + i, GrantCategory.REFERRAL))
          .isEqualTo((long) expectedCredits.getOrDefault(i, 0));
      assertThat(
              w.economy().referralsBy(ACME, AccountId.of("agent-" + i)).stream()
                  .filter(Referral::rewarded)
                  .count())
          .isEqualTo((long) expectedCredits.getOrDefault(i, 0) / 10);
    }
    if (cap >= 0) {
      assertThat(rewardedPerMonth.values()).allMatch(n -> n <= cap);
    }
  }
}
