package dev.billingsdk.testkit;

import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.spi.BillingStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * The in-memory store with one read broken the way a store's read path breaks (a stale cache, an
 * off-by-one query, a join that repeats rows): writes go through untouched, so the library works,
 * but what it reports afterwards is wrong, and {@link LedgerChecks} must say so.
 */
final class BrokenReads {
  private BrokenReads() {}

  /** One broken read. */
  enum Break {
    /** Nothing is broken (the control). */
    NONE,
    /** {@code grants} reports one minor unit more on the first grant than its postings hold. */
    GRANT_OFF_BY_ONE,
    /** {@code transactions} loses the account's newest transaction. */
    LOSES_NEWEST_TRANSACTION,
    /** {@code transactions} lists the newest transaction twice. */
    REPEATS_NEWEST_TRANSACTION
  }

  static BillingStore with(Break broken) {
    InMemoryBillingStore target = InMemoryBillingStore.create();
    return (BillingStore)
        Proxy.newProxyInstance(
            BrokenReads.class.getClassLoader(),
            new Class<?>[] {BillingStore.class},
            (proxy, method, args) -> {
              if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                  case "equals" -> proxy == args[0];
                  case "hashCode" -> System.identityHashCode(proxy);
                  default -> "BrokenReads(" + broken + ")";
                };
              }
              Object result;
              try {
                result = method.invoke(target, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              return switch (method.getName()) {
                case "grants" -> broken == Break.GRANT_OFF_BY_ONE ? offByOne(result) : result;
                case "transactions" -> brokenLedger(broken, result);
                default -> result;
              };
            });
  }

  @SuppressWarnings("unchecked")
  private static Object offByOne(Object grants) {
    List<GrantBalance> list = new ArrayList<>((List<GrantBalance>) grants);
    if (!list.isEmpty()) {
      GrantBalance g = list.get(0);
      Amount one = Amount.ofMinor(g.remaining().unit(), 1);
      list.set(0, new GrantBalance(g.grant(), g.remaining().plus(one), g.voided()));
    }
    return list;
  }

  @SuppressWarnings("unchecked")
  private static Object brokenLedger(Break broken, Object transactions) {
    List<LedgerTransaction> list = new ArrayList<>((List<LedgerTransaction>) transactions);
    if (list.isEmpty()) {
      return list;
    }
    LedgerTransaction newest = list.get(list.size() - 1);
    if (broken == Break.LOSES_NEWEST_TRANSACTION) {
      list.remove(list.size() - 1);
    } else if (broken == Break.REPEATS_NEWEST_TRANSACTION) {
      list.add(newest);
    }
    return list;
  }
}
