package dev.billingsdk.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.PackageId;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.purchase.PurchaseId;
import dev.billingsdk.spi.TopUpStore;
import dev.billingsdk.topup.TopUpRule;
import dev.billingsdk.topup.TopUpState;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The rules of the auto-top-up part of the storage SPI ({@link TopUpStore}): a rule reads back
 * exactly; one rule per account; a write applies only to the version it was decided on, so of
 * workers racing to claim the next top-up exactly one does, also through two instances.
 */
public abstract class TopUpStoreTck {

  /** For subclasses: an adapter's runner extends this kit. */
  protected TopUpStoreTck() {}

  protected abstract TopUpStore store();

  /** A second instance on the same storage; the race rule writes through both. */
  protected TopUpStore secondInstance() {
    return store();
  }

  /** Writers racing (at least 8 in the kit's own runs). */
  protected int concurrentThreads() {
    return 8;
  }

  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 2);
  static final CurrencyUnit JPY = CurrencyUnit.of("JPY");

  private TenantId tenant = TenantId.of("x");

  @BeforeEach
  void freshTenant() {
    tenant = TenantId.of("top-" + UUID.randomUUID());
  }

  TopUpRule rule(String account, int n) {
    return new TopUpRule(
        tenant,
        AccountId.of(account),
        Amount.ofMinor(CREDIT, 20_050 + n),
        PackageId.of("boost-" + n),
        "stripe",
        "cus_" + n,
        "pm_" + n,
        Duration.ofMinutes(15 + n),
        Amount.of(JPY, 30_000 + n),
        3 + n % 5,
        ZoneId.of(n % 2 == 0 ? "Asia/Kathmandu" : "Pacific/Chatham"),
        TopUpState.values()[n % 3],
        n % 3,
        n % 2 == 0 ? Optional.empty() : Optional.of(PurchaseId.of(account + "-topup-" + n)),
        n,
        n % 2 == 0 ? Optional.empty() : Optional.of(Instant.parse("2026-02-28T23:59:59.999999Z")),
        YearMonth.of(2026, 1 + n % 12),
        Amount.of(JPY, 1_000L * n),
        1);
  }

  static TopUpRule claimed(TopUpRule r, int i) {
    return r.next(
        TopUpState.ENABLED,
        r.failures(),
        Optional.of(PurchaseId.of(r.account().value() + "-topup-" + (r.requested() + 1))),
        r.requested() + 1,
        r.lastTopUpAt(),
        r.spentMonth(),
        r.spent().plus(Amount.of(JPY, i)));
  }

  @Nested
  @DisplayName("Rules: read back exactly, one per account, on the version decided on")
  class Rules {

    @Test
    void required_aRuleReadsBackExactlyAndOnePerAccount() {
      for (int n = 0; n < 4; n++) {
        TopUpRule r = rule("acct-" + n, n);
        assertThat(store().save(Optional.empty(), r)).isTrue();
        assertThat(store().rule(tenant, r.account())).contains(r);
        assertThat(secondInstance().rule(tenant, r.account())).contains(r);
      }
      assertThat(store().save(Optional.empty(), rule("acct-0", 9))).isFalse();
      assertThat(store().rule(tenant, AccountId.of("acct-0"))).contains(rule("acct-0", 0));
      assertThat(store().rules(tenant))
          .extracting(r -> r.account().value())
          .containsExactly("acct-0", "acct-1", "acct-2", "acct-3");
      assertThat(store().rule(tenant, AccountId.of("ACCT-0"))).isEmpty();
      assertThat(store().rules(TenantId.of(tenant.value().toUpperCase(Locale.ROOT)))).isEmpty();
    }

    @Test
    void required_aWriteAppliesOnlyToTheVersionItWasDecidedOn() {
      TopUpRule v1 = rule("acct", 0);
      store().save(Optional.empty(), v1);
      TopUpRule v2 = claimed(v1, 1);
      assertThat(store().save(Optional.of(v1), v2)).isTrue();
      assertThat(store().save(Optional.of(v1), claimed(v1, 2))).isFalse();
      TopUpRule skipping = claimed(claimed(v2, 3), 4);
      assertThat(store().save(Optional.of(v2), skipping)).isFalse();
      assertThat(store().rule(tenant, v1.account())).contains(v2);
      TopUpRule ghost = rule("ghost", 0);
      assertThat(store().save(Optional.of(ghost), claimed(ghost, 1))).isFalse();
      assertThat(store().rule(tenant, ghost.account())).isEmpty();
    }

    @Test
    void required_workersRacingToClaimTheNextTopUpLeaveExactlyOne() {
      int threads = Math.max(2, concurrentThreads());
      TopUpRule start = rule("hot", 0);
      store().save(Optional.empty(), start);
      for (int round = 0; round < 4; round++) {
        TopUpRule current = store().rule(tenant, start.account()).orElseThrow();
        List<Boolean> won =
            Races.race(
                threads,
                i -> {
                  TopUpStore through = i % 2 == 0 ? store() : secondInstance();
                  TopUpRule mine = claimed(current, i);
                  return () -> through.save(Optional.of(current), mine);
                });
        assertThat(won.stream().filter(w -> w)).as("round " + round).hasSize(1);
      }
      assertThat(secondInstance().rule(tenant, start.account()).orElseThrow().requested())
          .isEqualTo(4);
      // Creating a rule races too: one of the creators.
      List<Boolean> created =
          Races.race(
              threads,
              i -> {
                TopUpStore through = i % 2 == 0 ? store() : secondInstance();
                TopUpRule mine = rule("new", i % 3);
                return () -> through.save(Optional.empty(), mine);
              });
      assertThat(created.stream().filter(w -> w)).hasSize(1);
    }
  }
}
