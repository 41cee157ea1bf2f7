package dev.billingsdk.internal.credit;

import dev.billingsdk.AccessPolicy;
import dev.billingsdk.AccountId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Operation;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Allocation;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeOutcome;
import dev.billingsdk.credit.ChargeQuote;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.Credits;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.InsufficientCreditException;
import dev.billingsdk.event.ChargePosted;
import dev.billingsdk.internal.ledger.Fingerprint;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.money.Amount;
import dev.billingsdk.spi.AccountSnapshot;
import dev.billingsdk.spi.LedgerWrite;
import dev.billingsdk.spi.StoreRejectedException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Charges, one by one or in a list, and quotes. A charge is decided on a snapshot by {@link
 * ChargePlan} (the same code answers a quote) and written through the {@link Writer}; a list is
 * decided and committed in rounds by {@link ChargeRounds}; with coalescing on, concurrent charges
 * of one account queue in a {@link ChargeCoalescer} and commit together.
 */
final class Charges {
  /** Reference keys every debit (and hold) carries; see {@link #debitReferences}. */
  static final String REF_CHARGE_KIND = "billing.chargeKind";

  static final String REF_ITEM = "billing.itemCode";
  static final String REF_REQUESTED = "billing.requested";

  /** The start of the rating window a usage debit posts (internal.metering.CursorRun writes it). */
  static final String REF_WINDOW_START = "usage.window.start";

  private static final LedgerAccount CONSUMED = LedgerAccount.counter(LedgerAccount.Kind.CONSUMED);
  private static final LedgerAccount OVERDRAFT =
      LedgerAccount.counter(LedgerAccount.Kind.OVERDRAFT);

  private final Writer w;
  private final AccessPolicy access;
  private final ChargeRounds rounds;
  private final @Nullable ChargeCoalescer coalescer;

  /**
   * @param coalescing how concurrent charges are combined into batches ({@link ChargeCoalescer}),
   *     or off
   */
  Charges(Writer writer, AccessPolicy access, Coalescing coalescing) {
    this.w = writer;
    this.access = access;
    this.rounds = new ChargeRounds(writer);
    this.coalescer =
        coalescing.maxBatch() > 0
            ? new ChargeCoalescer(
                coalescing.maxBatch(),
                coalescing.sharedLanes(),
                this::chargeAuthorised,
                rounds::chargeAllAuthorised)
            : null;
  }

  ChargeResult charge(ChargeRequest r) {
    InvalidRequestException.requireNonNull(r, "request");
    access.check(r.actor(), Operation.CHARGE, r.tenant());
    return coalescer == null ? chargeAuthorised(r) : coalescer.charge(r);
  }

  /** A charge whose actor the caller has already authorised (the deduction's usage debit). */
  ChargeResult chargeAuthorised(ChargeRequest r) {
    String fingerprint = fingerprint(r);
    Amount requested = r.charge().amount();
    return w.write(
        r.tenant(),
        r.account(),
        r.idempotencyKey(),
        fingerprint,
        prior -> replayed(w, prior, requested),
        (snapshot, now) -> decide(w, r, fingerprint, snapshot, now));
  }

