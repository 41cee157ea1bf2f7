package dev.billingsdk.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdGenerator;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.metering.Aggregation;
import dev.billingsdk.metering.IngestResult;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.MeterPrice;
import dev.billingsdk.metering.MeteringSettings;
import dev.billingsdk.metering.PriceBook;
import dev.billingsdk.metering.PriceModel;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.testing.TestClock;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pins what the in-memory write paths allocate, in bytes per operation on the calling thread
 * (measured by the JVM, so the same on every run once the code is warm; speed is never asserted).
 * The ceilings sit a little above what the paths allocate now, so that a change that copies a list
 * twice again, or formats a fingerprint through strings, fails here rather than only in a
 * benchmark. The figures are of the same shape as billing-bench's {@code
 * CreditApplicationBenchmark.charge} (10 grants) and {@code IngestionBenchmark.ingest} (batches of
 * 100, 10% resent, 10 accounts).
 */
class InMemoryAllocationTest {
  static final CreditUnit CREDITS = CreditUnit.of("CREDIT", 2);
  static final TenantId TENANT = TenantId.of("alloc-tenant");
  static final Actor ADMIN = Actor.of("alloc-admin", Role.ADMIN);
  static final Actor GATEWAY = Actor.system("alloc-gateway");
  static final String METER = "llm-tokens";
  static final Instant NOW = Instant.parse("2026-01-31T00:00:00Z");

  /**
   * Bytes a full charge at 10 grants may allocate (2,550 to 2,650 in a test run when this was
   * written; 5,750 before the write path was trimmed).
   */
  static final long CHARGE_CEILING = 2_900;

  /** Bytes an ingested event may allocate, its building included (1,140 to 1,170; 3,000 before). */
  static final long INGEST_CEILING = 1_300;

  /**
   * How many bytes the current thread has allocated so far. This module does not read
   * java.management (the library needs it nowhere), so the JVM's counter is reached by reflection,
   * which needs no readability; a JVM without the counter skips these tests.
   */
  private static final class AllocationCounter {
    private final Object bean;
    private final java.lang.reflect.Method allocated;

