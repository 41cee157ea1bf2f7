package dev.billingsdk.tck;

import dev.billingsdk.AccessPolicy;
import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdGenerator;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.Credits;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.ReleaseRequest;
import dev.billingsdk.credit.Reservation;
import dev.billingsdk.credit.ReservationId;
import dev.billingsdk.credit.ReservationResult;
import dev.billingsdk.credit.ReservationState;
import dev.billingsdk.credit.Reservations;
import dev.billingsdk.credit.ReserveRequest;
import dev.billingsdk.credit.ReversalResult;
import dev.billingsdk.credit.ReverseRequest;
import dev.billingsdk.credit.SettleRequest;
import dev.billingsdk.credit.SettlementResult;
import dev.billingsdk.credit.VoidGrantRequest;
import dev.billingsdk.credit.VoidResult;
import dev.billingsdk.event.BillingEvent;
import dev.billingsdk.event.ChargePosted;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.LedgerWrite;
import dev.billingsdk.spi.OutboxEntry;
import dev.billingsdk.testkit.BillingArbitraries;
import dev.billingsdk.testkit.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** One test's world: a store, a fresh tenant in it, a hand-moved clock and the services. */
public final class TckFixture {
  public static final CreditUnit CREDIT = BillingArbitraries.CREDIT;
  public static final Instant START = TestClock.DEFAULT_START;
  public static final Actor ADMIN = Actor.of("tck-admin", Role.ADMIN);

  /**
   * How many pending outbox events {@link #pendingEvents()} reads to find this tenant's. The outbox
   * is one queue across tenants; an adapter whose shared store keeps more unacknowledged events
   * than this should clear its outbox between runs.
   */
  public static final int OUTBOX_SCAN = 100_000;

  /** The time-to-live of {@link #reserve(AccountId, long)}. */
  public static final Duration TTL = Duration.ofHours(1);

  public final BillingStore store;
  public final TenantId tenant;
  public final TestClock clock;
  public final Billing billing;
  private final AtomicLong keys = new AtomicLong();

  public TckFixture(BillingStore store) {
    this.store = store;
    this.tenant = TenantId.of("tck-" + UUID.randomUUID());
    this.clock = new TestClock(START);
    this.billing =
        Billing.builder()
            .store(store)
            .clock(clock)
            .ids(IdGenerator.randomUuids())
            .accessPolicy(AccessPolicy.allowAll())
            .maxAttempts(10_000)
            .build();
  }

  public Credits credits() {
    return billing.credits();
  }

  public static Amount credits(long minor) {
    return Amount.ofMinor(CREDIT, minor);
  }

  public AccountId open(String name, OverdraftPolicy policy) {
    AccountId id = AccountId.of(name);
    credits()
        .openAccount(
            OpenAccountRequest.builder(tenant, id, CREDIT)
                .actor(ADMIN)
                .overdraftPolicy(policy)
                .build());
    return id;
  }

  public AccountId open(String name) {
    return open(name, OverdraftPolicy.reject());
  }

  public IdempotencyKey nextKey() {
    return IdempotencyKey.of("k-" + keys.incrementAndGet());
  }

  public GrantResult grant(AccountId account, long minor, Consumer<GrantRequest.Builder> terms) {
    GrantRequest.Builder b =
        GrantRequest.builder(tenant, account, credits(minor))
            .idempotencyKey(nextKey())
            .actor(ADMIN)
            .reason("tck grant");
    terms.accept(b);
    return credits().grant(b.build());
  }

  public GrantResult grant(AccountId account, long minor) {
    return grant(account, minor, b -> {});
  }

  public ChargeRequest chargeRequest(AccountId account, ChargeKind kind, String item, long minor) {
    return ChargeRequest.builder(tenant, account, Charge.of(kind, item, credits(minor)))
        .idempotencyKey(nextKey())
        .actor(ADMIN)
        .reason("tck charge")
        .build();
  }

  public ChargeResult charge(AccountId account, ChargeKind kind, String item, long minor) {
    return credits().charge(chargeRequest(account, kind, item, minor));
  }

  public ChargeResult usage(AccountId account, long minor) {
    return charge(account, ChargeKind.USAGE, "tokens", minor);
  }

  public StoreState state(AccountId account) {
    return StoreState.of(store, tenant, account);
  }

  public long remaining(GrantResult grant) {
    return store.findGrant(tenant, grant.grant().id()).orElseThrow().remaining().minor();
  }

  public Account account(AccountId account) {
    return store.findAccount(tenant, account).orElseThrow();
  }

  /**
   * A raw usage-debit transaction on one grant, built by hand for store-level tests (the SPI must
   * refuse bad writes itself, whatever a service decides).
   */
  public LedgerTransaction rawDebit(
      AccountId account, GrantResult grant, long minor, IdempotencyKey key) {
    return raw(account, key, LedgerAccount.grant(grant.grant().id()), minor);
  }

