package dev.billingsdk.tck;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.spi.AccountReads;
import dev.billingsdk.spi.BillingStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The in-memory store with its {@link AccountReads} answered wrongly, the way a hand-written query
 * gets them wrong; every other call goes to the store unchanged. With {@link Misread#NONE} it is
 * the plain in-memory store and must pass {@link AccountReadsTck}.
 */
final class MisreadingStore {
  private MisreadingStore() {}

  /** One way the account reads go wrong. */
  enum Misread {
    /** Nothing is misread (the control). */
    NONE,
    /** Categories ordered by name ({@code ORDER BY category}), not by the first grant in each. */
    CATEGORIES_BY_NAME,
    /** One category per grant, repeats included (a {@code SELECT} without {@code DISTINCT}). */
    CATEGORY_PER_GRANT,
    /** A key finds the first account whose key starts with it ({@code LIKE ? || '%'}). */
    KEY_AS_PREFIX
  }

  static BillingStore with(Misread misread) {
    InMemoryBillingStore target = InMemoryBillingStore.create();
    // The accounts with a key, in the order they were opened, per tenant: what a prefix scans.
    Map<TenantId, List<Account>> keyed = new ConcurrentHashMap<>();
    return (BillingStore)
        Proxy.newProxyInstance(
            MisreadingStore.class.getClassLoader(),
            new Class<?>[] {BillingStore.class},
            (proxy, method, args) -> {
              if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                  case "equals" -> proxy == args[0];
                  case "hashCode" -> System.identityHashCode(proxy);
                  default -> "MisreadingStore(" + misread + ")";
                };
              }
              Object answer;
              try {
                answer = method.invoke(target, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              switch (method.getName()) {
                case "insertAccountIfAbsent" -> {
                  Account a = (Account) answer;
                  if (a.externalKey().isPresent() && a.equals(args[0])) {
                    List<Account> accounts =
                        keyed.computeIfAbsent(a.tenant(), t -> new CopyOnWriteArrayList<>());
                    if (!accounts.contains(a)) {
                      accounts.add(a);
                    }
                  }
                  return a;
                }
                case "grantCategories" -> {
                  @SuppressWarnings("unchecked")
                  List<GrantCategory> categories = (List<GrantCategory>) answer;
                  return switch (misread) {
                    case CATEGORIES_BY_NAME ->
                        categories.stream()
                            .sorted(Comparator.comparing(GrantCategory::code))
                            .toList();
                    case CATEGORY_PER_GRANT ->
                        target.grants((TenantId) args[0], (AccountId) args[1]).stream()
                            .map(GrantBalance::grant)
                            .sorted(Comparator.comparingLong(g -> g.sequence()))
                            .map(g -> g.category())
                            .toList();
                    default -> categories;
                  };
                }
                case "findAccountByKey" -> {
                  if (misread != Misread.KEY_AS_PREFIX) {
                    return answer;
                  }
                  String key = (String) args[1];
                  return keyed.getOrDefault((TenantId) args[0], List.of()).stream()
                      .filter(a -> a.externalKey().orElseThrow().startsWith(key))
                      .findFirst();
                }
                default -> {
                  return answer;
                }
              }
            });
  }
}
