package dev.billingsdk.internal.credit;

import dev.billingsdk.AccessPolicy;
import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.BillingException;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Operation;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.AccountBalance;
import dev.billingsdk.credit.Allocation;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeOutcome;
import dev.billingsdk.credit.ChargeQuote;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.ConcurrentUpdateException;
import dev.billingsdk.credit.Credits;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantNotFoundException;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.InsufficientCreditException;
import dev.billingsdk.credit.LowBalanceAlert;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.Restoration;
import dev.billingsdk.credit.ReversalLimitExceededException;
import dev.billingsdk.credit.ReversalResult;
import dev.billingsdk.credit.ReverseRequest;
import dev.billingsdk.credit.VoidGrantRequest;
import dev.billingsdk.credit.VoidResult;
import dev.billingsdk.event.ChargePosted;
import dev.billingsdk.event.DebitReversed;
import dev.billingsdk.event.GrantCreated;
import dev.billingsdk.event.GrantVoided;
import dev.billingsdk.internal.ledger.Fingerprint;
import dev.billingsdk.ledger.IdempotencyConflictException;
import dev.billingsdk.ledger.Ledger;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.ledger.TransactionFilter;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.ledger.TransactionPage;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.money.Amount;
import dev.billingsdk.spi.AccountSnapshot;
import dev.billingsdk.spi.AlertState;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.CommitResult;
import dev.billingsdk.spi.LedgerWrite;
import dev.billingsdk.spi.StoreRejectedException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

  private final Writer w;
  private final BillingStore store;
  private final Clock clock;
  private final AccessPolicy access;
  private final Comparator<Grant> order;
  private final Restorer restorer;
  private final ChargeCoalescer coalescer;

  public CreditService(Writer writer, AccessPolicy access) {
    this(writer, access, 0);
  }

  /**
   * @param coalesceMaxBatch above zero, concurrent charges of one account are combined into batches
   *     of at most this many requests ({@link ChargeCoalescer}); zero, every charge commits on its
   *     own
   */
  public CreditService(Writer writer, AccessPolicy access, int coalesceMaxBatch) {
    this.w = writer;
    this.store = writer.store;
    this.clock = writer.clock;
    this.access = access;
    this.order = writer.order;
    this.restorer = new Restorer(writer);
    this.coalescer =
        coalesceMaxBatch > 0
            ? new ChargeCoalescer(
                coalesceMaxBatch, this::chargeAuthorised, this::chargeAllAuthorised)
            : null;
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
            clock.instant(),
            r.externalKey());
    Account stored = store.insertAccountIfAbsent(wanted);
    boolean sameTerms =
        stored.unit().equals(wanted.unit())
            && stored.overdraftPolicy().equals(wanted.overdraftPolicy())
            && stored.metadata().equals(wanted.metadata())
            && stored.externalKey().equals(wanted.externalKey());
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

  @Override
  public Optional<Account> findAccountByKey(TenantId tenant, String externalKey) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InputContract.identifier(externalKey, "externalKey");
    return store.findAccountByKey(tenant, externalKey);
  }

  // ---------------------------------------------------------------- grants

  @Override
  public GrantResult grant(GrantRequest r) {
    InvalidRequestException.requireNonNull(r, "request");
    access.check(r.actor(), Operation.GRANT_CREDITS, r.tenant());
    return grantAuthorised(r);
  }

  /** A grant whose actor the caller has already authorised (the deduction's usage credit). */
  public GrantResult grantAuthorised(GrantRequest r) {
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
    return w.write(
        r.tenant(),
        r.account(),
        r.idempotencyKey(),
        fingerprint,
        prior -> replayGrant(prior),
        (snapshot, now) -> {
          Writer.requireUnit(snapshot.account(), r.amount());
          // Refuse a grant that would take the account's total past a long: every later balance
          // read would overflow.
          Writer.totalOf(snapshot).plus(r.amount());
          Instant effectiveFrom = r.effectiveFrom().orElse(now);
          if (r.expiresAt().isPresent() && !r.expiresAt().get().isAfter(now)) {
            throw new InvalidRequestException(
                "expiresAt", r.expiresAt().get(), "must be in the future (now is " + now + ")");
          }
          Grant grant =
              new Grant(
                  GrantId.of(w.ids.next("grt_")),
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
          postings.add(Posting.of(Writer.counter(LedgerAccount.Kind.ISSUED), r.amount().negate()));
          postings.add(Posting.of(LedgerAccount.grant(grant.id()), r.amount()));
          // Credit granted while the account owes repays the debt first, if the grant could have
          // paid for anything (scope everything) and is active now.
          long owed = -snapshot.overdraft().minor();
          if (owed > 0 && grant.scope().unrestricted() && grant.isActiveAt(now)) {
            Amount repay = Amount.ofMinor(r.amount().unit(), Math.min(owed, r.amount().minor()));
            postings.add(Posting.of(LedgerAccount.grant(grant.id()), repay.negate()));
            postings.add(Posting.of(Writer.counter(LedgerAccount.Kind.OVERDRAFT), repay));
          }
          LedgerTransaction t =
              w.transaction(
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
          return new Writer.Decision<>(
              new LedgerWrite(t, List.of(grant), Set.of(), snapshot.version())
                  .withEvents(
                      List.of(
                          new GrantCreated(
                              Writer.eventId(t, "grant-created"),
                              t.tenant(),
                              t.account(),
                              now,
                              grant.id(),
                              grant.category(),
                              grant.amount(),
                              t.id()))),
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
    return coalescer == null ? chargeAuthorised(r) : coalescer.charge(r);
  }

  /** A charge whose actor the caller has already authorised (the deduction's usage debit). */
  public ChargeResult chargeAuthorised(ChargeRequest r) {
    String fingerprint = chargeFingerprint(r);
    Amount requested = r.charge().amount();
    return w.write(
        r.tenant(),
        r.account(),
        r.idempotencyKey(),
        fingerprint,
        prior -> chargeResult(prior, requested, lookupFromStore(prior.tenant()), true),
        (snapshot, now) -> decideCharge(r, fingerprint, snapshot, now));
  }

  private static String chargeFingerprint(ChargeRequest r) {
    Charge c = r.charge();
    return Fingerprint.of("charge")
        .add("account", r.account())
        .add("kind", c.kind())
        .add("item", c.itemCode())
        .add("amount", c.amount())
        .add("scale", c.amount().unit().scale())
        .add("actor", r.actor().id())
        .add("reason", r.reason())
        .add("references", r.references())
        .digest();
  }

  /** The decision of one charge on a snapshot: its write (without the alert), or a refusal. */
  private Writer.Decision<ChargeResult> decideCharge(
      ChargeRequest r, String fingerprint, AccountSnapshot snapshot, Instant now) {
    Charge c = r.charge();
    Writer.requireUnit(snapshot.account(), c.amount());
    ChargePlan plan = ChargePlan.of(snapshot, c, now, order);
    if (plan.rejected()) {
      throw new InsufficientCreditException(
          r.tenant(), r.account(), c.amount(), plan.eligible().plus(plan.headroom()));
    }
    List<Posting> postings = plan.debitPostings();
    Map<GrantId, Grant> used = new HashMap<>();
    plan.takes().forEach(take -> used.put(take.grant().id(), take.grant()));
    Amount charged = plan.charged(c.amount());
    if (charged.isPositive()) {
      postings.add(Posting.of(Writer.counter(LedgerAccount.Kind.CONSUMED), charged));
    }
    Map<String, String> refs = new HashMap<>(r.references());
    refs.putAll(debitReferences(c.kind(), c.itemCode(), c.amount(), plan.lineage()));
    LedgerTransaction t =
        w.transaction(
            r.tenant(),
            r.account(),
            debitType(c.kind()),
            r.idempotencyKey(),
            fingerprint,
            r.actor(),
            r.reason(),
            now,
            postings,
            refs);
    return new Writer.Decision<>(
        LedgerWrite.of(t, snapshot.version()).withEvents(List.of(chargePosted(t, c, charged))),
        committed -> chargeResult(committed, c.amount(), used::get, false));
  }

  // ---------------------------------------------------------------- batched charges

  @Override
  public List<ChargeOutcome> chargeAll(List<ChargeRequest> requests) {
    InvalidRequestException.requireNonNull(requests, "requests");
    if (requests.size() > MAX_BATCH) {
      throw new InvalidRequestException(
          "requests", requests.size() + " requests", "must hold at most " + MAX_BATCH);
    }
    for (int i = 0; i < requests.size(); i++) {
      if (requests.get(i) == null) {
        throw new InvalidRequestException("requests[" + i + "]", null, "is required");
      }
    }
    Set<List<Object>> checked = new HashSet<>();
    for (ChargeRequest r : requests) {
      if (checked.add(List.of(r.actor(), r.tenant()))) {
        access.check(r.actor(), Operation.CHARGE, r.tenant());
      }
    }
    return chargeAllAuthorised(requests);
  }

  /**
   * Charges requests whose actors the caller has already authorised: decide every open request in
   * list order (each account on its snapshot as the earlier requests change it), commit every
   * decided write with one {@link BillingStore#commitBatch}, and run another round for what a
   * version conflict sent back, bounded by the writer's attempts.
   */
  List<ChargeOutcome> chargeAllAuthorised(List<ChargeRequest> requests) {
    int n = requests.size();
    ChargeOutcome[] out = new ChargeOutcome[n];
    String[] fingerprints = new String[n];
    for (int i = 0; i < n; i++) {
      fingerprints[i] = chargeFingerprint(requests.get(i));
    }
    int attempts = w.maxAttempts();
    for (int attempt = 1; attempt <= attempts; attempt++) {
      if (!chargeRound(requests, fingerprints, out)) {
        break;
      }
      if (attempt < attempts) {
        Writer.backOff(attempt);
      }
    }
    List<ChargeOutcome> outcomes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ChargeRequest r = requests.get(i);
      outcomes.add(
          out[i] != null
              ? out[i]
              : new ChargeOutcome.Refused(
                  new ConcurrentUpdateException(r.tenant(), r.account(), attempts)));
    }
    return outcomes;
  }

  private record AccountRef(TenantId tenant, AccountId account) {}

  private record KeyRef(TenantId tenant, IdempotencyKey key) {}

  /** A write decided in this round, for the request at {@code index}. */
  private record Planned(
      int index, LedgerWrite write, Function<LedgerTransaction, ChargeResult> result) {}

  /**
   * An outcome decided in this round that holds only if write {@code dependsOn} commits: a refusal
   * decided on balances an earlier write of the round left, or an answer to a key an earlier
   * request of the round used. {@code replay}: the answer is a replay of that write.
   */
  private record Tentative(int index, int dependsOn, boolean replay) {}

  /**
   * One round over the open requests.
   *
   * @return true if some requests are still open (a version conflict sent them back)
   */
  private boolean chargeRound(
      List<ChargeRequest> requests, String[] fingerprints, ChargeOutcome[] out) {
    Instant now = clock.instant();
    Map<AccountRef, AccountSnapshot> snapshots = new HashMap<>();
    Map<AccountRef, Integer> lastWrite = new HashMap<>();
    Map<KeyRef, Integer> keys = new HashMap<>();
    List<Planned> planned = new ArrayList<>();
    List<Tentative> tentative = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      if (out[i] != null) {
        continue;
      }
      ChargeRequest r = requests.get(i);
      AccountRef account = new AccountRef(r.tenant(), r.account());
      KeyRef key = new KeyRef(r.tenant(), r.idempotencyKey());
      Integer sameKey = keys.get(key);
      if (sameKey != null) {
        // The key is used by an earlier request of this round: the answer is its replay or a
        // conflict, once (and if) that request's write commits.
        LedgerTransaction first = planned.get(sameKey).write().transaction();
        boolean same = first.fingerprint().equals(fingerprints[i]);
        if (!same) {
          out[i] =
              new ChargeOutcome.Refused(
                  new IdempotencyConflictException(r.tenant(), r.idempotencyKey(), first.id()));
        }
        tentative.add(new Tentative(i, sameKey, same));
        continue;
      }
      Optional<LedgerTransaction> prior = store.findTransaction(r.tenant(), r.idempotencyKey());
      if (prior.isPresent()) {
        out[i] = replayOutcome(prior.get(), fingerprints[i], r);
        continue;
      }
      Integer before = lastWrite.get(account);
      try {
        AccountSnapshot snapshot = snapshots.get(account);
        if (snapshot == null) {
          snapshot = w.settledSnapshot(r.tenant(), r.account(), now);
        }
        Writer.Decision<ChargeResult> decision = decideCharge(r, fingerprints[i], snapshot, now);
        LedgerWrite write = w.withAlert(snapshot, decision.write().orElseThrow(), now);
        snapshots.put(account, w.applied(snapshot, write));
        lastWrite.put(account, planned.size());
        keys.put(key, planned.size());
        planned.add(new Planned(i, write, decision.result()));
      } catch (BillingException e) {
        out[i] = new ChargeOutcome.Refused(e);
        if (before != null) {
          tentative.add(new Tentative(i, before, false));
        }
      }
    }
    if (planned.isEmpty()) {
      return false;
    }
    List<LedgerWrite> writes = new ArrayList<>(planned.size());
    planned.forEach(p -> writes.add(p.write()));
    List<CommitResult> results = store.commitBatch(writes);
    if (results.size() != writes.size()) {
      throw new StoreRejectedException(
          "commitBatch answered " + results.size() + " results for " + writes.size() + " writes");
    }
    boolean open = false;
    LedgerTransaction[] committed = new LedgerTransaction[planned.size()];
    for (int j = 0; j < planned.size(); j++) {
      Planned p = planned.get(j);
      CommitResult result = results.get(j);
      if (result instanceof CommitResult.Committed c) {
        committed[j] = c.transaction();
        w.dispatch(p.write().events());
        out[p.index()] = new ChargeOutcome.Charged(p.result().apply(c.transaction()));
      } else if (result instanceof CommitResult.Duplicate d) {
        out[p.index()] =
            replayOutcome(d.existing(), fingerprints[p.index()], requests.get(p.index()));
      } else if (result instanceof CommitResult.Rejected rejected) {
        out[p.index()] = new ChargeOutcome.Refused(new StoreRejectedException(rejected.reason()));
      } else {
        open = true; // a version conflict: decide it again on a fresh read
      }
    }
    for (Tentative t : tentative) {
      LedgerTransaction first = committed[t.dependsOn()];
      if (first == null) {
        out[t.index()] = null;
        open = true;
      } else if (t.replay()) {
        ChargeRequest r = requests.get(t.index());
        out[t.index()] =
            new ChargeOutcome.Charged(
                chargeResult(first, r.charge().amount(), lookupFromStore(first.tenant()), true));
      }
    }
    return open;
  }

  private ChargeOutcome replayOutcome(
      LedgerTransaction prior, String fingerprint, ChargeRequest r) {
    try {
      return new ChargeOutcome.Charged(
          Writer.replayOrConflict(
              prior,
              fingerprint,
              t -> chargeResult(t, r.charge().amount(), lookupFromStore(t.tenant()), true)));
    } catch (BillingException e) {
      return new ChargeOutcome.Refused(e);
    }
  }

  /** The transaction type of a debit for a charge of {@code kind}. */
  static TransactionType debitType(ChargeKind kind) {
    return kind == ChargeKind.USAGE ? TransactionType.USAGE_DEBIT : TransactionType.CHARGE;
  }

  /** The references every debit (and hold) carries: what it is for, what was asked, lineage. */
  static Map<String, String> debitReferences(
      ChargeKind kind, String itemCode, Amount requested, Lineage lineage) {
    return Map.of(
        REF_CHARGE_KIND,
        kind.name(),
        REF_ITEM,
        itemCode,
        REF_REQUESTED,
        Long.toString(requested.minor()),
        Lineage.REF,
        lineage.encode());
  }

  static ChargePosted chargePosted(LedgerTransaction t, Charge c, Amount charged) {
    return new ChargePosted(
        Writer.eventId(t, "charge-posted"),
        t.tenant(),
        t.account(),
        t.recordedAt(),
        t.id(),
        t.type(),
        c.kind(),
        c.itemCode(),
        c.amount(),
        charged);
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
    Amount charged = Amount.ofMinor(unit, t.minorOn(Writer.counter(LedgerAccount.Kind.CONSUMED)));
    Amount fromOverdraft =
        Amount.ofMinor(unit, -t.minorOn(Writer.counter(LedgerAccount.Kind.OVERDRAFT)));
    return new ChargeResult(
        t, requested, charged, allocations, fromOverdraft, requested.minus(charged), replayed);
  }

  @Override
  public ChargeQuote quote(TenantId tenant, AccountId account, Charge charge) {
    InvalidRequestException.requireNonNull(charge, "charge");
    Instant now = clock.instant();
    // As the charge would (and as a balance read does), see reservations past their time-to-live
    // released first; otherwise the quote refuses what the charge then pays.
    AccountSnapshot snapshot = w.settledSnapshot(tenant, account, now);
    Writer.requireUnit(snapshot.account(), charge.amount());
    ChargePlan plan = ChargePlan.of(snapshot, charge, now, order);
    List<Allocation> allocations =
        plan.takes().stream().map(t -> Allocation.of(t.grant(), t.amount())).toList();
    Amount balance = Writer.totalOf(snapshot);
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
    return w.write(
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
            return Writer.Decision.answered(voidResult(first, true));
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
            postings.add(Posting.of(Writer.counter(LedgerAccount.Kind.VOIDED), remaining));
          }
          LedgerTransaction t =
              w.transaction(
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
          return new Writer.Decision<>(
              new LedgerWrite(t, List.of(), Set.of(r.grant()), snapshot.version())
                  .withEvents(
                      List.of(
                          new GrantVoided(
                              Writer.eventId(t, "grant-voided"),
                              t.tenant(),
                              t.account(),
                              now,
                              r.grant(),
                              remaining,
                              t.id()))),
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
        grant,
        t,
        Amount.ofMinor(unit, t.minorOn(Writer.counter(LedgerAccount.Kind.VOIDED))),
        replayed);
  }

  // ---------------------------------------------------------------- reads

  @Override
  public AccountBalance balance(TenantId tenant, AccountId account) {
    Instant now = clock.instant();
    AccountSnapshot snapshot = w.settledSnapshot(tenant, account, now);
    var unit = snapshot.account().unit();
    long available = 0;
    Map<GrantCategory, Amount> byCategory = new LinkedHashMap<>();
    // Every category ever held, zero first; read after the snapshot, so it covers the snapshot's
    // grants (grants are never deleted).
    for (GrantCategory c : store.grantCategories(tenant, account)) {
      byCategory.put(c, Amount.zero(unit));
    }
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
        Writer.totalOf(snapshot),
        Amount.ofMinor(unit, available),
        snapshot.reserved(),
        snapshot.overdraft().negate(),
        byCategory,
        grants);
  }

  @Override
  public List<GrantBalance> grants(TenantId tenant, AccountId account) {
    w.requireAccount(tenant, account);
    return store.grants(tenant, account);
  }

  @Override
  public Optional<GrantBalance> findGrant(TenantId tenant, GrantId grant) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(grant, "grant");
    return store.findGrant(tenant, grant);
  }

  @Override
  public List<LedgerTransaction> transactions(TenantId tenant, AccountId account) {
    w.requireAccount(tenant, account);
    return store.transactions(tenant, account);
  }

  @Override
  public Optional<LedgerTransaction> find(TenantId tenant, TransactionId id) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    return store.findTransaction(tenant, id);
  }

  private static final String CURSOR_PREFIX = "h1.";
  private static final int MAX_PAGE = 1000;

  @Override
  public TransactionPage history(
      TenantId tenant,
      AccountId account,
      TransactionFilter filter,
      Optional<String> cursor,
      int limit) {
    InvalidRequestException.requireNonNull(filter, "filter");
    InvalidRequestException.requireNonNull(cursor, "cursor");
    if (limit < 1 || limit > MAX_PAGE) {
      throw new InvalidRequestException("limit", limit, "must be between 1 and " + MAX_PAGE);
    }
    long before = cursor.map(CreditService::decodeCursor).orElse(Long.MAX_VALUE);
    w.requireAccount(tenant, account);
    List<LedgerTransaction> found = store.history(tenant, account, filter, before, limit + 1);
    if (found.size() <= limit) {
      return new TransactionPage(found, Optional.empty());
    }
    List<LedgerTransaction> page = found.subList(0, limit);
    return new TransactionPage(page, Optional.of(encodeCursor(page.get(limit - 1).sequence())));
  }

  private static String encodeCursor(long sequence) {
    return CURSOR_PREFIX
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(Long.toString(sequence).getBytes(StandardCharsets.US_ASCII));
  }

  private static long decodeCursor(String cursor) {
    try {
      if (!cursor.startsWith(CURSOR_PREFIX)) {
        throw new IllegalArgumentException("prefix");
      }
      String digits =
          new String(
              Base64.getUrlDecoder().decode(cursor.substring(CURSOR_PREFIX.length())),
              StandardCharsets.US_ASCII);
      long sequence = Long.parseLong(digits);
      if (sequence < 0) {
        throw new IllegalArgumentException("negative");
      }
      return sequence;
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("cursor", cursor, "is not a cursor this library returned");
    }
  }

  // ---------------------------------------------------------------- reversals

  @Override
  public ReversalResult reverse(ReverseRequest r) {
    InvalidRequestException.requireNonNull(r, "request");
    access.check(r.actor(), Operation.REVERSE, r.tenant());
    String fingerprint =
        Fingerprint.of("reverse")
            .add("account", r.account())
            .add("original", r.original().value())
            .add("amount", r.amount().map(Amount::toString).orElse("all"))
            .add("actor", r.actor().id())
            .add("reason", r.reason())
            .digest();
    return w.write(
        r.tenant(),
        r.account(),
        r.idempotencyKey(),
        fingerprint,
        prior -> reversalResult(prior, true),
        (snapshot, now) -> {
          LedgerTransaction original = reversible(r.tenant(), r.account(), r.original());
          Lineage left = lineageLeft(original, Long.MAX_VALUE);
          var unit = snapshot.account().unit();
          Amount reversible = Amount.ofMinor(unit, left.total());
          if (r.amount().isPresent()) {
            Writer.requireUnit(snapshot.account(), r.amount().get());
          }
          Amount amount = r.amount().orElse(reversible);
          if (!amount.isPositive()) {
            throw new InvalidRequestException(
                "original", r.original(), "has nothing left to reverse");
          }
          if (amount.compareTo(reversible) > 0) {
            throw new ReversalLimitExceededException(r.original(), amount, reversible);
          }
          Restorer.Plan plan =
              restorer.restore(snapshot, left.suffix(amount.minor()), now, r.actor());
          List<Posting> postings = new ArrayList<>(plan.postings());
          postings.add(Posting.of(Writer.counter(LedgerAccount.Kind.CONSUMED), amount.negate()));
          LedgerTransaction t =
              w.transaction(
                  r.tenant(),
                  r.account(),
                  TransactionType.REVERSAL,
                  r.idempotencyKey(),
                  fingerprint,
                  r.actor(),
                  r.reason(),
                  now,
                  postings,
                  Map.of(
                      LedgerTransaction.REF_CORRECTS,
                      original.id().value(),
                      Lineage.REF,
                      plan.given().encode()));
          return new Writer.Decision<>(
              new LedgerWrite(
                      t, plan.restoredCreditGrant().stream().toList(), Set.of(), snapshot.version())
                  .withEvents(
                      List.of(
                          new DebitReversed(
                              Writer.eventId(t, "debit-reversed"),
                              t.tenant(),
                              t.account(),
                              now,
                              t.id(),
                              original.id(),
                              amount))),
              committed ->
                  new ReversalResult(
                      original.id(),
                      committed,
                      amount,
                      plan.restorations(),
                      reversible.minus(amount),
                      false));
        });
  }

  /** The original debit, checked to be one that can be reversed. */
  private LedgerTransaction reversible(TenantId tenant, AccountId account, TransactionId id) {
    LedgerTransaction original =
        store
            .findTransaction(tenant, id)
            .filter(t -> t.account().equals(account))
            .orElseThrow(
                () ->
                    new InvalidRequestException(
                        "original", id, "is not a transaction of account " + account));
    if (original.type() != TransactionType.USAGE_DEBIT
        && original.type() != TransactionType.CHARGE) {
      throw new InvalidRequestException(
          "original",
          id,
          "is a " + original.type() + " transaction; only usage debits and charges are reversed");
    }
    return original;
  }

  /**
   * What of the original's lineage is left to give back, counting the reversals recorded before
   * {@code beforeSequence}.
   */
  private Lineage lineageLeft(LedgerTransaction original, long beforeSequence) {
    long given = 0;
    for (LedgerTransaction c : store.corrections(original.tenant(), original.id())) {
      if (c.type() == TransactionType.REVERSAL && c.sequence() < beforeSequence) {
        given = Math.addExact(given, -c.minorOn(Writer.counter(LedgerAccount.Kind.CONSUMED)));
      }
    }
    return lineageOf(original).minusFromEnd(given);
  }

  /** The debit's lineage: its reference, or, failing that, its own grant and overdraft postings. */
  static Lineage lineageOf(LedgerTransaction t) {
    String ref = t.references().get(Lineage.REF);
    if (ref != null) {
      return Lineage.decode(ref);
    }
    List<Lineage.Source> sources = new ArrayList<>();
    for (Posting p : t.postings()) {
      if (p.amount().isNegative() && p.account().isGrant()) {
        sources.add(new Lineage.Source(Optional.of(p.account().grant()), -p.amount().minor()));
      }
    }
    long overdraft = -t.minorOn(Writer.counter(LedgerAccount.Kind.OVERDRAFT));
    if (overdraft > 0) {
      sources.add(new Lineage.Source(Optional.empty(), overdraft));
    }
    return Lineage.of(sources);
  }

  private ReversalResult reversalResult(LedgerTransaction t, boolean replayed) {
    TransactionId originalId =
        t.corrects()
            .orElseThrow(
                () -> new StoreRejectedException("reversal " + t.id() + " names no original"));
    LedgerTransaction original =
        store
            .findTransaction(t.tenant(), originalId)
            .orElseThrow(
                () -> new StoreRejectedException("reversal " + t.id() + " lost its original"));
    var unit = original.postings().get(0).amount().unit();
    Amount amount = Amount.ofMinor(unit, -t.minorOn(Writer.counter(LedgerAccount.Kind.CONSUMED)));
    Amount remaining = Amount.ofMinor(unit, lineageLeft(original, t.sequence() + 1).total());
    return new ReversalResult(originalId, t, amount, restorationsOf(t), remaining, replayed);
  }

  /** Reads the restorations back from a transaction the {@link Restorer} wrote. */
  static List<Restoration> restorationsOf(LedgerTransaction t) {
    List<Restoration> out = new ArrayList<>();
    List<Posting> ps = t.postings();
    for (int i = 0; i < ps.size(); i++) {
      Posting p = ps.get(i);
      Amount zero = Amount.zero(p.amount().unit());
      if (p.account().kind() == LedgerAccount.Kind.OVERDRAFT && p.amount().isPositive()) {
        out.add(new Restoration(Optional.empty(), p.amount(), zero, zero));
      } else if (p.account().isGrant() && p.amount().isPositive()) {
        Amount expired = zero;
        Amount voided = zero;
        if (i + 2 < ps.size()
            && ps.get(i + 1).account().equals(p.account())
            && ps.get(i + 1).amount().equals(p.amount().negate())) {
          LedgerAccount.Kind where = ps.get(i + 2).account().kind();
          expired = where == LedgerAccount.Kind.EXPIRED ? p.amount() : zero;
          voided = where == LedgerAccount.Kind.VOIDED ? p.amount() : zero;
          i += 2;
        }
        out.add(new Restoration(Optional.of(p.account().grant()), p.amount(), expired, voided));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- alerts

  @Override
  public void configureLowBalanceAlert(
      TenantId tenant, AccountId account, Optional<LowBalanceAlert> alert, Actor actor) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(alert, "alert");
    InvalidRequestException.requireNonNull(actor, "actor");
    access.check(actor, Operation.CONFIGURE_ALERTS, tenant);
    w.updateAlert(
        tenant,
        account,
        snapshot -> {
          alert.ifPresent(a -> Writer.requireUnit(snapshot.account(), a.threshold()));
          return alert.map(a -> new AlertState(a, false));
        });
  }

  @Override
  public Optional<LedgerTransaction> find(TenantId tenant, IdempotencyKey key) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    return store.findTransaction(tenant, key);
  }
}