  /** A raw transaction that only moves the account's overdraft. */
  public LedgerTransaction rawOverdraft(AccountId account, long minor, IdempotencyKey key) {
    return raw(account, key, LedgerAccount.counter(LedgerAccount.Kind.OVERDRAFT), minor);
  }

  /** A usage debit of {@code minor} from {@code from} to CONSUMED. */
  private LedgerTransaction raw(
      AccountId account, IdempotencyKey key, LedgerAccount from, long minor) {
    return rawTransaction(
        account,
        TransactionType.USAGE_DEBIT,
        key,
        List.of(
            Posting.of(from, credits(-minor)),
            Posting.of(LedgerAccount.counter(LedgerAccount.Kind.CONSUMED), credits(minor))));
  }

  /** A hand-built transaction of the account, recorded now, with the next sequence. */
  public LedgerTransaction rawTransaction(
      AccountId account, TransactionType type, IdempotencyKey key, List<Posting> postings) {
    return new LedgerTransaction(
        TransactionId.of("raw-" + UUID.randomUUID()),
        tenant,
        account,
        type,
        key,
        "sha256:raw-" + key,
        ADMIN,
        "tck raw " + type.name().toLowerCase(),
        clock.instant(),
        postings,
        Map.of(),
        store.nextSequence());
  }

  /** {@code t} with {@code references} instead of its own (for hand-built transactions). */
  public static LedgerTransaction withReferences(
      LedgerTransaction t, Map<String, String> references) {
    return new LedgerTransaction(
        t.id(),
        t.tenant(),
        t.account(),
        t.type(),
        t.idempotencyKey(),
        t.fingerprint(),
        t.actor(),
        t.reason(),
        t.recordedAt(),
        t.postings(),
        references,
        t.sequence());
  }

  /** A posting of {@code minor} on one of the account's counters. */
  public static Posting on(LedgerAccount.Kind counter, long minor) {
    return Posting.of(LedgerAccount.counter(counter), credits(minor));
  }

  /** A posting of {@code minor} on a grant. */
  public static Posting on(GrantResult grant, long minor) {
    return Posting.of(LedgerAccount.grant(grant.grant().id()), credits(minor));
  }

  /**
   * A hand-built hold at the account's current version: {@code reserved} moves from {@code grant}
   * to RESERVED, and a new ACTIVE reservation {@code id} that says it holds {@code held} opens with
   * time-to-live {@link #TTL}. A correct hold has {@code reserved == held}.
   */
  public LedgerWrite rawHold(
      AccountId account, GrantResult grant, long reserved, ReservationId id, long held) {
    LedgerTransaction t =
        rawTransaction(
            account,
            TransactionType.HOLD,
            nextKey(),
            List.of(on(grant, -reserved), on(LedgerAccount.Kind.RESERVED, reserved)));
    Reservation r =
        new Reservation(
            id,
            tenant,
            account,
            ChargeKind.USAGE,
            "tokens",
            credits(held),
            t.id(),
            clock.instant(),
            clock.instant().plus(TTL),
            ReservationState.ACTIVE,
            Optional.empty(),
            t.sequence());
    return LedgerWrite.of(t, version(account)).withReservations(List.of(r), Map.of());
  }

  /**
   * A hand-built resolution of reservation {@code id}: {@code minor} leaves RESERVED and goes back
   * to {@code grant}, and the reservation moves to {@code state}.
   */
  public LedgerWrite rawResolve(
      AccountId account, GrantResult grant, long minor, ReservationId id, ReservationState state) {
    LedgerTransaction t =
        rawTransaction(
            account,
            TransactionType.RELEASE,
            nextKey(),
            List.of(on(LedgerAccount.Kind.RESERVED, -minor), on(grant, minor)));
    return LedgerWrite.of(t, version(account)).withReservations(List.of(), Map.of(id, state));
  }

  /** An outbox event naming {@code t}, for hand-built writes. */
  public static BillingEvent eventFor(LedgerTransaction t) {
    return new ChargePosted(
        t.id().value() + "/tck-event",
        t.tenant(),
        t.account(),
        t.recordedAt(),
        t.id(),
        t.type(),
        ChargeKind.USAGE,
        "tokens",
        credits(1),
        credits(1));
  }

  // ------------------------------------------------------------------ the credit lifecycle

  public Reservations reservations() {
    return billing.reservations();
  }

  public ReserveRequest reserveRequest(AccountId account, long minor, Duration ttl) {
    return ReserveRequest.builder(tenant, account, Charge.usage("tokens", credits(minor)))
        .timeToLive(ttl)
        .idempotencyKey(nextKey())
        .actor(ADMIN)
        .reason("tck reserve")
        .build();
  }

  public ReservationResult reserve(AccountId account, long minor, Duration ttl) {
    return reservations().reserve(reserveRequest(account, minor, ttl));
  }

  /** Reserves {@code minor} for {@link #TTL}. */
  public ReservationResult reserve(AccountId account, long minor) {
    return reserve(account, minor, TTL);
  }

  public SettleRequest settleRequest(ReservationId reservation, long actual) {
    return SettleRequest.builder(tenant, reservation, credits(actual))
        .idempotencyKey(nextKey())
        .actor(ADMIN)
        .reason("tck settle")
        .build();
  }

