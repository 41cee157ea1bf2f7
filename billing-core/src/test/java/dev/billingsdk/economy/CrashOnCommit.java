package dev.billingsdk.economy;

import dev.billingsdk.spi.BillingStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A billing store that forwards everything to a real one but dies on the Nth commit from when it is
 * armed, before the commit reaches the store: the process "crashed" mid-operation.
 */
final class CrashOnCommit {
  static final class Crash extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Crash() {
      super("crashed before the commit");
    }
  }

  private final AtomicInteger untilCrash = new AtomicInteger(-1);
  final BillingStore store;

  CrashOnCommit(BillingStore real) {
    this.store =
        (BillingStore)
            Proxy.newProxyInstance(
                BillingStore.class.getClassLoader(),
                new Class<?>[] {BillingStore.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("commit")
                      && untilCrash.get() > 0
                      && untilCrash.decrementAndGet() == 0) {
                    throw new Crash();
                  }
                  try {
                    return method.invoke(real, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
  }

  /** The {@code n}th commit from now (1: the next) crashes. */
  void arm(int n) {
    untilCrash.set(n);
  }
}
