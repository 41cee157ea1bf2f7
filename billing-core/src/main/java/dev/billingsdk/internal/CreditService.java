package dev.billingsdk.internal;

import dev.billingsdk.AccessPolicy;
import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdGenerator;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Operation;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.AccountBalance;
import dev.billingsdk.credit.AccountNotFoundException;
import dev.billingsdk.credit.Allocation;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeQuote;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.ConcurrentUpdateException;
import dev.billingsdk.credit.Credits;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantId;
import dev.billingsdk.credit.GrantNotFoundException;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.InsufficientCreditException;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.VoidGrantRequest;
import dev.billingsdk.credit.VoidResult;
import dev.billingsdk.ledger.IdempotencyConflictException;
import dev.billingsdk.ledger.Ledger;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.UnitMismatchException;
import dev.billingsdk.spi.AccountSnapshot;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.CommitResult;
import dev.billingsdk.spi.LedgerWrite;
import dev.billingsdk.spi.StoreRejectedException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * The credit services. Every write follows one protocol: check access, look the idempotency key up,
 * read a snapshot, decide in memory, commit with the snapshot's version, and on a version conflict
 * read and decide again (bounded, with jittered back-off).
 */
public final class CreditService implements Credits, Ledger {
  /** Reference keys the library writes on transactions. */
  static final String REF_GRANT = "billing.grant";

  static final String REF_CHARGE_KIND = "billing.chargeKind";
  static final String REF_ITEM = "billing.itemCode";
  static final String REF_REQUESTED = "billing.requested";

  private final BillingStore store;
  private final Clock clock;
  private final IdGenerator ids;
  private final AccessPolicy access;
  private final Comparator<Grant> order;
  private final int maxAttempts;

  public CreditService(
      BillingStore store,
      Clock clock,
      IdGenerator ids,
      AccessPolicy access,
      Comparator<Grant> order,
      int maxAttempts) {
    this.store = store;
    this.clock = clock;
    this.ids = ids;
    this.access = access;
    this.order = order;
    this.maxAttempts = maxAttempts;
  }

  // ---------------------------------------------------------------- accounts

  @Override
  public Account openAccount(OpenAccountRequest r) {
    InvalidRequestException.requireNonNull(r, "request");
    access.check(r.actor(), Operation.OPEN_ACCOUNT, r.tenant());
    Account wanted =
        new Account(
            r.tenant(),
            r.account(),
            r.unit(),
            r.overdraftPolicy(),
            r.metadata(),
            r.actor(),
            clock.instant());
    Account stored = store.insertAccountIfAbsent(wanted);
    boolean sameTerms =
        stored.unit().equals(wanted.unit())
            && stored.overdraftPolicy().equals(wanted.overdraftPolicy())
            && stored.metadata().equals(wanted.metadata());
    if (!sameTerms) {
      throw new IdempotencyConflictException(
          r.tenant(),
          IdempotencyKey.of("account:" + r.account()),
          TransactionId.of("account:" + r.account()));
    }
    return stored;
  }

