package dev.billingsdk.tck;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.spi.BillingStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The invoice-applications kit on stores whose look-up goes wrong the way a hand-written query or
 * index does, for {@link InvoiceApplicationsKitCatchesBrokenStoresTest}. This holder's name matches
 * none of the build's test patterns, so the kits run here only when that test launches them.
 */
final class BrokenInvoiceApplicationKits {
  private BrokenInvoiceApplicationKits() {}

  /** One way the look-up goes wrong. */
  enum Misread {
    /** Nothing is misread (the control). */
    NONE,
    /** Nothing is ever found (the index was never written). */
    NOTHING,
    /** Newest first ({@code ORDER BY sequence DESC}). */
    NEWEST_FIRST,
    /** Invoice ids compared without case, as a case-insensitive collation does. */
    IGNORES_CASE,
    /** Any reference holding the invoice's id counts, not only the invoice reference. */
    ANY_REFERENCE
  }

  /** What the next launch of {@link Misreading} misreads; set by the self-test before it. */
  static volatile Misread misread = Misread.NONE;

  static class Misreading extends InvoiceApplicationsTck {
    final BillingStore store = misreading(misread);

    @Override
    protected BillingStore store() {
      return store;
    }
  }

  /** The in-memory store with its {@code invoiceApplications} answered as {@code misread} says. */
  static BillingStore misreading(Misread misread) {
    InMemoryBillingStore target = InMemoryBillingStore.create();
    return (BillingStore)
        Proxy.newProxyInstance(
            BrokenInvoiceApplicationKits.class.getClassLoader(),
            new Class<?>[] {BillingStore.class},
            (proxy, method, args) -> {
              if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                  case "equals" -> proxy == args[0];
                  case "hashCode" -> System.identityHashCode(proxy);
                  default -> "BrokenInvoiceApplicationStore(" + misread + ")";
                };
              }
              if (method.getName().equals("invoiceApplications")) {
                return lookUp(target, (TenantId) args[0], (AccountId) args[1], (String) args[2]);
              }
              try {
                return method.invoke(target, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private static List<LedgerTransaction> lookUp(
      InMemoryBillingStore target, TenantId tenant, AccountId account, String invoice) {
    List<LedgerTransaction> found = new ArrayList<>();
    for (LedgerTransaction t : target.transactions(tenant, account)) {
      boolean matches =
          switch (misread) {
            case NOTHING -> false;
            case IGNORES_CASE ->
                t.references().values().stream()
                        .anyMatch(
                            v ->
                                v.toLowerCase(Locale.ROOT).equals(invoice.toLowerCase(Locale.ROOT)))
                    && t.references().containsKey(LedgerTransaction.REF_INVOICE);
            case ANY_REFERENCE -> t.references().containsValue(invoice);
            default -> invoice.equals(t.references().get(LedgerTransaction.REF_INVOICE));
          };
      if (matches) {
        found.add(t);
      }
    }
    if (misread == Misread.NEWEST_FIRST) {
      java.util.Collections.reverse(found);
    }
    return found;
  }
}
