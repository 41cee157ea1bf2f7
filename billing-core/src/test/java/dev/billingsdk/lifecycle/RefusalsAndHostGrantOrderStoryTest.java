package dev.billingsdk.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.billingsdk.GrantId;
import dev.billingsdk.credit.Allocation;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.ConcurrentUpdateException;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantNotFoundException;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.ReservationId;
import dev.billingsdk.credit.ReservationNotFoundException;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Finance and the gateway name things that are not there (a grant id from another system, a
 * reservation that was never made), a charge keeps losing the race for its account, and a host
 * plugs its own grant order. Refusals name what they refuse and write nothing; the host's order is
 * made total by the creation sequence.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RefusalsAndHostGrantOrderStoryTest extends LifecycleStory {

  @Test
  void voiding_a_grant_the_account_does_not_have_names_tenant_account_and_grant() {
    start();
    openAccount(OverdraftPolicy.reject());
    grant(promo(100));
    GrantId stranger = GrantId.of("grt_from_elsewhere");

    GrantNotFoundException e =
        refused(GrantNotFoundException.class, () -> voidGrant("void-stranger", stranger));

    assertThat(e.tenant()).isEqualTo(ACME);
    assertThat(e.account()).isEqualTo(LAB);
    assertThat(e.grant()).isEqualTo(stranger);
    assertThat(e).hasMessage("no grant grt_from_elsewhere on account ai-lab in tenant acme");
    assertBalances(100, 100, 0, 0);
  }

  @Test
  void settling_a_reservation_never_made_names_tenant_and_reservation() {
    start();
    openAccount(OverdraftPolicy.reject());
    grant(promo(100));
    ReservationId never = ReservationId.of("res_never");

    ReservationNotFoundException e =
        refused(ReservationNotFoundException.class, () -> settle("settle-never", never, 10));

    assertThat(e.tenant()).isEqualTo(ACME);
    assertThat(e.reservation()).isEqualTo(never);
    assertBalances(100, 100, 0, 0);
  }

  @Test
  void a_charge_that_loses_the_race_for_every_attempt_names_the_account_and_the_attempts() {
    CrashingStore[] racing = new CrashingStore[1];
    start(b -> b.maxAttempts(3), real -> racing[0] = new CrashingStore(real));
    openAccount(OverdraftPolicy.reject());
    grant(promo(100));
    racing[0].conflictOnEveryCommit();

    ConcurrentUpdateException e = refused(ConcurrentUpdateException.class, () -> use(10));

    assertThat(e.tenant()).isEqualTo(ACME);
    assertThat(e.account()).isEqualTo(LAB);
    assertThat(e.attempts()).isEqualTo(3);
    assertBalances(100, 100, 0, 0);
  }

  static GrantRequest.Builder named(String name) {
    return GrantRequest.builder(ACME, LAB, credits(100)).name(name);
  }

  @Test
  void a_host_order_decides_which_grant_pays_and_creation_order_breaks_its_ties() {
    // The host pays from grants by name, alphabetically, whatever their priority or age.
    start(b -> b.grantOrder(Comparator.comparing(Grant::name)), UnaryOperator.identity());
    openAccount(OverdraftPolicy.reject());
    GrantResult zeta = grant(named("zeta"));
    GrantResult alphaOlder = grant(named("alpha"));
    GrantResult alphaNewer = grant(named("alpha"));

    ChargeResult charged = use(150);

    // The standard order would take zeta first (same priority, expiry, cost and time: the oldest).
    assertThat(charged.allocations())
        .extracting(Allocation::grant, a -> a.amount().minor())
        .containsExactly(tuple(alphaOlder.grant().id(), 100L), tuple(alphaNewer.grant().id(), 50L));
    assertThat(remainingOf(zeta)).isEqualTo(100);
    assertBalances(150, 150, 0, 0);
  }
}
