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
    return grantTogether(List.of(r), TransactionType.GRANT).get(0);
  }

  /**
   * Several grants to one account in one GRANT transaction under the first request's idempotency
   * key (a paid purchase's credits and bonus); the requests must share tenant, account, key, actor
   * and reason. The transaction names the first grant under {@link #REF_GRANT} and the n-th under
   * {@code billing.grant.n}. The caller has authorised the actor.
   */
  List<GrantResult> grantTogether(List<GrantRequest> parts, TransactionType type) {
    if (parts.isEmpty() || parts.size() > 8) {
      throw new InvalidRequestException("grants", parts.size(), "must be 1 to 8 grants");
    }
    GrantRequest r = parts.get(0);
    for (GrantRequest other : parts) {
      if (!other.tenant().equals(r.tenant())
          || !other.account().equals(r.account())
          || !other.idempotencyKey().equals(r.idempotencyKey())
          || !other.actor().equals(r.actor())
          || !other.reason().equals(r.reason())) {
        throw new InvalidRequestException(
            "grants", other.idempotencyKey(), "must share tenant, account, key, actor and reason");
      }
    }
    Fingerprint print = Fingerprint.of(parts.size() == 1 ? "grant" : "grants");
    for (GrantRequest g : parts) {
      print
          .add("account", g.account())
          .add("amount", g.amount())
          .add("scale", g.amount().unit().scale())
          .add("category", g.category())
          .add("priority", g.priority())
          .add("name", g.name())
          .add("effectiveFrom", g.effectiveFrom().map(Instant::toString).orElse("now"))
          .add("expiresAt", g.expiresAt().map(Instant::toString).orElse("never"))
          .add("scope", g.scope().canonical())
          .add("costBasis", g.costBasis())
          .add("metadata", g.metadata())
          .add("actor", g.actor().id())
          .add("reason", g.reason());
    }
    String fingerprint = print.digest();
    return w.write(
        r.tenant(),
        r.account(),
        r.idempotencyKey(),
        fingerprint,
        prior -> replayGrants(prior),
        (snapshot, now) -> {
          Amount total = Writer.totalOf(snapshot);
          List<Posting> postings = new ArrayList<>();
          List<Grant> grants = new ArrayList<>();
          Map<String, String> refs = new java.util.LinkedHashMap<>();
          long owed = -snapshot.overdraft().minor();
          for (GrantRequest g : parts) {
            Writer.requireUnit(snapshot.account(), g.amount());
            // Refuse grants that would take the account's total past a long: every later balance
            // read would overflow.
            total = total.plus(g.amount());
            Instant effectiveFrom = g.effectiveFrom().orElse(now);
            if (g.expiresAt().isPresent() && !g.expiresAt().get().isAfter(now)) {
              throw new InvalidRequestException(
                  "expiresAt", g.expiresAt().get(), "must be in the future (now is " + now + ")");
            }
            Grant grant =
                new Grant(
                    GrantId.of(w.ids.next("grt_")),
                    g.tenant(),
                    g.account(),
                    g.name(),
                    g.category(),
                    g.priority(),
                    g.amount(),
                    effectiveFrom,
                    g.expiresAt(),
                    g.scope(),
                    g.costBasis(),
                    g.metadata(),
                    g.actor(),
                    now,
                    store.nextSequence());
            postings.add(
                Posting.of(Writer.counter(LedgerAccount.Kind.ISSUED), g.amount().negate()));
            postings.add(Posting.of(LedgerAccount.grant(grant.id()), g.amount()));
            // Credit granted while the account owes repays the debt first, if the grant could
            // have paid for anything (scope everything) and is active now.
            if (owed > 0 && grant.scope().unrestricted() && grant.isActiveAt(now)) {
              long repaid = Math.min(owed, g.amount().minor());
              Amount repay = Amount.ofMinor(g.amount().unit(), repaid);
              postings.add(Posting.of(LedgerAccount.grant(grant.id()), repay.negate()));
              postings.add(Posting.of(Writer.counter(LedgerAccount.Kind.OVERDRAFT), repay));
              owed -= repaid;
            }
            refs.put(
                grants.isEmpty() ? REF_GRANT : REF_GRANT + "." + (grants.size() + 1),
                grant.id().value());
            grants.add(grant);
          }
          LedgerTransaction t =
              w.transaction(
                  r.tenant(),
                  r.account(),
                  type,
                  r.idempotencyKey(),
                  fingerprint,
                  r.actor(),
                  r.reason(),
                  now,
                  postings,
                  refs);
          List<dev.billingsdk.event.BillingEvent> events = new ArrayList<>();
          for (int i = 0; i < grants.size(); i++) {
            Grant grant = grants.get(i);
            events.add(
                new GrantCreated(
                    Writer.eventId(t, i == 0 ? "grant-created" : "grant-created-" + (i + 1)),
                    t.tenant(),
                    t.account(),
                    now,
                    grant.id(),
                    grant.category(),
                    grant.amount(),
                    t.id()));
          }
          return new Writer.Decision<>(
              new LedgerWrite(t, grants, Set.of(), snapshot.version()).withEvents(events),
              committed -> grants.stream().map(x -> new GrantResult(x, committed, false)).toList());
        });
  }

  /**
   * The grants a GRANT or PURCHASE transaction made, in the order it made them: the first under
   * {@link #REF_GRANT}, the n-th under {@code billing.grant.n}.
   */
  static List<GrantId> grantIdsOf(LedgerTransaction t) {
    List<GrantId> ids = new ArrayList<>();
    for (int i = 1; ; i++) {
      String id = t.references().get(i == 1 ? REF_GRANT : REF_GRANT + "." + i);
      if (id == null) {
        return ids;
      }
      ids.add(GrantId.of(id));
    }
  }

  private List<GrantResult> replayGrants(LedgerTransaction prior) {
    List<GrantResult> out = new ArrayList<>();
    for (GrantId gid : grantIdsOf(prior)) {
      Grant grant =
          store
              .findGrant(prior.tenant(), gid)
              .orElseThrow(() -> new GrantNotFoundException(prior.tenant(), prior.account(), gid))
              .grant();
      out.add(new GrantResult(grant, prior, true));
    }
    if (out.isEmpty()) {
      throw new StoreRejectedException(
          prior.type() + " transaction " + prior.id() + " names no grant");
    }
    return out;
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
