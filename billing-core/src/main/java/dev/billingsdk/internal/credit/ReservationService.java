package dev.billingsdk.internal.credit;

import dev.billingsdk.AccessPolicy;
import dev.billingsdk.AccountId;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Operation;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Allocation;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.InsufficientCreditException;
import dev.billingsdk.credit.ReleaseRequest;
import dev.billingsdk.credit.Reservation;
import dev.billingsdk.credit.ReservationId;
import dev.billingsdk.credit.ReservationNotActiveException;
import dev.billingsdk.credit.ReservationNotFoundException;
import dev.billingsdk.credit.ReservationResult;
import dev.billingsdk.credit.ReservationState;
import dev.billingsdk.credit.Reservations;
import dev.billingsdk.credit.ReserveRequest;
import dev.billingsdk.credit.SettleRequest;
import dev.billingsdk.credit.SettlementResult;
import dev.billingsdk.event.BillingEvent;
import dev.billingsdk.event.ChargePosted;
import dev.billingsdk.event.ReservationCreated;
import dev.billingsdk.event.ReservationSettled;
import dev.billingsdk.internal.ledger.Fingerprint;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.money.Amount;
import dev.billingsdk.spi.LedgerWrite;
import dev.billingsdk.spi.StoreRejectedException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reserve, settle and release ({@link ReservationExpiry} expires). A hold moves credit from grants
 * (and, under an overdraft limit, from the overdraft) to the account's RESERVED ledger account, so
 * nobody else can spend it; its lineage is kept on the hold transaction. Settling consumes the held
 * credit in the order it was taken and gives the rest back, last taken first; going beyond the hold
 * is charged like any charge. Releasing and expiring give everything back, by the same give-back.
 * Each reservation is resolved by exactly one transaction: the store refuses to resolve a
 * reservation that is no longer ACTIVE.
 */
public final class ReservationService implements Reservations {
  static final String REF_RESERVATION = "billing.reservation";

  private final Writer w;
  private final AccessPolicy access;
  private final Restorer restorer;
  private final ReservationExpiry expiry;

  /**
   * @param expiry how a release gives the hold back (the same give-back as an expiry)
   */
  public ReservationService(Writer writer, AccessPolicy access, ReservationExpiry expiry) {
    this.w = writer;
    this.access = access;
    this.restorer = new Restorer(writer);
    this.expiry = expiry;
  }

  // ---------------------------------------------------------------- reserve

  @Override
  public ReservationResult reserve(ReserveRequest r) {
    InvalidRequestException.requireNonNull(r, "request");
    access.check(r.actor(), Operation.RESERVE, r.tenant());
    Charge c = r.charge();
    String fingerprint =
        Fingerprint.of("reserve")
            .add("account", r.account())
            .add("kind", c.kind())
            .add("item", c.itemCode())
            .add("amount", c.amount())
            .add("scale", c.amount().unit().scale())
            .add("ttl", r.timeToLive().toString())
            .add("actor", r.actor().id())
            .add("reason", r.reason())
            .digest();
    return w.write(
        r.tenant(),
        r.account(),
        r.idempotencyKey(),
        fingerprint,
        prior -> reservationResult(prior, true),
        (snapshot, now) -> {
          Writer.requireUnit(snapshot.account(), c.amount());
          Instant expiresAt = expiresAt(now, r.timeToLive());
          ChargePlan plan = ChargePlan.of(snapshot, c, now, w.order);
          if (plan.rejected()) {
            throw new InsufficientCreditException(
                r.tenant(), r.account(), c.amount(), plan.eligible().plus(plan.headroom()));
          }
          Amount held = plan.charged(c.amount());
          List<Posting> postings = new ArrayList<>(plan.debitPostings());
          List<Allocation> allocations =
              plan.takes().stream().map(t -> Allocation.of(t.grant(), t.amount())).toList();
          if (held.isPositive()) {
            postings.add(Posting.of(Writer.counter(LedgerAccount.Kind.RESERVED), held));
          }
          ReservationId id = ReservationId.of(w.ids.next("rsv_"));
          Map<String, String> refs = new HashMap<>();
          refs.put(REF_RESERVATION, id.value());
          refs.putAll(Charges.debitReferences(c.kind(), c.itemCode(), c.amount(), plan.lineage()));
          LedgerTransaction t =
              w.transaction(
                  r.tenant(),
                  r.account(),
                  TransactionType.HOLD,
                  r.idempotencyKey(),
                  fingerprint,
                  r.actor(),
                  r.reason(),
                  now,
                  postings,
                  refs);
          Reservation reservation =
              new Reservation(
                  id,
                  r.tenant(),
                  r.account(),
                  c.kind(),
                  c.itemCode(),
                  held,
                  t.id(),
                  now,
                  expiresAt,
                  ReservationState.ACTIVE,
                  Optional.empty(),
                  t.sequence());
          BillingEvent created =
              new ReservationCreated(
                  Writer.eventId(t, "reservation-created"),
                  t.tenant(),
                  t.account(),
                  now,
                  id,
                  held,
                  reservation.expiresAt(),
                  t.id());
          return new Writer.Decision<>(
              LedgerWrite.of(t, snapshot.version())
                  .withReservations(List.of(reservation), Map.of())
                  .withEvents(List.of(created)),
              committed ->
                  new ReservationResult(
                      reservation, committed, allocations, plan.fromOverdraft(), false));
        });
  }

