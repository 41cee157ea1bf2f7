package dev.billingsdk.internal.credit;

import dev.billingsdk.AccountId;
import dev.billingsdk.BillingException;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.AccountNotFoundException;
import dev.billingsdk.credit.ChargeOutcome;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.ConcurrentUpdateException;
import dev.billingsdk.credit.Credits;
import dev.billingsdk.ledger.IdempotencyConflictException;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.spi.AccountSnapshot;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.CommitResult;
import dev.billingsdk.spi.LedgerWrite;
import dev.billingsdk.spi.StoreRejectedException;
import dev.billingsdk.spi.WriteBasis;
import dev.billingsdk.spi.WriteTarget;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A list of charges with one store commit per round ({@link Credits#chargeAll}): decide every open
 * request in list order, each account on its snapshot as the earlier requests change it, commit
 * every decided write with one {@link BillingStore#commitBatch}, and run another round for what a
 * version conflict sent back, bounded by the writer's attempts. Each request is decided exactly as
 * a single charge is ({@link Charges#decide}).
 */
final class ChargeRounds {
  private final Writer w;
  private final BillingStore store;
  private final Clock clock;

  ChargeRounds(Writer writer) {
    this.w = writer;
    this.store = writer.store;
    this.clock = writer.clock;
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
      fingerprints[i] = Charges.fingerprint(requests.get(i));
    }
    int attempts = w.maxAttempts();
    List<TenantId> conflicts = new ArrayList<>();
    for (int attempt = 1; attempt <= attempts; attempt++) {
      conflicts.clear();
      if (!chargeRound(requests, fingerprints, out, conflicts)) {
        break;
      }
      if (attempt < attempts) {
        for (TenantId tenant : conflicts) {
          w.observation.ledgerWriteRetried(tenant, attempt + 1);
        }
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
                  w.failed(
                      r.tenant(),
                      new ConcurrentUpdateException(r.tenant(), r.account(), attempts))));
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
   * @param conflicts receives the tenant of each write that lost a version conflict
   * @return true if some requests are still open (a version conflict sent them back)
   */
  private boolean chargeRound(
      List<ChargeRequest> requests,
      String[] fingerprints,
      ChargeOutcome[] out,
      List<TenantId> conflicts) {
    Instant now = clock.instant();
    Map<AccountRef, AccountSnapshot> snapshots = new HashMap<>();
    Map<AccountRef, Integer> lastWrite = new HashMap<>();
    Map<KeyRef, Integer> keys = new HashMap<>();
    List<Planned> planned = new ArrayList<>();
    List<Tentative> tentative = new ArrayList<>();
    WriteBasis[] bases = read(requests, out);
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
      Optional<LedgerTransaction> prior = bases[i].known();
      if (prior.isPresent()) {
        out[i] = replayOutcome(prior.get(), fingerprints[i], r);
        continue;
      }
      Integer before = lastWrite.get(account);
      try {
        AccountSnapshot snapshot = snapshots.get(account);
        if (snapshot == null) {
          snapshot =
              bases[i]
                  .snapshot()
                  .orElseThrow(() -> new AccountNotFoundException(r.tenant(), r.account()));
          if (!Writer.due(snapshot, now).isEmpty()) {
            // Reservations past their time-to-live are expired first, as a single charge would.
            snapshot = w.settledSnapshot(r.tenant(), r.account(), now);
          }
        }
        Writer.Decision<ChargeResult> decision =
            Charges.decide(w, r, fingerprints[i], snapshot, now);
        LedgerWrite write = w.withAlert(snapshot, decision.write().orElseThrow(), now);
        snapshots.put(account, w.applied(snapshot, write));
        lastWrite.put(account, planned.size());
        keys.put(key, planned.size());
        planned.add(new Planned(i, write, decision.result()));
      } catch (BillingException e) {
        // As for a single charge: a twin that committed after the read is the answer.
        Optional<LedgerTransaction> twin = store.findTransaction(r.tenant(), r.idempotencyKey());
        if (twin.isPresent()) {
          out[i] = replayOutcome(twin.get(), fingerprints[i], r);
          continue;
        }
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
    long start = w.observation.ticks();
    List<CommitResult> results;
    try {
      results = store.commitBatch(writes);
    } catch (RuntimeException e) {
      w.observation.ledgerCommitted(writes.size(), start, true);
      for (Planned p : planned) {
        w.failed(requests.get(p.index()).tenant(), e);
      }
      throw e;
    }
    w.observation.ledgerCommitted(writes.size(), start, false);
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
        out[p.index()] =
            new ChargeOutcome.Refused(
                w.failed(
                    requests.get(p.index()).tenant(),
                    new StoreRejectedException(rejected.reason())));
      } else {
        open = true; // a version conflict: decide it again on a fresh read
        conflicts.add(requests.get(p.index()).tenant());
      }
    }
    for (Tentative t : tentative) {
      LedgerTransaction first = committed[t.dependsOn()];
      if (first == null) {
        out[t.index()] = null;
        open = true;
      } else if (t.replay()) {
        ChargeRequest r = requests.get(t.index());
        out[t.index()] = new ChargeOutcome.Charged(Charges.replayed(w, first, r.charge().amount()));
      }
    }
    return open;
  }

  /**
   * The keys and accounts of the round's open requests, read with one store call ({@link
   * BillingStore#readForWrites}); null for requests already answered.
   */
  private WriteBasis[] read(List<ChargeRequest> requests, ChargeOutcome[] out) {
    List<WriteTarget> targets = new ArrayList<>();
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      if (out[i] == null) {
        ChargeRequest r = requests.get(i);
        targets.add(WriteTarget.of(r.tenant(), r.account(), r.idempotencyKey()));
        at.add(i);
      }
    }
    List<WriteBasis> read = store.readForWrites(targets);
    if (read.size() != targets.size()) {
      throw new StoreRejectedException(
          "readForWrites answered " + read.size() + " reads for " + targets.size() + " targets");
    }
    WriteBasis[] bases = new WriteBasis[requests.size()];
    for (int k = 0; k < at.size(); k++) {
      bases[at.get(k)] = read.get(k);
    }
    return bases;
  }

  private ChargeOutcome replayOutcome(
      LedgerTransaction prior, String fingerprint, ChargeRequest r) {
    try {
      return new ChargeOutcome.Charged(
          Writer.replayOrConflict(
              prior, fingerprint, t -> Charges.replayed(w, t, r.charge().amount())));
    } catch (BillingException e) {
      return new ChargeOutcome.Refused(e);
    }
  }
}
