package dev.billingsdk.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.GrantId;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.Reservation;
import dev.billingsdk.credit.ReservationState;
import dev.billingsdk.spi.AccountSnapshot;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.testkit.LedgerChecks;
import dev.billingsdk.testkit.LedgerRule;
import dev.billingsdk.testkit.LedgerView;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The ledger-wide rules of the test kit's {@link LedgerChecks}, read straight from a store rather
 * than through the services, plus what only the SPI shows: the snapshot's live grants agree with
 * the grant list, and its reservations are the account's ACTIVE ones, read back as the snapshot has
 * them, each with its hold transaction. A broken rule fails with the kit's {@link
 * dev.billingsdk.testkit.LedgerCheckFailure}, which names it.
 *
 * <p>Every check covers the transactions' form and balance and conservation (rule 1: what the
 * grants and the active reservations hold minus what is owed equals what was issued minus what was
 * consumed, voided and expired); the narrower ones add one rule family each, so that a property
 * failing names the family a store broke.
 */
public final class StoreLedgerChecks {
  private StoreLedgerChecks() {}

  private static final Set<LedgerRule> ALWAYS =
      EnumSet.of(LedgerRule.WELL_FORMED, LedgerRule.BALANCED, LedgerRule.CONSERVATION);

  /** Asserts every ledger-wide rule for one account, reversals included. */
  public static void assertConsistent(BillingStore store, TenantId tenant, AccountId account) {
    check(store, tenant, account, EnumSet.allOf(LedgerRule.class));
  }

  /** Rule 1: every transaction balances, and issued credit is all accounted for. */
  public static void assertConservation(BillingStore store, TenantId tenant, AccountId account) {
    check(store, tenant, account, ALWAYS);
  }

  /**
   * Stored grant balances, the overdraft and the RESERVED balance equal a replay of the ledger, and
   * RESERVED equals what the account's ACTIVE reservations hold.
   */
  public static void assertBalancesEqualReplay(
      BillingStore store, TenantId tenant, AccountId account) {
    check(store, tenant, account, with(LedgerRule.REPLAY));
  }

  /** Rule 4: no grant below zero or above its amount; no overdraft beyond the policy. */
  public static void assertWithinPolicy(BillingStore store, TenantId tenant, AccountId account) {
    check(store, tenant, account, with(LedgerRule.WITHIN_POLICY));
  }

  /**
   * The account as the store holds it: its snapshot's account, overdraft and reservations, its
   * transactions and every grant, without a balance (the balance is the services' reading).
   */
  public static LedgerView view(BillingStore store, TenantId tenant, AccountId account) {
    AccountSnapshot snapshot = store.loadAccount(tenant, account).orElseThrow();
    return new LedgerView(
        snapshot.account(),
        store.transactions(tenant, account),
        store.grants(tenant, account),
        snapshot.reserved(),
        snapshot.overdraft().negate(),
        Optional.empty());
  }

  private static Set<LedgerRule> with(LedgerRule rule) {
    Set<LedgerRule> rules = EnumSet.copyOf(ALWAYS);
    rules.add(rule);
    return rules;
  }

  private static void check(
      BillingStore store, TenantId tenant, AccountId account, Set<LedgerRule> rules) {
    LedgerChecks.assertRules(view(store, tenant, account), rules);
    AccountSnapshot snapshot = store.loadAccount(tenant, account).orElseThrow();
    Map<GrantId, Long> live = new HashMap<>();
    for (GrantBalance g : snapshot.liveGrants()) {
      live.put(g.grant().id(), g.remaining().minor());
    }
    List<GrantBalance> grants = store.grants(tenant, account);
    for (GrantBalance g : grants) {
      assertThat(live.getOrDefault(g.grant().id(), 0L))
          .as("snapshot's live grant %s agrees with the grant list", g.grant().id())
          .isEqualTo(g.remaining().minor());
    }
    if (rules.contains(LedgerRule.REPLAY)) {
      for (Reservation r : snapshot.reservations()) {
        assertThat(r.state())
            .as("snapshot reservation %s is ACTIVE", r.id())
            .isEqualTo(ReservationState.ACTIVE);
        assertThat(r.tenant()).as("tenant of reservation %s", r.id()).isEqualTo(tenant);
        assertThat(r.account()).as("account of reservation %s", r.id()).isEqualTo(account);
        assertThat(store.findReservation(tenant, r.id()))
            .as("reservation %s reads back as the snapshot has it", r.id())
            .contains(r);
        assertThat(store.findTransaction(tenant, r.hold()))
            .as("hold transaction of reservation %s", r.id())
            .hasValueSatisfying(h -> assertThat(h.account()).isEqualTo(account));
      }
    }
  }
}
