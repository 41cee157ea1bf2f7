package dev.billingsdk.tck;

import dev.billingsdk.AccountId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.TenantId;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.spi.AccountSnapshot;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.CommitResult;
import dev.billingsdk.spi.WriteBasis;
import dev.billingsdk.spi.WriteTarget;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The write-basis kit on stores whose one-call read goes wrong the way a hand-written combined
 * query does, for {@link WriteBasisKitCatchesBrokenStoresTest}. This holder's name matches none of
 * the build's test patterns, so the kits run here only when that test launches them.
 */
final class BrokenWriteBasisKits {
  private BrokenWriteBasisKits() {}

  /** One way the combined read goes wrong. */
  enum Misread {
    /** Nothing is misread (the control). */
    NONE,
    /** The key is never looked up: every request reads as new (a lost replay). */
    IGNORES_KEY,
    /** The key is looked up on the account only ({@code AND account_id = ?} in the key probe). */
    KEY_PER_ACCOUNT,
    /** The key is looked up in every tenant ({@code tenant = ?} missing from the key probe). */
    KEY_ACROSS_TENANTS,
    /** The alert columns are left out of the combined read (the alert never fires again). */
    NO_ALERT,
    /** The active reservations are left out of the combined read. */
    NO_RESERVATIONS,
    /** The list read looks no key up (each target reads as new). */
    LIST_IGNORES_KEYS
  }

  /** What the next launch of {@link Misreading} misreads; set by the self-test before it. */
  static volatile Misread misread = Misread.NONE;

  static class Misreading extends WriteBasisTck {
    final BillingStore store = misreading(misread);

    @Override
    protected BillingStore store() {
      return store;
    }
  }

  /** The in-memory store with its {@code readForWrite} answered as {@code misread} says. */
  static BillingStore misreading(Misread misread) {
    InMemoryBillingStore target = InMemoryBillingStore.create();
    Map<IdempotencyKey, LedgerTransaction> everyTenant = new ConcurrentHashMap<>();
    return (BillingStore)
        Proxy.newProxyInstance(
            BrokenWriteBasisKits.class.getClassLoader(),
            new Class<?>[] {BillingStore.class},
            (proxy, method, args) -> {
              if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                  case "equals" -> proxy == args[0];
                  case "hashCode" -> System.identityHashCode(proxy);
                  default -> "BrokenWriteBasisStore(" + misread + ")";
                };
              }
              if (method.getName().equals("readForWrites")
                  && misread == Misread.LIST_IGNORES_KEYS) {
                List<WriteBasis> bases = new java.util.ArrayList<>();
                for (Object o : (List<?>) args[0]) {
                  WriteTarget t = (WriteTarget) o;
                  bases.add(WriteBasis.fresh(target.loadAccount(t.tenant(), t.account())));
                }
                return bases;
              }
              if (method.getName().equals("readForWrite")) {
                return read(
                    target,
                    everyTenant,
                    misread,
                    (TenantId) args[0],
                    (AccountId) args[1],
                    (IdempotencyKey) args[2]);
              }
              Object answer;
              try {
                answer = method.invoke(target, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              if (answer instanceof CommitResult.Committed c) {
                everyTenant.put(c.transaction().idempotencyKey(), c.transaction());
              } else if (method.getName().equals("commitBatch")) {
                for (Object r : (List<?>) answer) {
                  if (r instanceof CommitResult.Committed c) {
                    everyTenant.put(c.transaction().idempotencyKey(), c.transaction());
                  }
                }
              }
              return answer;
            });
  }

  private static WriteBasis read(
      InMemoryBillingStore target,
      Map<IdempotencyKey, LedgerTransaction> everyTenant,
      Misread misread,
      TenantId tenant,
      AccountId account,
      IdempotencyKey key) {
    Optional<LedgerTransaction> known =
        switch (misread) {
          case IGNORES_KEY -> Optional.empty();
          case KEY_PER_ACCOUNT ->
              target.findTransaction(tenant, key).filter(t -> t.account().equals(account));
          case KEY_ACROSS_TENANTS -> Optional.ofNullable(everyTenant.get(key));
          default -> target.findTransaction(tenant, key);
        };
    if (known.isPresent()) {
      return WriteBasis.known(known.get());
    }
    Optional<AccountSnapshot> snapshot = target.loadAccount(tenant, account);
    if (snapshot.isEmpty()) {
      return WriteBasis.fresh(snapshot);
    }
    AccountSnapshot s = snapshot.get();
    return WriteBasis.fresh(
        Optional.of(
            switch (misread) {
              case NO_ALERT ->
                  new AccountSnapshot(
                      s.account(),
                      s.liveGrants(),
                      s.overdraft(),
                      s.reservations(),
                      Optional.empty(),
                      s.version());
              case NO_RESERVATIONS ->
                  new AccountSnapshot(
                      s.account(),
                      s.liveGrants(),
                      s.overdraft(),
                      List.of(),
                      s.alert(),
                      s.version());
              default -> s;
            }));
  }
}