  @Override
  public Optional<Account> findAccount(TenantId tenant, AccountId account) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    return store.findAccount(tenant, account);
  }

  // ---------------------------------------------------------------- grants

  @Override
  public GrantResult grant(GrantRequest r) {
    InvalidRequestException.requireNonNull(r, "request");
    access.check(r.actor(), Operation.GRANT_CREDITS, r.tenant());
    String fingerprint =
        Fingerprint.of("grant")
            .add("account", r.account())
            .add("amount", r.amount())
            .add("scale", r.amount().unit().scale())
            .add("category", r.category())
            .add("priority", r.priority())
            .add("name", r.name())
            .add("effectiveFrom", r.effectiveFrom().map(Instant::toString).orElse("now"))
            .add("expiresAt", r.expiresAt().map(Instant::toString).orElse("never"))
            .add("scope", r.scope().canonical())
            .add("costBasis", r.costBasis())
            .add("metadata", r.metadata())
            .add("actor", r.actor().id())
            .add("reason", r.reason())
            .digest();
    return write(
        r.tenant(),
        r.account(),
        r.idempotencyKey(),
        fingerprint,
        prior -> replayGrant(prior),
        (snapshot, now) -> {
          requireUnit(snapshot.account(), r.amount());
          // Refuse a grant that would take the account's total past a long: every later balance
          // read would overflow.
          totalOf(snapshot).plus(r.amount());
          Instant effectiveFrom = r.effectiveFrom().orElse(now);
          if (r.expiresAt().isPresent() && !r.expiresAt().get().isAfter(now)) {
            throw new InvalidRequestException(
                "expiresAt", r.expiresAt().get(), "must be in the future (now is " + now + ")");
          }
          Grant grant =
              new Grant(
                  GrantId.of(ids.next("grt_")),
                  r.tenant(),
                  r.account(),
                  r.name(),
                  r.category(),
                  r.priority(),
                  r.amount(),
                  effectiveFrom,
                  r.expiresAt(),
                  r.scope(),
                  r.costBasis(),
                  r.metadata(),
                  r.actor(),
                  now,
                  store.nextSequence());
          List<Posting> postings = new ArrayList<>();
          postings.add(Posting.of(counter(LedgerAccount.Kind.ISSUED), r.amount().negate()));
          postings.add(Posting.of(LedgerAccount.grant(grant.id()), r.amount()));
          // Credit granted while the account owes repays the debt first, if the grant could have
          // paid for anything (scope everything) and is active now.
          long owed = -snapshot.overdraft().minor();
          if (owed > 0 && grant.scope().unrestricted() && grant.isActiveAt(now)) {
            Amount repay = Amount.ofMinor(r.amount().unit(), Math.min(owed, r.amount().minor()));
            postings.add(Posting.of(LedgerAccount.grant(grant.id()), repay.negate()));
            postings.add(Posting.of(counter(LedgerAccount.Kind.OVERDRAFT), repay));
          }
          LedgerTransaction t =
              transaction(
                  r.tenant(),
                  r.account(),
                  TransactionType.GRANT,
                  r.idempotencyKey(),
                  fingerprint,
                  r.actor(),
                  r.reason(),
                  now,
                  postings,
                  Map.of(REF_GRANT, grant.id().value()));
          return new Decision<>(
              new LedgerWrite(t, List.of(grant), Set.of(), snapshot.version()),
              committed -> new GrantResult(grant, committed, false));
        });
  }

  private GrantResult replayGrant(LedgerTransaction prior) {
    GrantId id = GrantId.of(prior.references().get(REF_GRANT));
    Grant grant =
        store
            .findGrant(prior.tenant(), id)
            .orElseThrow(() -> new GrantNotFoundException(prior.tenant(), prior.account(), id))
            .grant();
    return new GrantResult(grant, prior, true);
  }

  // ---------------------------------------------------------------- charges

  @Override
  public ChargeResult charge(ChargeRequest r) {
    InvalidRequestException.requireNonNull(r, "request");
    access.check(r.actor(), Operation.CHARGE, r.tenant());
    Charge c = r.charge();
    String fingerprint =
        Fingerprint.of("charge")
            .add("account", r.account())
            .add("kind", c.kind())
            .add("item", c.itemCode())
            .add("amount", c.amount())
            .add("scale", c.amount().unit().scale())
            .add("actor", r.actor().id())
            .add("reason", r.reason())
            .add("references", r.references())
            .digest();
    return write(
        r.tenant(),
        r.account(),
        r.idempotencyKey(),
        fingerprint,
        prior -> chargeResult(prior, c.amount(), lookupFromStore(prior.tenant()), true),
        (snapshot, now) -> {
          requireUnit(snapshot.account(), c.amount());
          ChargePlan plan = ChargePlan.of(snapshot, c, now, order);
          if (plan.rejected()) {
            throw new InsufficientCreditException(
                r.tenant(), r.account(), c.amount(), plan.eligible().plus(plan.headroom()));
          }
          List<Posting> postings = new ArrayList<>();
          Map<GrantId, Grant> used = new HashMap<>();
          for (ChargePlan.Take take : plan.takes()) {
            postings.add(
                Posting.of(LedgerAccount.grant(take.grant().id()), take.amount().negate()));
            used.put(take.grant().id(), take.grant());
          }
          if (plan.fromOverdraft().isPositive()) {
            postings.add(
                Posting.of(counter(LedgerAccount.Kind.OVERDRAFT), plan.fromOverdraft().negate()));
          }
          Amount charged = plan.charged(c.amount());
          if (charged.isPositive()) {
            postings.add(Posting.of(counter(LedgerAccount.Kind.CONSUMED), charged));
          }
          Map<String, String> refs = new HashMap<>(r.references());
          refs.put(REF_CHARGE_KIND, c.kind().name());
          refs.put(REF_ITEM, c.itemCode());
          refs.put(REF_REQUESTED, Long.toString(c.amount().minor()));
          LedgerTransaction t =
              transaction(
                  r.tenant(),
                  r.account(),
                  c.kind() == ChargeKind.USAGE
                      ? TransactionType.USAGE_DEBIT
                      : TransactionType.CHARGE,
                  r.idempotencyKey(),
                  fingerprint,
                  r.actor(),
                  r.reason(),
                  now,
                  postings,
                  refs);
          return new Decision<>(
              LedgerWrite.of(t, snapshot.version()),
              committed -> chargeResult(committed, c.amount(), used::get, false));
        });
  }

  private Function<GrantId, Grant> lookupFromStore(TenantId tenant) {
    return id -> store.findGrant(tenant, id).map(GrantBalance::grant).orElse(null);
  }

  /** The result of a charge, read back from its transaction (so a replay reads the same). */
  private static ChargeResult chargeResult(
      LedgerTransaction t, Amount requested, Function<GrantId, Grant> grants, boolean replayed) {
    List<Allocation> allocations = new ArrayList<>();
    for (Posting p : t.postings()) {
      if (p.account().isGrant()) {
        Grant g = grants.apply(p.account().grant());
        if (g == null) {
          throw new StoreRejectedException("transaction " + t.id() + " names an unknown grant");
        }
        allocations.add(Allocation.of(g, p.amount().negate()));
      }
    }
    var unit = requested.unit();
    Amount charged = Amount.ofMinor(unit, t.minorOn(counter(LedgerAccount.Kind.CONSUMED)));
    Amount fromOverdraft = Amount.ofMinor(unit, -t.minorOn(counter(LedgerAccount.Kind.OVERDRAFT)));
    return new ChargeResult(
        t, requested, charged, allocations, fromOverdraft, requested.minus(charged), replayed);
  }

  @Override
  public ChargeQuote quote(TenantId tenant, AccountId account, Charge charge) {
    InvalidRequestException.requireNonNull(charge, "charge");
    AccountSnapshot snapshot = snapshot(tenant, account);
    requireUnit(snapshot.account(), charge.amount());
    Instant now = clock.instant();
    ChargePlan plan = ChargePlan.of(snapshot, charge, now, order);
    List<Allocation> allocations =
        plan.takes().stream().map(t -> Allocation.of(t.grant(), t.amount())).toList();
    Amount balance = totalOf(snapshot);
    Amount after = plan.rejected() ? balance : balance.minus(plan.charged(charge.amount()));
    return new ChargeQuote(
        charge, now, allocations, plan.fromOverdraft(), plan.shortfall(), plan.rejected(), after);
  }

  // ---------------------------------------------------------------- voids

  @Override
  public VoidResult voidGrant(VoidGrantRequest r) {
    InvalidRequestException.requireNonNull(r, "request");
    access.check(r.actor(), Operation.VOID_GRANT, r.tenant());
    String fingerprint =
        Fingerprint.of("void")
            .add("account", r.account())
            .add("grant", r.grant())
            .add("actor", r.actor().id())
            .add("reason", r.reason())
            .digest();
    return write(
        r.tenant(),
        r.account(),
        r.idempotencyKey(),
        fingerprint,
        prior -> voidResult(prior, true),
        (snapshot, now) -> {
          GrantBalance g =
              store
                  .findGrant(r.tenant(), r.grant())
                  .filter(b -> b.grant().account().equals(r.account()))
                  .orElseThrow(
                      () -> new GrantNotFoundException(r.tenant(), r.account(), r.grant()));
          if (g.voided()) {
            // Voiding twice is idempotent whatever the key: answer with the first void.
            LedgerTransaction first = firstVoidOf(r.tenant(), r.account(), r.grant());
            return Decision.answered(voidResult(first, true));
          }
          // The snapshot holds the balance as of its version; the store's grant read may be newer,
          // so take the remainder from the snapshot to keep the precondition honest.
          Amount remaining =
              snapshot.liveGrants().stream()
                  .filter(b -> b.grant().id().equals(r.grant()))
                  .findFirst()
                  .map(GrantBalance::remaining)
                  .orElse(Amount.zero(g.remaining().unit()));
          List<Posting> postings = new ArrayList<>();
          if (remaining.isPositive()) {
            postings.add(Posting.of(LedgerAccount.grant(r.grant()), remaining.negate()));
            postings.add(Posting.of(counter(LedgerAccount.Kind.VOIDED), remaining));
          }
          LedgerTransaction t =
              transaction(
                  r.tenant(),
                  r.account(),
                  TransactionType.VOID,
                  r.idempotencyKey(),
                  fingerprint,
                  r.actor(),
                  r.reason(),
                  now,
                  postings,
                  Map.of(REF_GRANT, r.grant().value()));
          return new Decision<>(
              new LedgerWrite(t, List.of(), Set.of(r.grant()), snapshot.version()),
              committed -> voidResult(committed, false));
        });
  }

  private LedgerTransaction firstVoidOf(TenantId tenant, AccountId account, GrantId grant) {
    return store.transactions(tenant, account).stream()
        .filter(t -> t.type() == TransactionType.VOID)
        .filter(t -> grant.value().equals(t.references().get(REF_GRANT)))
        .findFirst()
        .orElseThrow(
            () -> new StoreRejectedException("grant " + grant + " is void without a VOID"));
  }

  private VoidResult voidResult(LedgerTransaction t, boolean replayed) {
    GrantId grant = GrantId.of(t.references().get(REF_GRANT));
    var unit =
        store
            .findGrant(t.tenant(), grant)
            .orElseThrow(() -> new GrantNotFoundException(t.tenant(), t.account(), grant))
            .grant()
            .amount()
            .unit();
    return new VoidResult(
        grant, t, Amount.ofMinor(unit, t.minorOn(counter(LedgerAccount.Kind.VOIDED))), replayed);
  }

  // ---------------------------------------------------------------- reads

  @Override
  public AccountBalance balance(TenantId tenant, AccountId account) {
    AccountSnapshot snapshot = snapshot(tenant, account);
    Instant now = clock.instant();
    var unit = snapshot.account().unit();
    long available = 0;
    Map<GrantCategory, Amount> byCategory = new LinkedHashMap<>();
    List<GrantBalance> grants = new ArrayList<>(snapshot.liveGrants());
    grants.sort(Comparator.comparing(GrantBalance::grant, order));
    for (GrantBalance g : grants) {
      if (g.isAvailableAt(now)) {
        available = Math.addExact(available, g.remaining().minor());
        byCategory.merge(g.grant().category(), g.remaining(), Amount::plus);
      }
    }
    return new AccountBalance(
        snapshot.account(),
        now,
        totalOf(snapshot),
        Amount.ofMinor(unit, available),
        snapshot.overdraft().negate(),
        byCategory,
        grants);
  }

  @Override
  public List<GrantBalance> grants(TenantId tenant, AccountId account) {
    requireAccount(tenant, account);
    return store.grants(tenant, account);
  }

  @Override
  public List<LedgerTransaction> transactions(TenantId tenant, AccountId account) {
    requireAccount(tenant, account);
    return store.transactions(tenant, account);
  }

  @Override
  public Optional<LedgerTransaction> find(TenantId tenant, IdempotencyKey key) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    return store.findTransaction(tenant, key);
  }

  // ---------------------------------------------------------------- the write protocol

  /**
   * A decided write and how to turn its committed transaction into the caller's result; or, with no
   * write, the answer itself (the request needs no write).
   */
  private record Decision<R>(Optional<LedgerWrite> write, Function<LedgerTransaction, R> result) {
    Decision(LedgerWrite write, Function<LedgerTransaction, R> result) {
      this(Optional.of(write), result);
    }

    static <R> Decision<R> answered(R answer) {
      return new Decision<>(Optional.empty(), ignored -> answer);
    }
  }

  @FunctionalInterface
  private interface Decider<R> {
    Decision<R> decide(AccountSnapshot snapshot, Instant now);
  }

  private <R> R write(
      TenantId tenant,
      AccountId account,
      IdempotencyKey key,
      String fingerprint,
      Function<LedgerTransaction, R> replay,
      Decider<R> decider) {
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      Optional<LedgerTransaction> prior = store.findTransaction(tenant, key);
      if (prior.isPresent()) {
        return replayOrConflict(prior.get(), fingerprint, replay);
      }
      AccountSnapshot snapshot = snapshot(tenant, account);
      Decision<R> decision = decider.decide(snapshot, clock.instant());
      if (decision.write().isEmpty()) {
        return decision.result().apply(null);
      }
      CommitResult outcome = store.commit(decision.write().get());
      if (outcome instanceof CommitResult.Committed committed) {
        return decision.result().apply(committed.transaction());
      } else if (outcome instanceof CommitResult.Duplicate duplicate) {
        return replayOrConflict(duplicate.existing(), fingerprint, replay);
      } else if (outcome instanceof CommitResult.Rejected rejected) {
        throw new StoreRejectedException(rejected.reason());
      }
      backOff(attempt);
    }
    throw new ConcurrentUpdateException(tenant, account, maxAttempts);
  }

  private static <R> R replayOrConflict(
      LedgerTransaction prior, String fingerprint, Function<LedgerTransaction, R> replay) {
    if (!prior.fingerprint().equals(fingerprint)) {
      throw new IdempotencyConflictException(prior.tenant(), prior.idempotencyKey(), prior.id());
    }
    return replay.apply(prior);
  }

  private static void backOff(int attempt) {
    if (attempt < 3) {
      Thread.onSpinWait();
      return;
    }
    long ceilingNanos = Math.min(1_000_000L, 1_000L << Math.min(attempt, 10));
    LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(ceilingNanos));
  }

  // ---------------------------------------------------------------- helpers

  private AccountSnapshot snapshot(TenantId tenant, AccountId account) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    return store
        .loadAccount(tenant, account)
        .orElseThrow(() -> new AccountNotFoundException(tenant, account));
  }

  /** Checks the account exists without copying its grants, as a snapshot would. */
  private void requireAccount(TenantId tenant, AccountId account) {
    if (findAccount(tenant, account).isEmpty()) {
      throw new AccountNotFoundException(tenant, account);
    }
  }

  private static Amount totalOf(AccountSnapshot snapshot) {
    Amount total = snapshot.overdraft();
    for (GrantBalance g : snapshot.liveGrants()) {
      total = total.plus(g.remaining());
    }
    return total;
  }

  private static void requireUnit(Account account, Amount amount) {
    if (!account.unit().equals(amount.unit())) {
      throw new UnitMismatchException(account.unit(), amount.unit());
    }
  }

  private static LedgerAccount counter(LedgerAccount.Kind kind) {
    return LedgerAccount.counter(kind);
  }

  private LedgerTransaction transaction(
      TenantId tenant,
      AccountId account,
      TransactionType type,
      IdempotencyKey key,
      String fingerprint,
      Actor actor,
      String reason,
      Instant now,
      List<Posting> postings,
      Map<String, String> references) {
    return new LedgerTransaction(
        TransactionId.of(ids.next("txn_")),
        tenant,
        account,
        type,
        key,
        fingerprint,
        actor,
        reason,
        now,
        postings,
        references,
        store.nextSequence());
  }
}
