package dev.billingsdk.jdbc;

import static dev.billingsdk.tck.TckFixture.credits;
import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccessPolicy;
import dev.billingsdk.AccountId;
import dev.billingsdk.IdGenerator;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.InsufficientCreditException;
import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.tck.TckFixture;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Pins what {@link MariaDbTwoProcessConcurrencyTest} met once in five runs: the same charge (same
 * key, same request) sent to two instances at once, taking an account's last credit. One instance
 * writes it; the other read the key as unused, then the account with the credit already gone.
 * Before the fix it was told {@link InsufficientCreditException}, although its key was in the
 * ledger with the very charge it asked for: a caller told "refused" may deny what it was in fact
 * paid for.
 *
 * <p>The writer now looks the key up again before it refuses a request, and answers with the twin's
 * transaction (a replay). This test drives that interleaving deterministically: a store that lets
 * the twin in right after the key lookup of the default two-call read.
 */
@Tag("h2")
class H2TwinAfterKeyLookupTest {

  @Test
  void aChargeWhoseTwinTookTheLastCreditAfterTheKeyLookupReplaysTheTwin() {
    JdbcBillingStore real = TestDatabases.freshStore(Db.H2, "twin_");
    TckFixture f = new TckFixture(real);
    AccountId account = f.open("last-credit");
    f.grant(account, 5);
    ChargeRequest request =
        ChargeRequest.builder(f.tenant, account, Charge.usage("tokens", credits(5)))
            .idempotencyKey(IdempotencyKey.of("the-same-charge"))
            .actor(TckFixture.ADMIN)
            .reason("sent to two instances")
            .build();
    Billing twin = f.billing;
    AtomicReference<ChargeResult> twinAnswer = new AtomicReference<>();
    BillingStore slow =
        afterKeyLookup(real, () -> twinAnswer.compareAndSet(null, twin.credits().charge(request)));
    Billing first =
        Billing.builder()
            .store(slow)
            .clock(f.clock)
            .ids(IdGenerator.randomUuids())
            .accessPolicy(AccessPolicy.allowAll())
            .maxAttempts(10_000)
            .build();

    ChargeResult answer = first.credits().charge(request);

    assertThat(twinAnswer.get().replayed()).isFalse();
    assertThat(answer.replayed()).as("answered with the twin's write, not refused").isTrue();
    assertThat(answer.transaction().id()).isEqualTo(twinAnswer.get().transaction().id());
    assertThat(answer.charged()).isEqualTo(credits(5));
    assertThat(real.findTransaction(f.tenant, request.idempotencyKey()))
        .map(t -> t.id())
        .contains(twinAnswer.get().transaction().id());
    assertThat(f.credits().charge(request).replayed())
        .as("sending it again replays the write")
        .isTrue();
    f.assertConsistent(account);
  }

  /**
   * {@code real}, running {@code between} once, after the idempotency key was looked up and found
   * unused, just before the caller reads the account.
   */
  private static BillingStore afterKeyLookup(BillingStore real, Runnable between) {
    AtomicReference<Runnable> once = new AtomicReference<>(between);
    AtomicBoolean keyUnused = new AtomicBoolean();
    return (BillingStore)
        Proxy.newProxyInstance(
            BillingStore.class.getClassLoader(),
            new Class<?>[] {BillingStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("loadAccount") && keyUnused.get()) {
                Runnable r = once.getAndSet(null);
                if (r != null) {
                  r.run();
                }
              }
              Object result;
              if (method.isDefault()
                  && (!overridden(real, method) || method.getName().equals("readForWrite"))) {
                // As the real store runs it on H2 (the interface's two-call default), but with the
                // default's own calls coming back through this proxy, where the twin can slip in.
                result = InvocationHandler.invokeDefault(proxy, method, args);
              } else {
                result = invoke(real, method, args);
              }
              if (isKeyLookup(method)) {
                keyUnused.set(((Optional<?>) result).isEmpty());
              }
              return result;
            });
  }

  private static boolean overridden(Object real, Method m) throws NoSuchMethodException {
    return !real.getClass().getMethod(m.getName(), m.getParameterTypes()).isDefault();
  }

  private static boolean isKeyLookup(Method m) {
    return m.getName().equals("findTransaction")
        && m.getParameterCount() == 2
        && m.getParameterTypes()[1] == IdempotencyKey.class;
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
