package dev.billingsdk.internal.credit;

import dev.billingsdk.AccessPolicy;
import dev.billingsdk.AccountId;
import dev.billingsdk.GrantId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Operation;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantNotFoundException;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.VoidGrantRequest;
import dev.billingsdk.credit.VoidResult;
import dev.billingsdk.event.GrantCreated;
import dev.billingsdk.event.GrantVoided;
import dev.billingsdk.internal.ledger.Fingerprint;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.money.Amount;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.LedgerWrite;
import dev.billingsdk.spi.StoreRejectedException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Grants and voids. A grant posts ISSUED against the new grant and, if the account owes and the
 * grant could have paid for anything, repays the debt at once; a void moves the grant's remainder
 * to VOIDED and marks the grant voided (voiding twice answers with the first void).
 */
final class Grants {
  /** The reference naming the grant a GRANT, VOID or EXPIRY transaction is about. */
  static final String REF_GRANT = "billing.grant";

  private final Writer w;
  private final BillingStore store;
  private final AccessPolicy access;

  Grants(Writer writer, AccessPolicy access) {
    this.w = writer;
    this.store = writer.store;
    this.access = access;
  }

  GrantResult grant(GrantRequest r) {
    InvalidRequestException.requireNonNull(r, "request");
    access.check(r.actor(), Operation.GRANT_CREDITS, r.tenant());
    return grantAuthorised(r);
  }

  /** A grant whose actor the caller has already authorised (the deduction's usage credit). */
  GrantResult grantAuthorised(GrantRequest r) {
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
    GrantId id = grantOf(prior);
    Grant grant =
        store
            .findGrant(prior.tenant(), id)
            .orElseThrow(() -> new GrantNotFoundException(prior.tenant(), prior.account(), id))
            .grant();
    return new GrantResult(grant, prior, true);
  }

  VoidResult voidGrant(VoidGrantRequest r) {
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
    GrantId grant = grantOf(t);
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

  /** The grant a GRANT or VOID transaction names, as the service wrote it. */
  private static GrantId grantOf(LedgerTransaction t) {
    String id = t.references().get(REF_GRANT);
    if (id == null) {
      throw new StoreRejectedException(t.type() + " transaction " + t.id() + " names no grant");
    }
    return GrantId.of(id);
  }
}