  /**
   * A list of charges with one store commit (per round, see {@link ChargeRounds}); every actor is
   * authorised first, so a refusal writes nothing.
   */
  List<ChargeOutcome> chargeAll(List<ChargeRequest> requests) {
    InvalidRequestException.requireNonNull(requests, "requests");
    if (requests.size() > Credits.MAX_BATCH) {
      throw new InvalidRequestException(
          "requests", requests.size() + " requests", "must hold at most " + Credits.MAX_BATCH);
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
    return rounds.chargeAllAuthorised(requests);
  }

  /** {@link #chargeAll} for requests whose actors the caller has already authorised. */
  List<ChargeOutcome> chargeAllAuthorised(List<ChargeRequest> requests) {
    return rounds.chargeAllAuthorised(requests);
  }

  /** How the charge would be paid now, without writing. */
  ChargeQuote quote(TenantId tenant, AccountId account, Charge charge) {
    InvalidRequestException.requireNonNull(charge, "charge");
    Instant now = w.clock.instant();
    // As the charge would (and as a balance read does), see reservations past their time-to-live
    // released first; otherwise the quote refuses what the charge then pays.
    AccountSnapshot snapshot = w.settledSnapshot(tenant, account, now);
    Writer.requireUnit(snapshot.account(), charge.amount());
    ChargePlan plan = ChargePlan.of(snapshot, charge, now, w.order);
    List<Allocation> allocations = new ArrayList<>(plan.takes().size());
    for (ChargePlan.Take t : plan.takes()) {
      allocations.add(Allocation.of(t.grant(), t.amount()));
    }
    Amount balance = Writer.totalOf(snapshot);
    Amount after = plan.rejected() ? balance : balance.minus(plan.charged(charge.amount()));
    return new ChargeQuote(
        charge, now, allocations, plan.fromOverdraft(), plan.shortfall(), plan.rejected(), after);
  }

  /** The request as its idempotency key remembers it. */
  static String fingerprint(ChargeRequest r) {
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

  /**
   * The decision of one charge on a snapshot: its write (without the alert), or a refusal. A charge
   * alone and a charge in a list are decided by this same code.
   */
  static Writer.Decision<ChargeResult> decide(
      Writer w, ChargeRequest r, String fingerprint, AccountSnapshot snapshot, Instant now) {
    Charge c = r.charge();
    Writer.requireUnit(snapshot.account(), c.amount());
    ChargePlan plan = ChargePlan.of(snapshot, c, now, w.order);
    if (plan.rejected()) {
      throw new InsufficientCreditException(
          r.tenant(), r.account(), c.amount(), plan.eligible().plus(plan.headroom()));
    }
    List<Posting> postings = plan.debitPostings();
    List<ChargePlan.Take> takes = plan.takes();
    Amount charged = plan.charged(c.amount());
    if (charged.isPositive()) {
      postings.add(Posting.of(CONSUMED, charged));
    }
    Map<String, String> debit =
        debitReferences(c.kind(), c.itemCode(), c.amount(), plan.lineageText());
    Map<String, String> refs;
    if (r.references().isEmpty()) {
      refs = debit; // immutable already: the transaction keeps it as it is
    } else {
      refs = new HashMap<>(r.references());
      refs.putAll(debit);
    }
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
            effectiveAt(c, r.references(), now),
            postings,
            refs);
    return new Writer.Decision<>(
        new LedgerWrite(
            t,
            List.of(),
            Set.of(),
            List.of(),
            Map.of(),
            Optional.empty(),
            List.of(chargePosted(t, c, charged)),
            snapshot.version()),
        committed -> chargeResult(committed, c.amount(), a -> taken(takes, a), false));
  }

  /**
   * When a debit takes effect: a usage debit of the deduction at the start of the rating window it
   * posts ({@value #REF_WINDOW_START}), so that a month's last window, posted just after midnight,
   * is on that month's statement; every other charge when it is recorded.
   */
  static Instant effectiveAt(Charge c, Map<String, String> references, Instant now) {
    String start = references.get(REF_WINDOW_START);
    if (c.kind() != ChargeKind.USAGE || start == null) {
      return now;
    }
    try {
      Instant at = Instant.parse(start);
      return at.isAfter(now) ? now : at;
    } catch (java.time.format.DateTimeParseException e) {
      return now;
    }
  }

  /** The transaction type of a debit for a charge of {@code kind}. */
  static TransactionType debitType(ChargeKind kind) {
    return kind == ChargeKind.USAGE ? TransactionType.USAGE_DEBIT : TransactionType.CHARGE;
  }

  /** The references every debit (and hold) carries: what it is for, what was asked, lineage. */
  static Map<String, String> debitReferences(
      ChargeKind kind, String itemCode, Amount requested, Lineage lineage) {
    return debitReferences(kind, itemCode, requested, lineage.encode());
  }

  /** {@link #debitReferences}, with the lineage already encoded. */
  static Map<String, String> debitReferences(
      ChargeKind kind, String itemCode, Amount requested, String lineage) {
    return Map.of(
        REF_CHARGE_KIND,
        kind.name(),
        REF_ITEM,
        itemCode,
        REF_REQUESTED,
        Long.toString(requested.minor()),
        Lineage.REF,
        lineage);
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

  /** The grant of {@code takes} that {@code account} names, or null. */
  private static @Nullable Grant taken(List<ChargePlan.Take> takes, LedgerAccount account) {
    for (int i = 0, n = takes.size(); i < n; i++) {
      Grant g = takes.get(i).grant();
      if (g.id().value().equals(account.grantId())) {
        return g;
      }
    }
    return null;
  }

  /** The result of a charge already in the store, read back from it (a replay). */
  static ChargeResult replayed(Writer w, LedgerTransaction t, Amount requested) {
    TenantId tenant = t.tenant();
    return chargeResult(
        t,
        requested,
        a -> w.store.findGrant(tenant, a.grant()).map(GrantBalance::grant).orElse(null),
        true);
  }

  /** The result of a charge, read back from its transaction (so a replay reads the same). */
  private static ChargeResult chargeResult(
      LedgerTransaction t,
      Amount requested,
      Function<LedgerAccount, @Nullable Grant> grants,
      boolean replayed) {
    List<Posting> postings = t.postings();
    int paying = 0;
    for (int i = 0, n = postings.size(); i < n; i++) {
      if (postings.get(i).account().isGrant()) {
        paying++;
      }
    }
    Allocation[] allocated = new Allocation[paying];
    paying = 0;
    for (int i = 0, n = postings.size(); i < n; i++) {
      Posting p = postings.get(i);
      if (p.account().isGrant()) {
        Grant g = grants.apply(p.account());
        if (g == null) {
          throw new StoreRejectedException("transaction " + t.id() + " names an unknown grant");
        }
        allocated[paying++] = Allocation.of(g, p.amount().negate());
      }
    }
    // Immutable already, so the result keeps it as it is.
    List<Allocation> allocations = List.of(allocated);
    var unit = requested.unit();
    Amount charged = Amount.ofMinor(unit, t.minorOn(CONSUMED));
    Amount fromOverdraft = Amount.ofMinor(unit, -t.minorOn(OVERDRAFT));
    return new ChargeResult(
        t, requested, charged, allocations, fromOverdraft, requested.minus(charged), replayed);
  }
}