  public SettlementResult settle(ReservationId reservation, long actual) {
    return reservations().settle(settleRequest(reservation, actual));
  }

  public ReleaseRequest releaseRequest(ReservationId reservation) {
    return ReleaseRequest.builder(tenant, reservation)
        .idempotencyKey(nextKey())
        .actor(ADMIN)
        .reason("tck release")
        .build();
  }

  public ReservationResult release(ReservationId reservation) {
    return reservations().release(releaseRequest(reservation));
  }

  /** Reverses {@code minor} of the debit {@code original}. */
  public ReversalResult reverse(AccountId account, TransactionId original, long minor) {
    return credits()
        .reverse(
            ReverseRequest.builder(tenant, account, original)
                .amount(credits(minor))
                .idempotencyKey(nextKey())
                .actor(ADMIN)
                .reason("tck reversal")
                .build());
  }

  /** Reverses all that is left of the debit {@code original}. */
  public ReversalResult reverseAll(AccountId account, TransactionId original) {
    return credits()
        .reverse(
            ReverseRequest.builder(tenant, account, original)
                .idempotencyKey(nextKey())
                .actor(ADMIN)
                .reason("tck reversal")
                .build());
  }

  public VoidResult voidGrant(AccountId account, GrantResult grant) {
    return credits()
        .voidGrant(
            VoidGrantRequest.builder(tenant, account, grant.grant().id())
                .idempotencyKey(nextKey())
                .actor(ADMIN)
                .reason("tck void")
                .build());
  }

  /** What the account's active reservations hold, as the store's snapshot says. */
  public long reserved(AccountId account) {
    return store.loadAccount(tenant, account).orElseThrow().reserved().minor();
  }

  /** The stored reservation. */
  public Reservation reservation(ReservationId id) {
    return store.findReservation(tenant, id).orElseThrow();
  }

  /** This tenant's pending outbox entries, in the order the store returns them. */
  public List<OutboxEntry> pendingEvents() {
    List<OutboxEntry> mine = new ArrayList<>();
    for (OutboxEntry e : store.pendingEvents(OUTBOX_SCAN)) {
      if (e.event().tenant().equals(tenant)) {
        mine.add(e);
      }
    }
    return mine;
  }

  /** The events of {@link #pendingEvents()}. */
  public List<BillingEvent> pendingEventsOnly() {
    return pendingEvents().stream().map(OutboxEntry::event).toList();
  }

  /** The transactions of the account that move credit out of RESERVED: its resolutions. */
  public List<LedgerTransaction> resolutions(AccountId account) {
    return store.transactions(tenant, account).stream()
        .filter(t -> t.minorOn(LedgerAccount.counter(LedgerAccount.Kind.RESERVED)) < 0)
        .toList();
  }

  /**
   * The transaction an event reports on, for the library's event types; empty for an event type
   * that names none.
   */
  public static Optional<TransactionId> transactionOf(BillingEvent e) {
    if (e instanceof dev.billingsdk.event.GrantCreated x) {
      return Optional.of(x.transaction());
    } else if (e instanceof ChargePosted x) {
      return Optional.of(x.transaction());
    } else if (e instanceof dev.billingsdk.event.GrantVoided x) {
      return Optional.of(x.transaction());
    } else if (e instanceof dev.billingsdk.event.CreditsDeducted x) {
      return Optional.of(x.transaction());
    } else if (e instanceof dev.billingsdk.event.GrantExpired x) {
      return Optional.of(x.transaction());
    } else if (e instanceof dev.billingsdk.event.DebitReversed x) {
      return Optional.of(x.reversal());
    } else if (e instanceof dev.billingsdk.event.InvoiceCreditsApplied x) {
      return Optional.of(x.transaction());
    } else if (e instanceof dev.billingsdk.event.ReservationCreated x) {
      return Optional.of(x.transaction());
    } else if (e instanceof dev.billingsdk.event.ReservationSettled x) {
      return Optional.of(x.transaction());
    } else if (e instanceof dev.billingsdk.event.ReservationReleased x) {
      return Optional.of(x.transaction());
    } else if (e instanceof dev.billingsdk.event.ReservationExpired x) {
      return Optional.of(x.transaction());
    } else if (e instanceof dev.billingsdk.event.BalanceBelowThreshold x) {
      return Optional.of(x.transaction());
    } else if (e instanceof dev.billingsdk.event.BalanceRecovered x) {
      return Optional.of(x.transaction());
    }
    return Optional.empty();
  }

  /** The ids of {@code transactions}. */
  public static Set<TransactionId> ids(List<LedgerTransaction> transactions) {
    return Set.copyOf(transactions.stream().map(LedgerTransaction::id).toList());
  }

  public long version(AccountId account) {
    return store.loadAccount(tenant, account).orElseThrow().version();
  }

  public void assertConsistent(AccountId account) {
    StoreLedgerChecks.assertConsistent(store, tenant, account);
  }
}
