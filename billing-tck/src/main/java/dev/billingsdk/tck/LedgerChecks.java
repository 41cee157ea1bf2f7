package dev.billingsdk.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.GrantId;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.Reservation;
import dev.billingsdk.credit.ReservationState;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.spi.AccountSnapshot;
import dev.billingsdk.spi.BillingStore;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The ledger-wide rules, checked from what a store returns: conservation (rule 1: what the grants,
 * the active reservations and the overdraft hold together equals what was issued minus what was
 * consumed, voided and expired), balances equal a replay of the ledger (the RESERVED balance
 * included: it equals what the ACTIVE reservations hold), no grant below zero or above its amount,
 * no overdraft beyond the policy (rule 4), one transaction per idempotency key (rule 5).
 */
public final class LedgerChecks {
  private LedgerChecks() {}

  /** Asserts every ledger-wide rule for one account. */
  public static void assertConsistent(BillingStore store, TenantId tenant, AccountId account) {
    check(store, tenant, account, true, true, true);
  }

  /**
   * Rule 1: postings sum to zero, and issued credit equals what grants, reservations and the
   * overdraft hold + spent + voided + expired.
   */
  public static void assertConservation(BillingStore store, TenantId tenant, AccountId account) {
    check(store, tenant, account, true, false, false);
  }

  /**
   * Stored grant and overdraft balances equal a replay of the ledger, and the RESERVED balance
   * equals what the account's ACTIVE reservations hold.
   */
  public static void assertBalancesEqualReplay(
      BillingStore store, TenantId tenant, AccountId account) {
    check(store, tenant, account, false, true, false);
  }

  /** Rule 4: no grant below zero or above its amount; no overdraft beyond the policy. */
  public static void assertWithinPolicy(BillingStore store, TenantId tenant, AccountId account) {
    check(store, tenant, account, false, false, true);
  }

  private static void check(
      BillingStore store,
      TenantId tenant,
      AccountId account,
      boolean conservation,
      boolean replayed,
      boolean policy) {
    AccountSnapshot snapshot = store.loadAccount(tenant, account).orElseThrow();
    Account acc = snapshot.account();
    Map<LedgerAccount, Long> replay = new HashMap<>();
    Set<String> keys = new HashSet<>();
    Set<String> ids = new HashSet<>();
    long previousSequence = Long.MIN_VALUE;
    LedgerAccount reservedAccount = LedgerAccount.counter(LedgerAccount.Kind.RESERVED);
    for (LedgerTransaction t : store.transactions(tenant, account)) {
      assertThat(t.tenant()).as("tenant of %s", t.id()).isEqualTo(tenant);
      assertThat(t.account()).as("account of %s", t.id()).isEqualTo(account);
      assertThat(keys.add(t.idempotencyKey().value()))
          .as("idempotency key %s posted once (rule 5)", t.idempotencyKey())
          .isTrue();
      assertThat(ids.add(t.id().value())).as("transaction id %s unique", t.id()).isTrue();
      assertThat(t.sequence()).as("transactions in sequence order").isGreaterThan(previousSequence);
      previousSequence = t.sequence();
      long sum = 0;
      for (Posting p : t.postings()) {
        assertThat(p.amount().unit())
            .as("posting unit of %s (rule 8)", t.id())
            .isEqualTo(acc.unit());
        sum = Math.addExact(sum, p.amount().minor());
        replay.merge(p.account(), p.amount().minor(), Math::addExact);
      }
      if (conservation) {
        assertThat(sum).as("postings of %s sum to zero (rule 1)", t.id()).isZero();
      }
      if (replayed) {
        assertThat(replay.getOrDefault(reservedAccount, 0L))
            .as("RESERVED never negative, after %s", t.id())
            .isNotNegative();
      }
    }
    long total = 0;
    for (GrantBalance g : store.grants(tenant, account)) {
      if (replayed) {
        assertThat(g.remaining().minor())
            .as("grant %s balance equals ledger replay", g.grant().id())
            .isEqualTo(replay.getOrDefault(LedgerAccount.grant(g.grant().id()), 0L));
      }
      if (policy) {
        assertThat(g.remaining().minor())
            .as("grant %s between zero and its amount", g.grant().id())
            .isBetween(0L, g.grant().amount().minor());
      }
      total += g.remaining().minor();
    }
    Map<GrantId, Long> live = new HashMap<>();
    for (GrantBalance g : snapshot.liveGrants()) {
      live.put(g.grant().id(), g.remaining().minor());
    }
    for (GrantBalance g : store.grants(tenant, account)) {
      long expected = g.remaining().minor();
      assertThat(live.getOrDefault(g.grant().id(), 0L))
          .as("snapshot's live grant %s agrees with the grant list", g.grant().id())
          .isEqualTo(expected);
    }
    long overdraft = replay.getOrDefault(LedgerAccount.counter(LedgerAccount.Kind.OVERDRAFT), 0L);
    assertThat(snapshot.overdraft().minor())
        .as("overdraft balance equals ledger replay")
        .isEqualTo(overdraft);
    long floor = acc.overdraftPolicy() instanceof OverdraftPolicy.Limit l ? -l.limit().minor() : 0L;
    assertThat(overdraft)
        .as("overdraft within policy %s (rule 4)", acc.overdraftPolicy())
        .isBetween(floor, 0L);
    long reserved = replay.getOrDefault(reservedAccount, 0L);
    if (replayed) {
      long held = 0;
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
        held = Math.addExact(held, r.held().minor());
      }
      assertThat(reserved)
          .as("RESERVED balance equals what the ACTIVE reservations hold")
          .isEqualTo(held);
    }
    // Conservation across the whole account: credit issued = what the grants and the active
    // reservations hold + spent + voided + expired - what is owed.
    long issued = -replay.getOrDefault(LedgerAccount.counter(LedgerAccount.Kind.ISSUED), 0L);
    long out =
        replay.getOrDefault(LedgerAccount.counter(LedgerAccount.Kind.CONSUMED), 0L)
            + replay.getOrDefault(LedgerAccount.counter(LedgerAccount.Kind.VOIDED), 0L)
            + replay.getOrDefault(LedgerAccount.counter(LedgerAccount.Kind.EXPIRED), 0L);
    assertThat(total + overdraft + reserved)
        .as("grants + overdraft + reserved = issued - consumed - voided - expired (rule 1)")
        .isEqualTo(issued - out);
  }
}
