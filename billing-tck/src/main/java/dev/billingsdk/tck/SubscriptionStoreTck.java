package dev.billingsdk.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.PlanId;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.spi.SubscriptionStore;
import dev.billingsdk.subscription.PlanRef;
import dev.billingsdk.subscription.Subscription;
import dev.billingsdk.subscription.SubscriptionChange;
import dev.billingsdk.subscription.SubscriptionChange.Kind;
import dev.billingsdk.subscription.SubscriptionId;
import dev.billingsdk.subscription.SubscriptionState;
import java.time.Instant;
import java.time.Period;
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
 * The rules of the subscription part of the storage SPI ({@link SubscriptionStore}): a subscription
 * reads back exactly; an id is taken once per tenant; a change applies only to the version it was
 * decided on and a cause once, also when writers race through two instances; the due list holds
 * exactly the subscriptions due, in order. An adapter extends it and supplies {@link #store()}
 * (and, for stores shared between processes, {@link #secondInstance()}); every test uses a fresh
 * tenant, so the store may be shared.
 */
public abstract class SubscriptionStoreTck {

  /** For subclasses: an adapter's runner extends this kit. */
  protected SubscriptionStoreTck() {}

  protected abstract SubscriptionStore store();

  /** A second instance on the same storage; the race rule writes through both. */
  protected SubscriptionStore secondInstance() {
    return store();
  }

  /** Writers racing (at least 8 in the kit's own runs). */
  protected int concurrentThreads() {
    return 8;
  }

  static final CurrencyUnit KWD = CurrencyUnit.of("KWD");
  static final Instant T0 = Instant.parse("2026-01-31T23:59:59.123456Z");

  private TenantId tenant = TenantId.of("x");

  @BeforeEach
  void freshTenant() {
    tenant = TenantId.of("sub-" + UUID.randomUUID());
  }

  /** A subscription whose every optional field is set, varied by {@code n}. */
  Subscription subscription(String id, int n, SubscriptionState state) {
    return new Subscription(
        tenant,
        SubscriptionId.of(id),
        AccountId.of("acct-" + n % 3),
        PlanRef.of(PlanId.of("pro"), 2 + n),
        Optional.of(PlanRef.of(PlanId.of("starter"), 7)),
        n % 2 == 0 ? Period.ofMonths(1) : Period.ofDays(7),
        Amount.ofMinor(KWD, 29_125 + n),
        "stripe",
        state,
        ZoneId.of(n % 2 == 0 ? "Asia/Kathmandu" : "America/St_Johns"),
        T0.plusSeconds(n),
        T0.plusSeconds(3600 + n),
        n,
        Optional.of(T0.plusSeconds(3600 + n)),
        n % 2 == 1,
        n % 3 == 0 ? Optional.empty() : Optional.of(T0.plusSeconds(99)),
        Optional.of("cus_" + n),
        Optional.of("pm_" + n),
        n % 4,
        Optional.of(T0.plusSeconds(86_400L * n)),
        1);
  }

  SubscriptionChange created(Subscription s) {
    return change(s, s, Kind.CREATED, "created");
  }

  SubscriptionChange change(Subscription from, Subscription to, Kind kind, String cause) {
    return new SubscriptionChange(
        from.tenant(),
        from.id(),
        to.version(),
        from.state(),
        to.state(),
        kind,
        T0.plusNanos(to.version() * 1000),
        "actor-" + to.version(),
        cause,
        "détail ✓ " + cause);
  }

  Subscription renewed(Subscription s, int paid) {
    return s.next(
        SubscriptionState.ACTIVE,
        s.plan(),
        Optional.empty(),
        s.price(),
        s.anchor(),
        paid,
        false,
        Optional.empty(),
        s.customer(),
        s.paymentMethod(),
        0,
        Optional.empty());
  }

  @Nested
  @DisplayName("Reading: exactly as stored, an id once per tenant, tenants apart")
  class Reading {

    @Test
    void required_aSubscriptionAndItsChangesReadBackExactly() {
      for (int n = 0; n < 4; n++) {
        Subscription s = subscription("s-" + n, n, SubscriptionState.values()[n]);
        assertThat(store().createIfAbsent(s, created(s))).isEqualTo(s);
        assertThat(store().subscription(tenant, s.id())).contains(s);
        assertThat(secondInstance().subscription(tenant, s.id())).contains(s);
        assertThat(store().changes(tenant, s.id())).containsExactly(created(s));
      }
      assertThat(store().subscription(tenant, SubscriptionId.of("S-0"))).isEmpty();
      assertThat(store().subscription(tenant, SubscriptionId.of("s-"))).isEmpty();
      assertThat(
              store()
                  .subscription(
                      TenantId.of(tenant.value().toUpperCase(Locale.ROOT)),
                      SubscriptionId.of("s-0")))
          .isEmpty();
      assertThat(store().subscriptionsOf(tenant, AccountId.of("acct-0")))
          .extracting(x -> x.id().value())
          .containsExactly("s-0", "s-3");
    }

    @Test
    void required_anIdIsTakenOncePerTenantAndTheFirstStays() {
      Subscription first = subscription("s", 1, SubscriptionState.INCOMPLETE);
      store().createIfAbsent(first, created(first));
      Subscription other = subscription("s", 2, SubscriptionState.TRIALING);
      assertThat(secondInstance().createIfAbsent(other, created(other))).isEqualTo(first);
      assertThat(store().changes(tenant, first.id())).containsExactly(created(first));
    }
  }

  @Nested
  @DisplayName("Changes: on the version decided on, a cause once, one winner of a race")
  class Changes {

    @Test
    void required_aChangeAppliesOnlyToItsVersionAndACauseOnce() {
      Subscription s = subscription("s", 0, SubscriptionState.ACTIVE);
      store().createIfAbsent(s, created(s));
      Subscription v2 = renewed(s, 1);
      assertThat(store().update(s, v2, change(s, v2, Kind.RENEWED, "period:0:paid"))).isTrue();
      // The same version again, or the same cause on the new version: refused, nothing written.
      Subscription stale = renewed(s, 5);
      assertThat(store().update(s, stale, change(s, stale, Kind.RENEWED, "other"))).isFalse();
      Subscription v3 = renewed(v2, 2);
      assertThat(store().update(v2, v3, change(v2, v3, Kind.RENEWED, "period:0:paid"))).isFalse();
      assertThat(store().subscription(tenant, s.id())).contains(v2);
      assertThat(store().update(v2, v3, change(v2, v3, Kind.RENEWED, "period:1:paid"))).isTrue();
      assertThat(store().changes(tenant, s.id()))
          .extracting(SubscriptionChange::cause)
          .containsExactly("created", "period:0:paid", "period:1:paid");
      assertThat(store().subscription(tenant, s.id())).contains(v3);
      // A subscription that does not exist changes nothing.
      Subscription ghost = subscription("ghost", 0, SubscriptionState.ACTIVE);
      Subscription g2 = renewed(ghost, 1);
      assertThat(store().update(ghost, g2, change(ghost, g2, Kind.RENEWED, "x"))).isFalse();
      assertThat(store().subscription(tenant, ghost.id())).isEmpty();
    }

    @Test
    void required_writersRacingForOneVersionLeaveExactlyOneWinner() {
      int threads = Math.max(2, concurrentThreads());
      Subscription s = subscription("race", 0, SubscriptionState.ACTIVE);
      store().createIfAbsent(s, created(s));
      for (int round = 0; round < 4; round++) {
        Subscription current = store().subscription(tenant, s.id()).orElseThrow();
        int r = round;
        List<Boolean> won =
            Races.race(
                threads,
                i -> {
                  SubscriptionStore through = i % 2 == 0 ? store() : secondInstance();
                  Subscription mine = renewed(current, 10 * r + i);
                  SubscriptionChange c =
                      change(current, mine, Kind.RENEWED, "round-" + r + "-" + i);
                  return () -> through.update(current, mine, c);
                });
        assertThat(won.stream().filter(w -> w)).as("round " + round).hasSize(1);
      }
      assertThat(store().changes(tenant, s.id())).hasSize(5);
      assertThat(secondInstance().subscription(tenant, s.id()).orElseThrow().version())
          .isEqualTo(5);
    }
  }

  @Nested
  @DisplayName("Due: exactly the subscriptions due, by due instant then id")
  class Due {

    @Test
    void required_theDueListHoldsExactlyWhatIsDueInOrder() {
      Subscription a = subscription("a", 2, SubscriptionState.PAST_DUE); // due at T0 + 2 days
      Subscription b = subscription("b", 1, SubscriptionState.PAST_DUE); // due at T0 + 1 day
      Subscription c = subscription("c", 1, SubscriptionState.CANCELED); // final: never due
      Subscription d = subscription("d", 0, SubscriptionState.INCOMPLETE); // due at creation, T0
      Subscription e = subscription("e", 5, SubscriptionState.PAST_DUE); // due at T0 + 5 days
      for (Subscription s : List.of(a, b, c, d, e)) {
        store().createIfAbsent(s, created(s));
      }
      Instant at = T0.plusSeconds(86_400L * 2);
      assertThat(store().due(tenant, at, 10)).containsExactly(d, b, a);
      assertThat(secondInstance().due(tenant, at, 2)).containsExactly(d, b);
      assertThat(store().due(tenant, at.minusNanos(1000), 10)).containsExactly(d, b);
      assertThat(store().due(TenantId.of("other-" + tenant.value()), at, 10)).isEmpty();
      // A change moves a subscription out of the list, or later in it.
      Subscription b2 = renewed(b, 3);
      store().update(b, b2, change(b, b2, Kind.RECOVERED, "recovered"));
      assertThat(store().due(tenant, at, 10)).containsExactly(d, a);
    }
  }
}
