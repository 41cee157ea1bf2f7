package dev.billingsdk.internal.credit;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.internal.ledger.Fingerprint;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.money.Amount;
import dev.billingsdk.spi.LedgerWrite;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Takes credit back out of an account because the money that bought it went back (a refund): one
 * REFUND transaction that takes from the named grants first (the purchase's own), then from the
 * account's other live grants in grant order, then into the overdraft as far as the account's
 * policy allows. What none of them can cover is not taken; it is reported as unrecovered, for
 * finance, and the ledger rules (no overdraft beyond the policy) hold.
 */
public final class Clawbacks {
  /** The reference naming what the clawback is for (a provider refund id). */
  static final String REF_FOR = "billing.clawback.for";

  private final Writer w;

  Clawbacks(Writer writer) {
    this.w = writer;
  }

  /** What a clawback took, from where, and what it could not take. */
  public record Result(
      Optional<LedgerTransaction> transaction,
      Amount fromGrants,
      Amount toDebt,
      Amount unrecovered,
      boolean replayed) {}

  Result clawBack(
      TenantId tenant,
      AccountId account,
      IdempotencyKey key,
      List<GrantId> first,
      Amount amount,
      Actor actor,
      String reason,
      String forRef) {
    if (!amount.isPositive()) {
      throw new InvalidRequestException("amount", amount, "must be positive");
    }
    String fingerprint =
        Fingerprint.of("clawback")
            .add("account", account)
            .add("amount", amount)
            .add("first", first)
            .add("for", forRef)
            .add("actor", actor.id())
            .digest();
    return w.write(
        tenant,
        account,
        key,
        fingerprint,
        prior -> replay(prior, amount),
        (snapshot, now) -> {
          Writer.requireUnit(snapshot.account(), amount);
          List<GrantBalance> order = new ArrayList<>();
          Set<GrantId> firstIds = new LinkedHashSet<>(first);
          for (GrantId id : firstIds) {
            snapshot.liveGrants().stream()
                .filter(g -> g.grant().id().equals(id))
                .forEach(order::add);
          }
          snapshot.liveGrants().stream()
              .filter(g -> !firstIds.contains(g.grant().id()))
              .sorted((a, b) -> w.order.compare(a.grant(), b.grant()))
              .forEach(order::add);
          long left = amount.minor();
          long fromGrants = 0;
          List<Posting> postings = new ArrayList<>();
          for (GrantBalance g : order) {
            long take = Math.min(left, g.remaining().minor());
            if (take > 0) {
              postings.add(
                  Posting.of(
                      LedgerAccount.grant(g.grant().id()), Amount.ofMinor(amount.unit(), -take)));
              left -= take;
              fromGrants += take;
            }
          }
          long floor =
              snapshot.account().overdraftPolicy() instanceof OverdraftPolicy.Limit limit
                  ? -limit.limit().minor()
                  : 0;
          long room = Math.max(0, snapshot.overdraft().minor() - floor);
          long toDebt = Math.min(left, room);
          if (toDebt > 0) {
            postings.add(
                Posting.of(
                    Writer.counter(LedgerAccount.Kind.OVERDRAFT),
                    Amount.ofMinor(amount.unit(), -toDebt)));
            left -= toDebt;
          }
          long taken = fromGrants + toDebt;
          Amount unrecovered = Amount.ofMinor(amount.unit(), left);
          Amount fromGrantsAmount = Amount.ofMinor(amount.unit(), fromGrants);
          Amount toDebtAmount = Amount.ofMinor(amount.unit(), toDebt);
          if (taken == 0) {
            return Writer.Decision.answered(
                new Result(Optional.empty(), fromGrantsAmount, toDebtAmount, unrecovered, false));
          }
          postings.add(
              Posting.of(
                  Writer.counter(LedgerAccount.Kind.VOIDED), Amount.ofMinor(amount.unit(), taken)));
          LedgerTransaction t =
              w.transaction(
                  tenant,
                  account,
                  TransactionType.REFUND,
                  key,
                  fingerprint,
                  actor,
                  reason,
                  now,
                  postings,
                  Map.of(REF_FOR, forRef, "billing.clawback.unrecovered", Long.toString(left)));
          return new Writer.Decision<>(
              new LedgerWrite(t, List.of(), Set.of(), snapshot.version()),
              committed ->
                  new Result(
                      Optional.of(committed), fromGrantsAmount, toDebtAmount, unrecovered, false));
        });
  }

  private static Result replay(LedgerTransaction prior, Amount amount) {
    long toDebt = -prior.minorOn(Writer.counter(LedgerAccount.Kind.OVERDRAFT));
    long taken = prior.minorOn(Writer.counter(LedgerAccount.Kind.VOIDED));
    String unrecovered = prior.references().getOrDefault("billing.clawback.unrecovered", "0");
    return new Result(
        Optional.of(prior),
        Amount.ofMinor(amount.unit(), taken - toDebt),
        Amount.ofMinor(amount.unit(), toDebt),
        Amount.ofMinor(amount.unit(), Long.parseLong(unrecovered)),
        true);
  }
}