    AllocationCounter() {
      Object b = null;
      java.lang.reflect.Method m = null;
      try {
        b =
            Class.forName("java.lang.management.ManagementFactory")
                .getMethod("getThreadMXBean")
                .invoke(null);
        Class<?> sun = Class.forName("com.sun.management.ThreadMXBean");
        if (sun.isInstance(b)
            && (Boolean) sun.getMethod("isThreadAllocatedMemoryEnabled").invoke(b)) {
          m = sun.getMethod("getThreadAllocatedBytes", long.class);
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        m = null;
      }
      assumeTrue(m != null, "this JVM does not count the bytes a thread allocates");
      this.bean = b;
      this.allocated = m;
    }

    long now() {
      try {
        return (Long) allocated.invoke(bean, Thread.currentThread().getId());
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  void a_charge_at_ten_grants_allocates_less_than_its_ceiling() {
    AllocationCounter threads = new AllocationCounter();
    TestClock clock = new TestClock(NOW.minus(Duration.ofDays(30)));
    Billing billing =
        Billing.builder()
            .store(InMemoryBillingStore.create())
            .clock(clock)
            .ids(IdGenerator.sequential())
            .build();
    AccountId account = AccountId.of("acct-0");
    billing
        .credits()
        .openAccount(OpenAccountRequest.builder(TENANT, account, CREDITS).actor(ADMIN).build());
    for (int i = 0; i < 10; i++) {
      GrantRequest.Builder b =
          i < 2
              ? GrantRequest.builder(TENANT, account, Amount.ofMinor(CREDITS, 100)).priority(1)
              : GrantRequest.builder(TENANT, account, Amount.ofMinor(CREDITS, 1_000_000_000_000L))
                  .priority(10 * i)
                  .scope(i % 3 == 0 ? Scope.allUsageMeters() : Scope.everything());
      if (i % 4 == 1) {
        b.expiresAt(NOW.plus(Duration.ofDays(i)));
      }
      billing
          .credits()
          .grant(
              b.idempotencyKey(IdempotencyKey.of("grant-" + i))
                  .actor(ADMIN)
                  .reason("allocation grant")
                  .build());
    }
    clock.set(NOW);
    Charge charge = Charge.of(ChargeKind.USAGE, METER, Amount.ofMinor(CREDITS, 250));
    int warm = 40_000;
    int measured = 20_000;
    long before = 0;
    for (int i = 0; i < warm + measured; i++) {
      if (i == warm) {
        before = threads.now();
      }
      ChargeResult r =
          billing
              .credits()
              .charge(
                  ChargeRequest.builder(TENANT, account, charge)
                      .idempotencyKey(IdempotencyKey.of("charge-" + i))
                      .actor(GATEWAY)
                      .reason("allocation charge")
                      .build());
      assertThat(r.replayed()).isFalse();
    }
    long perCharge = (threads.now() - before) / measured;

    assertThat(perCharge).as("bytes allocated per charge").isLessThan(CHARGE_CEILING);
  }

  @Test
  void an_ingested_event_allocates_less_than_its_ceiling() {
    AllocationCounter threads = new AllocationCounter();
    TestClock clock = new TestClock(NOW);
    PriceBook prices =
        PriceBook.builder(RoundingMode.HALF_EVEN)
            .meter(
                METER,
                MeterPrice.in(CREDITS)
                    .when(Map.of("direction", "input"), PriceModel.perUnit("0.0025"))
                    .otherwise(PriceModel.perUnit("0.01"))
                    .build())
            .build();
    Billing billing =
        Billing.builder()
            .store(InMemoryBillingStore.create())
            .clock(clock)
            .metering(MeteringSettings.of(prices, Duration.ofHours(1)))
            .build();
    billing
        .metering()
        .defineMeter(
            Meter.builder(TENANT, METER, Aggregation.SUM)
                .unit("tokens")
                .dimensions("model", "direction")
                .build(),
            ADMIN);
    AccountId[] accounts = new AccountId[10];
    for (int a = 0; a < accounts.length; a++) {
      accounts[a] = AccountId.of("acct-" + a);
      billing
          .credits()
          .openAccount(
              OpenAccountRequest.builder(TENANT, accounts[a], CREDITS).actor(ADMIN).build());
    }
    List<Map<String, String>> dimensions =
        List.of(
            Map.of("model", "gpt-4o", "direction", "input"),
            Map.of("model", "gpt-4o", "direction", "output"),
            Map.of("model", "claude", "direction", "input"),
            Map.of("model", "claude", "direction", "output"));
    Instant base = NOW.minus(Duration.ofHours(1));
    int batch = 100;
    int warm = 400;
    int measured = 200;
    long before = 0;
    long duplicates = 0;
    for (int call = 0; call < warm + measured; call++) {
      if (call == warm) {
        before = threads.now();
      }
      long first = (long) call * batch;
      List<UsageEvent> events = new ArrayList<>(batch);
      for (int i = 0; i < batch; i++) {
        // Every tenth resends an event of the previous batch (the first batch has none to resend).
        long n = call > 0 && i % 10 == 9 ? first - batch + i - 1 : first + i;
        events.add(
            UsageEvent.builder(TENANT, accounts[(int) (n % accounts.length)], METER)
                .id("evt-" + n)
                .quantity(BigDecimal.valueOf(1 + n % 4000))
                .occurredAt(base.plusMillis(n % 3_000_000))
                .dimensions(dimensions.get((int) (n & 3)))
                .build());
      }
      for (IngestResult r : billing.metering().ingest(events, GATEWAY)) {
        if (r.duplicate()) {
          duplicates++;
        }
      }
    }
    long perEvent = (threads.now() - before) / ((long) measured * batch);

    assertThat(duplicates).isEqualTo((warm + measured - 1) * 10L);
    assertThat(perEvent).as("bytes allocated per ingested event").isLessThan(INGEST_CEILING);
  }
}
