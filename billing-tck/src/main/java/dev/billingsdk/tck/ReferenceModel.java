package dev.billingsdk.tck;

import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.CostBasis;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.ItemRef;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.money.Price;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An independent, deliberately plain statement of rules 2, 3 and 4: which grants may pay a charge,
 * in which order, and what the overdraft policy does with the rest. Written apart from the
 * library's own code, so that the properties compare two implementations rather than one with
 * itself.
 */
final class ReferenceModel {
  private ReferenceModel() {}

  /** One expected allocation: grant id and minor units. */
  record Take(String grant, long minor) {}

  /** What a charge must do. */
  record Outcome(List<Take> takes, long fromOverdraft, long shortfall, boolean rejected) {}

  static boolean eligible(GrantBalance g, ChargeKind kind, String item, Instant now) {
    Grant t = g.grant();
    if (g.voided() || g.remaining().minor() <= 0) {
      return false;
    }
    if (now.isBefore(t.effectiveFrom())) {
      return false;
    }
    if (t.expiresAt().isPresent() && !now.isBefore(t.expiresAt().get())) {
      return false;
    }
    return t.scope().unrestricted()
        || t.scope().kinds().contains(kind)
        || t.scope().items().contains(new ItemRef(kind, item));
  }

  /** Cost per smallest credit subdivision as an exact-enough decimal; free is zero. */
  private static BigDecimal costPerCredit(CostBasis basis) {
    if (basis.price().isEmpty()) {
      return BigDecimal.ZERO;
    }
    Price p = basis.price().get();
    return BigDecimal.valueOf(p.cost().minor())
        .divide(BigDecimal.valueOf(p.per().minor()), MathContext.DECIMAL128);
  }

  /** Rule 2, as docs/architecture.md states it. The kit's generators use a single cost currency. */
  static final Comparator<GrantBalance> ORDER =
      Comparator.<GrantBalance>comparingInt(g -> g.grant().priority())
          .thenComparing(g -> g.grant().expiresAt().isEmpty() ? 1 : 0) // no expiry last
          .thenComparing(g -> g.grant().expiresAt().orElse(Instant.EPOCH))
          .thenComparing(g -> costPerCredit(g.grant().costBasis()))
          .thenComparing(g -> g.grant().effectiveFrom())
          .thenComparingLong(g -> g.grant().sequence());

  static Outcome charge(
      List<GrantBalance> grants,
      OverdraftPolicy policy,
      long owed,
      ChargeKind kind,
      String item,
      long amount,
      Instant now) {
    List<GrantBalance> payers = new ArrayList<>();
    for (GrantBalance g : grants) {
      if (eligible(g, kind, item, now)) {
        payers.add(g);
      }
    }
    payers.sort(ORDER);
    long need = amount;
    List<Take> takes = new ArrayList<>();
    for (GrantBalance g : payers) {
      if (need == 0) {
        break;
      }
      long take = Math.min(need, g.remaining().minor());
      takes.add(new Take(g.grant().id().value(), take));
      need -= take;
    }
    if (need == 0) {
      return new Outcome(takes, 0, 0, false);
    }
    if (policy instanceof OverdraftPolicy.Limit limit) {
      long headroom = limit.limit().minor() - owed;
      return need <= headroom
          ? new Outcome(takes, need, 0, false)
          : new Outcome(List.of(), 0, need, true);
    }
    if (policy instanceof OverdraftPolicy.Partial) {
      return new Outcome(takes, 0, need, false);
    }
    return new Outcome(List.of(), 0, need, true);
  }
}