  /**
   * The end of a time-to-live starting at {@code now}, refused if it falls after the last instant
   * the input contract accepts (a database could not store it).
   */
  private static Instant expiresAt(Instant now, Duration timeToLive) {
    Instant end = now.plus(timeToLive); // both within the contract: cannot overflow an Instant
    if (end.isAfter(InputContract.LATEST)) {
      throw new InvalidRequestException(
          "timeToLive", timeToLive, "ends after " + InputContract.LATEST + " (from " + now + ")");
    }
    return end;
  }

  private ReservationResult reservationResult(LedgerTransaction t, boolean replayed) {
    Reservation reservation = reservationOf(t);
    var unit = reservation.held().unit();
    LedgerTransaction hold = ReservationExpiry.hold(w.store, reservation);
    List<Allocation> allocations = new ArrayList<>();
    long fromOverdraft = 0;
    if (t.type() == TransactionType.HOLD) {
      for (Lineage.Source s : Lineage.ofDebit(hold).sources()) {
        if (s.grant().isPresent()) {
          GrantBalance g =
              w.store
                  .findGrant(t.tenant(), s.grant().get())
                  .orElseThrow(() -> new StoreRejectedException("hold names an unknown grant"));
          allocations.add(Allocation.of(g.grant(), Amount.ofMinor(unit, s.minor())));
        } else {
          fromOverdraft += s.minor();
        }
      }
    }
    return new ReservationResult(
        reservation, t, allocations, Amount.ofMinor(unit, fromOverdraft), replayed);
  }

  // ---------------------------------------------------------------- settle

  @Override
  public SettlementResult settle(SettleRequest r) {
    InvalidRequestException.requireNonNull(r, "request");
    access.check(r.actor(), Operation.RESERVE, r.tenant());
    Reservation stored = stored(r.tenant(), r.reservation());
    String fingerprint =
        Fingerprint.of("settle")
            .add("reservation", r.reservation().value())
            .add("actual", r.actual())
            .add("scale", r.actual().unit().scale())
            .add("actor", r.actor().id())
            .add("reason", r.reason())
            .digest();
    return w.write(
        r.tenant(),
        stored.account(),
        r.idempotencyKey(),
        fingerprint,
        prior -> settlementResult(prior, true),
        (snapshot, now) -> {
          Writer.requireUnit(snapshot.account(), r.actual());
          Optional<Reservation> active = ReservationExpiry.active(snapshot, r.reservation());
          if (active.isEmpty()) {
            Reservation done = stored(r.tenant(), r.reservation());
            if (done.state() == ReservationState.SETTLED) {
              SettlementResult first = settlementResult(resolution(done), true);
              if (first.actual().equals(r.actual())) {
                return Writer.Decision.answered(first);
              }
              throw new ReservationNotActiveException(
                  done, "it was settled for " + first.actual() + ", not " + r.actual());
            }
            throw new ReservationNotActiveException(done, "it can no longer be settled");
          }
          Reservation res = active.get();
          var unit = res.held().unit();
          Lineage holdLineage = Lineage.ofDebit(ReservationExpiry.hold(w.store, res));
          long held = res.held().minor();
          long actual = r.actual().minor();
          List<Posting> postings = new ArrayList<>();
          if (held > 0) {
            postings.add(
                Posting.of(Writer.counter(LedgerAccount.Kind.RESERVED), res.held().negate()));
          }
          List<Grant> newGrants = new ArrayList<>();
          Lineage consumed;
          long charged;
          if (actual <= held) {
            consumed = holdLineage.prefix(actual);
            charged = actual;
            if (held > actual) {
              Restorer.Plan back =
                  restorer.restore(snapshot, holdLineage.suffix(held - actual), now, r.actor());
              postings.addAll(back.postings());
              back.restoredCreditGrant().ifPresent(newGrants::add);
            }
          } else {
            Charge extra =
                Charge.of(res.kind(), res.itemCode(), Amount.ofMinor(unit, actual - held));
            ChargePlan plan = ChargePlan.of(snapshot, extra, now, w.order);
            if (plan.rejected()) {
              throw new InsufficientCreditException(
                  r.tenant(), res.account(), extra.amount(), plan.eligible().plus(plan.headroom()));
            }
            postings.addAll(plan.debitPostings());
            consumed = holdLineage.then(plan.lineage());
            charged = held + plan.charged(extra.amount()).minor();
          }
          if (charged > 0) {
            postings.add(
                Posting.of(
                    Writer.counter(LedgerAccount.Kind.CONSUMED), Amount.ofMinor(unit, charged)));
          }
          Map<String, String> refs = new HashMap<>();
          refs.put(REF_RESERVATION, res.id().value());
          refs.putAll(Charges.debitReferences(res.kind(), res.itemCode(), r.actual(), consumed));
          LedgerTransaction t =
              w.transaction(
                  r.tenant(),
                  res.account(),
                  Charges.debitType(res.kind()),
                  r.idempotencyKey(),
                  fingerprint,
                  r.actor(),
                  r.reason(),
                  now,
                  postings,
                  refs);
          Amount chargedAmount = Amount.ofMinor(unit, charged);
          List<BillingEvent> events = new ArrayList<>();
          events.add(
              new ChargePosted(
                  Writer.eventId(t, "charge-posted"),
                  t.tenant(),
                  t.account(),
                  now,
                  t.id(),
                  t.type(),
                  res.kind(),
                  res.itemCode(),
                  r.actual(),
                  chargedAmount));
          events.add(
              new ReservationSettled(
                  Writer.eventId(t, "reservation-settled"),
                  t.tenant(),
                  t.account(),
                  now,
                  res.id(),
                  res.held(),
                  r.actual(),
                  t.id()));
          Reservation settled = res.resolved(ReservationState.SETTLED, t.id());
          return new Writer.Decision<>(
              new LedgerWrite(t, newGrants, Set.of(), snapshot.version())
                  .withReservations(List.of(), Map.of(res.id(), ReservationState.SETTLED))
                  .withEvents(events),
              committed -> settlement(settled, committed, r.actual(), false));
        });
  }

