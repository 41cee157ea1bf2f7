package dev.billingsdk.internal.credit;

import dev.billingsdk.AccessPolicy;
import dev.billingsdk.Actor;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Operation;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.Reservation;
import dev.billingsdk.credit.SweepItem;
import dev.billingsdk.credit.SweepResult;
import dev.billingsdk.credit.Sweeps;
import dev.billingsdk.event.GrantExpired;
import dev.billingsdk.internal.ledger.Fingerprint;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.money.Amount;
import dev.billingsdk.spi.AccountSnapshot;
import dev.billingsdk.spi.LedgerWrite;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The expiry sweeps. Work is read page by page from the store's indexed queries, in sequence order,
 * and each item is one transaction under a key derived from what it expires: {@code
 * billing:grant-expiry:<grant>} or {@code billing:reservation-expiry:<reservation>}. Running a
 * sweep again, after a crash or concurrently with another, posts nothing twice.
 */
public final class SweepService implements Sweeps {
  private static final int PAGE = 200;

  private final Writer w;
  private final AccessPolicy access;
  private final ReservationExpiry reservations;

  public SweepService(Writer writer, AccessPolicy access, ReservationExpiry reservations) {
    this.w = writer;
    this.access = access;
    this.reservations = reservations;
  }

  @Override
  public SweepResult expireGrants(TenantId tenant, Actor actor, boolean dryRun) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(actor, "actor");
    access.check(actor, Operation.SWEEP, tenant);
    Instant now = w.clock.instant();
    List<SweepItem> items = new ArrayList<>();
    long after = 0;
    while (true) {
      List<GrantBalance> page = w.store.expiredGrants(tenant, now, after, PAGE);
      for (GrantBalance g : page) {
        after = g.grant().sequence();
        Optional<LedgerTransaction> t =
            dryRun ? previewGrant(g, actor, now) : expireGrant(g, actor);
        t.ifPresent(
            tx ->
                items.add(
                    new SweepItem(
                        g.grant().account(),
                        g.grant().id().value(),
                        Amount.ofMinor(
                            g.remaining().unit(),
                            tx.minorOn(Writer.counter(LedgerAccount.Kind.EXPIRED))),
                        tx.effectiveAt(),
                        tx)));
      }
      if (page.size() < PAGE) {
        return new SweepResult(tenant, now, dryRun, items);
      }
    }
  }

  @Override
  public SweepResult expireReservations(TenantId tenant, Actor actor, boolean dryRun) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(actor, "actor");
    access.check(actor, Operation.SWEEP, tenant);
    Instant now = w.clock.instant();
    List<SweepItem> items = new ArrayList<>();
    long after = 0;
    while (true) {
      List<Reservation> page = w.store.expiredReservations(tenant, now, after, PAGE);
      for (Reservation r : page) {
        after = r.sequence();
        Optional<LedgerTransaction> t =
            dryRun ? reservations.preview(r, actor, now) : reservations.expire(r, actor);
        t.ifPresent(
            tx ->
                items.add(
                    new SweepItem(r.account(), r.id().value(), r.held(), tx.effectiveAt(), tx)));
      }
      if (page.size() < PAGE) {
        return new SweepResult(tenant, now, dryRun, items);
      }
    }
  }

  /**
   * The expiry of one grant's remainder, exactly as {@link #expireGrants} posts it (the same key,
   * so the two never both post it), or in a dry run what it would post. Empty when there is nothing
   * to expire now, or it was expired before.
   */
  public Optional<LedgerTransaction> expireGrant(GrantBalance g, Actor actor, boolean dryRun) {
    return dryRun ? previewGrant(g, actor, w.clock.instant()) : expireGrant(g, actor);
  }

  /** The amount an expiry transaction took from its grant. */
  public static Amount expired(LedgerTransaction t, dev.billingsdk.money.Unit unit) {
    return Amount.ofMinor(unit, t.minorOn(Writer.counter(LedgerAccount.Kind.EXPIRED)));
  }

  public static IdempotencyKey expiryKey(GrantId grant) {
    return IdempotencyKey.of("billing:grant-expiry:" + grant.value());
  }

  private static String fingerprint(GrantId grant) {
    return Fingerprint.of("grant-expiry").add("grant", grant.value()).digest();
  }

  private Optional<LedgerTransaction> expireGrant(GrantBalance g, Actor actor) {
    GrantId id = g.grant().id();
    return w.write(
        g.grant().tenant(),
        g.grant().account(),
        expiryKey(id),
        fingerprint(id),
        // Already expired under this key: nothing new to report.
        prior -> Optional.<LedgerTransaction>empty(),
        (snapshot, now) -> {
          Optional<LedgerWrite> write = decide(snapshot, id, actor, now);
          // No write (another sweep expired it after the key look-up): nothing to report.
          return new Writer.Decision<>(write, Optional::ofNullable);
        });
  }

  private Optional<LedgerTransaction> previewGrant(GrantBalance g, Actor actor, Instant now) {
    if (w.store.findTransaction(g.grant().tenant(), expiryKey(g.grant().id())).isPresent()) {
      return Optional.empty();
    }
    AccountSnapshot snapshot = w.snapshot(g.grant().tenant(), g.grant().account());
    return decide(snapshot, g.grant().id(), actor, now).map(LedgerWrite::transaction);
  }

  /** The expiry of the grant's remainder as the snapshot holds it, if there is one to post. */
  private Optional<LedgerWrite> decide(
      AccountSnapshot snapshot, GrantId id, Actor actor, Instant now) {
    Optional<GrantBalance> live =
        snapshot.liveGrants().stream().filter(b -> b.grant().id().equals(id)).findFirst();
    if (live.isEmpty()
        || live.get().voided()
        || !live.get().remaining().isPositive()
        || live.get().grant().expiresAt().map(e -> e.isAfter(now)).orElse(true)) {
      return Optional.empty();
    }
    GrantBalance g = live.get();
    Instant expiredAt = g.grant().expiresAt().orElseThrow();
    LedgerTransaction t =
        w.transaction(
            g.grant().tenant(),
            g.grant().account(),
            TransactionType.EXPIRY,
            expiryKey(id),
            fingerprint(id),
            actor,
            "grant expired",
            now,
            expiredAt,
            List.of(
                Posting.of(LedgerAccount.grant(id), g.remaining().negate()),
                Posting.of(Writer.counter(LedgerAccount.Kind.EXPIRED), g.remaining())),
            Map.of(Grants.REF_GRANT, id.value()));
    return Optional.of(
        LedgerWrite.of(t, snapshot.version())
            .withEvents(
                List.of(
                    new GrantExpired(
                        Writer.eventId(t, "grant-expired"),
                        t.tenant(),
                        t.account(),
                        now,
                        id,
                        g.remaining(),
                        expiredAt,
                        t.id()))));
  }
}
