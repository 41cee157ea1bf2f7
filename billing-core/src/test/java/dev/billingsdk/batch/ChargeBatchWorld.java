package dev.billingsdk.batch;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.BillingException;
import dev.billingsdk.IdGenerator;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Allocation;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeOutcome;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.Credits;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.event.BillingEvent;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.AccountSnapshot;
import dev.billingsdk.testing.TestClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * One in-memory store (counted), a clock that only the test moves, sequential ids and a listener
 * that hears every event; the helpers speak charges. Two worlds built the same way and given the
 * same setup hold the same grant ids, so their ledgers compare directly.
 */
final class ChargeBatchWorld {
  static final TenantId TENANT = TenantId.of("acme");
  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 0);
  static final CreditUnit TOKENS = CreditUnit.of("TOKENS", 0);
  static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  static final Actor ADMIN = Actor.of("ops", Role.ADMIN);
  static final Actor USER = Actor.of("someone", Role.USER);

  final TestClock clock = new TestClock(T0);
  final CountingStore store = new CountingStore(InMemoryBillingStore.create());
  final List<BillingEvent> events = Collections.synchronizedList(new ArrayList<>());
  final Billing billing;
  private int keys;

  ChargeBatchWorld() {
    this(0);
  }

  /**
   * @param coalesce the builder's coalescing batch size; 0 leaves coalescing off
   */
  ChargeBatchWorld(int coalesce) {
    this(coalesce, 0);
  }

  /**
   * @param coalesce the builder's coalescing batch size; 0 leaves coalescing off
   * @param sharedLanes above 0, coalescing across accounts in this many lanes; 0, per account
   */
  ChargeBatchWorld(int coalesce, int sharedLanes) {
    Billing.Builder b =
        Billing.builder()
            .store(store)
            .clock(clock)
            .ids(IdGenerator.sequential())
            .maxAttempts(10_000)
            .listener(events::add);
    if (coalesce > 0 && sharedLanes > 0) {
      b.coalesceChargesAcrossAccounts(coalesce, sharedLanes);
    } else if (coalesce > 0) {
      b.coalesceCharges(coalesce);
    }
    this.billing = b.build();
  }

  Credits credits() {
    return billing.credits();
  }

  static Amount credits(long n) {
    return Amount.ofMinor(CREDIT, n);
  }

  AccountId open(String name, OverdraftPolicy policy) {
    AccountId id = AccountId.of(name);
    credits()
        .openAccount(
            OpenAccountRequest.builder(TENANT, id, CREDIT)
                .actor(ADMIN)
                .overdraftPolicy(policy)
                .build());
    return id;
  }

  GrantResult grant(AccountId account, long n, Consumer<GrantRequest.Builder> terms) {
    GrantRequest.Builder b =
        GrantRequest.builder(TENANT, account, credits(n))
            .idempotencyKey(IdempotencyKey.of("grant-" + (++keys)))
            .actor(ADMIN)
            .reason("test grant");
    terms.accept(b);
    return credits().grant(b.build());
  }

  static ChargeRequest usage(AccountId account, String key, long n) {
    return charge(account, key, ChargeKind.USAGE, "tokens", n);
  }

  static ChargeRequest charge(AccountId account, String key, ChargeKind kind, String item, long n) {
    return ChargeRequest.builder(TENANT, account, Charge.of(kind, item, credits(n)))
        .idempotencyKey(IdempotencyKey.of(key))
        .actor(ADMIN)
        .reason("use")
        .build();
  }

  /** Sequential charges, each answer as chargeAll would give it. */
  List<ChargeOutcome> sequentially(List<ChargeRequest> requests) {
    List<ChargeOutcome> out = new ArrayList<>();
    for (ChargeRequest r : requests) {
      try {
        out.add(new ChargeOutcome.Charged(credits().charge(r)));
      } catch (BillingException e) {
        out.add(new ChargeOutcome.Refused(e));
      }
    }
    return out;
  }

  /** An outcome without generated ids: what two worlds must agree on. */
  static String describe(ChargeOutcome o) {
    if (o instanceof ChargeOutcome.Refused r) {
      return "refused " + r.reason().getClass().getSimpleName();
    }
    ChargeResult c = o.result();
    List<String> allocations = new ArrayList<>();
    for (Allocation a : c.allocations()) {
      allocations.add(a.grant() + "=" + a.amount().minor());
    }
    return (c.replayed() ? "replayed " : "charged ")
        + c.transaction().idempotencyKey()
        + " type="
        + c.transaction().type()
        + " requested="
        + c.requested().minor()
        + " charged="
        + c.charged().minor()
        + " overdraft="
        + c.fromOverdraft().minor()
        + " shortfall="
        + c.shortfall().minor()
        + " from="
        + allocations;
  }

  /** The account's ledger and balances without generated transaction ids. */
  String ledgerOf(AccountId account) {
    StringBuilder s = new StringBuilder();
    for (LedgerTransaction t : store.transactions(TENANT, account)) {
      s.append(t.type())
          .append(' ')
          .append(t.idempotencyKey())
          .append(' ')
          .append(t.postings())
          .append(' ')
          .append(new java.util.TreeMap<>(t.references()))
          .append('\n');
    }
    for (GrantBalance g : store.grants(TENANT, account)) {
      s.append(g.grant().id()).append(" left ").append(g.remaining().minor()).append('\n');
    }
    AccountSnapshot snapshot = store.loadAccount(TENANT, account).orElseThrow();
    s.append("overdraft ").append(snapshot.overdraft().minor());
    s.append(" alert ").append(snapshot.alert().map(a -> a.below()).orElse(null));
    return s.toString();
  }

  /** Every event heard, without generated ids. */
  List<String> eventsHeard() {
    List<String> out = new ArrayList<>();
    synchronized (events) {
      for (BillingEvent e : events) {
        out.add(e.getClass().getSimpleName() + " " + e.account());
      }
    }
    return out;
  }
}