  private SettlementResult settlementResult(LedgerTransaction t, boolean replayed) {
    Reservation reservation = reservationOf(t);
    var unit = reservation.held().unit();
    Amount actual = Amount.ofMinor(unit, Long.parseLong(t.references().get(Charges.REF_REQUESTED)));
    return settlement(reservation, t, actual, replayed);
  }

  private static SettlementResult settlement(
      Reservation reservation, LedgerTransaction t, Amount actual, boolean replayed) {
    var unit = actual.unit();
    Amount charged = Amount.ofMinor(unit, t.minorOn(Writer.counter(LedgerAccount.Kind.CONSUMED)));
    long usedOfHold = Math.min(actual.minor(), reservation.held().minor());
    return new SettlementResult(
        reservation,
        t,
        reservation.held(),
        actual,
        charged,
        Amount.ofMinor(unit, reservation.held().minor() - usedOfHold),
        actual.minus(charged),
        replayed);
  }

  // ---------------------------------------------------------------- release

  @Override
  public ReservationResult release(ReleaseRequest r) {
    InvalidRequestException.requireNonNull(r, "request");
    access.check(r.actor(), Operation.RESERVE, r.tenant());
    Reservation stored = stored(r.tenant(), r.reservation());
    String fingerprint =
        Fingerprint.of("release")
            .add("reservation", r.reservation().value())
            .add("actor", r.actor().id())
            .add("reason", r.reason())
            .digest();
    return w.write(
        r.tenant(),
        stored.account(),
        r.idempotencyKey(),
        fingerprint,
        prior -> reservationResult(prior, true),
        (snapshot, now) -> {
          Optional<Reservation> active = ReservationExpiry.active(snapshot, r.reservation());
          if (active.isEmpty()) {
            Reservation done = stored(r.tenant(), r.reservation());
            if (done.state() == ReservationState.SETTLED) {
              throw new ReservationNotActiveException(
                  done, "a settled reservation is not released");
            }
            return Writer.Decision.answered(reservationResult(resolution(done), true));
          }
          return expiry.giveBack(
              snapshot,
              active.get(),
              ReservationState.RELEASED,
              now,
              now,
              r.idempotencyKey(),
              fingerprint,
              r.actor(),
              r.reason());
        });
  }

  // ---------------------------------------------------------------- reads

  @Override
  public Reservation find(TenantId tenant, ReservationId reservation) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(reservation, "reservation");
    Reservation r = stored(tenant, reservation);
    if (r.state() == ReservationState.ACTIVE && !r.isHoldingAt(w.clock.instant())) {
      w.settledSnapshot(tenant, r.account(), w.clock.instant());
      r = stored(tenant, reservation);
    }
    return r;
  }

  @Override
  public List<Reservation> active(TenantId tenant, AccountId account) {
    return w.settledSnapshot(tenant, account, w.clock.instant()).reservations();
  }

  private Reservation stored(TenantId tenant, ReservationId id) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(id, "reservation");
    return w.store
        .findReservation(tenant, id)
        .orElseThrow(() -> new ReservationNotFoundException(tenant, id));
  }

  private Reservation reservationOf(LedgerTransaction t) {
    String id = t.references().get(REF_RESERVATION);
    if (id == null) {
      throw new StoreRejectedException("transaction " + t.id() + " names no reservation");
    }
    return stored(t.tenant(), ReservationId.of(id));
  }

  private LedgerTransaction resolution(Reservation r) {
    return w.store
        .findTransaction(r.tenant(), r.resolution().orElseThrow())
        .orElseThrow(
            () -> new StoreRejectedException("reservation " + r.id() + " lost its resolution"));
  }
}
