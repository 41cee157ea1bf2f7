package dev.billingsdk.spring;

import static dev.billingsdk.spring.Fixtures.ACCOUNT;
import static dev.billingsdk.spring.Fixtures.ADMIN;
import static dev.billingsdk.spring.Fixtures.CREDIT;
import static dev.billingsdk.spring.Fixtures.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.event.BillingEvent;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryStatementStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.StatementStore;
import dev.billingsdk.spring.BillingAutoConfigurationTest.RecordingScheduler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The periodic jobs, each run by hand on a clock the test moves. */
class BillingJobsTest {
  private static final TenantId BROKEN = TenantId.of("broken");

  private final Fixtures.TestClock clock = new Fixtures.TestClock(Fixtures.START);
  private final InMemoryBillingStore store = InMemoryBillingStore.create();
  private final Billing billing =
      Billing.builder()
          .store(store)
          .statements(failingFor(BROKEN, InMemoryStatementStore.create(store)))
          .clock(clock)
          .build();
  private final List<BillingEvent> relayed = new ArrayList<>();

  private BillingJobs jobs(BillingTenants tenants, Consumer<BillingEvent> sink) {
    return new BillingJobs(
        billing,
        tenants,
        new RecordingScheduler(),
        clock,
        sink,
        new BillingProperties().getJobs(),
        BillingJobs.supported(false, false));
  }

  @Test
  void expiryTakesBackWhatIsPastItsTime() {
    Fixtures.fund(billing, "10");
    billing
        .credits()
        .grant(
            GrantRequest.builder(TENANT, ACCOUNT, Amount.of(CREDIT, "5"))
                .category(GrantCategory.PROMOTIONAL)
                .expiresAt(Fixtures.START.plus(Duration.ofDays(1)))
                .idempotencyKey(IdempotencyKey.of("trial"))
                .actor(ADMIN)
                .reason("trial credits")
                .build());
    BillingJobs jobs = jobs(BillingTenants.of(List.of(TENANT)), relayed::add);
    assertThat(jobs.run(BillingJobs.Job.EXPIRY).items()).isZero();

    clock.advance(Duration.ofDays(2));
    BillingJobs.JobRun run = jobs.run(BillingJobs.Job.EXPIRY);

    assertThat(run.items()).isEqualTo(1);
    assertThat(run.failures()).isEmpty();
    assertThat(billing.credits().balance(TENANT, ACCOUNT).available())
        .isEqualTo(Amount.of(CREDIT, "10"));
    assertThat(jobs.run(BillingJobs.Job.EXPIRY).items()).isZero();
  }

  @Test
  void statementsCloseLastMonthOnceItIsOver() {
    Fixtures.fund(billing, "10");
    billing.credits().charge(Fixtures.charge("4", "march-usage"));
    BillingJobs jobs = jobs(BillingTenants.of(List.of(TENANT)), relayed::add);

    // March 10: last month, February, is over; the account's statement for it is closed (empty).
    assertThat(jobs.run(BillingJobs.Job.STATEMENTS).items()).isEqualTo(1);
    assertThat(jobs.run(BillingJobs.Job.STATEMENTS).items()).isZero();

    clock.advance(Duration.ofDays(22)); // April 1, 09:00 UTC
    BillingJobs.JobRun run = jobs.run(BillingJobs.Job.STATEMENTS);
    assertThat(run.failures()).isEmpty();
    assertThat(run.items()).isEqualTo(1);
    assertThat(
            billing
                .statements()
                .statement(TENANT, ACCOUNT, java.time.YearMonth.of(2026, 3), ADMIN)
                .closedAt())
        .isPresent();
    // The month is remembered: the next turn does not walk the tenant's accounts again.
    assertThat(jobs.run(BillingJobs.Job.STATEMENTS).items()).isZero();
  }

  @Test
  void oneTenantsFailureDoesNotStopTheOthers() {
    Fixtures.fund(billing, "10");
    clock.advance(Duration.ofDays(22));
    BillingJobs jobs = jobs(BillingTenants.of(List.of(BROKEN, TENANT)), relayed::add);

    BillingJobs.JobRun run = jobs.run(BillingJobs.Job.STATEMENTS);

    assertThat(run.items()).isEqualTo(1);
    assertThat(run.failures())
        .singleElement()
        .asString()
        .startsWith("broken: IllegalStateException");
    // The failed tenant is tried again at the next turn; the closed one is not.
    assertThat(jobs.run(BillingJobs.Job.STATEMENTS).failures()).hasSize(1);
  }

  @Test
  void theOutboxRelayHandsEveryEventOnceAndKeepsWhatASinkRefused() {
    Fixtures.fund(billing, "10");
    List<BillingEvent> refused = new ArrayList<>();
    BillingJobs refusing =
        jobs(
            BillingTenants.of(List.of()),
            e -> {
              refused.add(e);
              throw new IllegalStateException("listener down");
            });
    BillingJobs.JobRun failed = refusing.run(BillingJobs.Job.OUTBOX);
    assertThat(failed.items()).isZero();
    assertThat(failed.failures()).singleElement().asString().contains("listener down");
    assertThat(refused).hasSize(1);

    BillingJobs jobs = jobs(BillingTenants.of(List.of()), relayed::add);
    BillingJobs.JobRun run = jobs.run(BillingJobs.Job.OUTBOX);
    assertThat(run.items()).isPositive().isEqualTo(relayed.size());
    assertThat(relayed.get(0)).isEqualTo(refused.get(0));
    assertThat(jobs.run(BillingJobs.Job.OUTBOX).items()).isZero();
  }

  @Test
  void startSchedulesTheEnabledJobsAndStopCancelsThem() {
    RecordingScheduler scheduler = new RecordingScheduler();
    BillingProperties.Jobs settings = new BillingProperties().getJobs();
    settings.getStatements().setEnabled(false);
    settings.getOutbox().setInterval(Duration.ofSeconds(2));
    BillingJobs jobs =
        new BillingJobs(
            billing,
            BillingTenants.of(List.of(TENANT)),
            scheduler,
            clock,
            relayed::add,
            settings,
            BillingJobs.supported(true, true));

    assertThat(jobs.schedule().keySet())
        .containsExactly(
            BillingJobs.Job.DEDUCTION,
            BillingJobs.Job.EXPIRY,
            BillingJobs.Job.RENEWALS,
            BillingJobs.Job.TOP_UPS,
            BillingJobs.Job.OUTBOX);
    jobs.start();
    assertThat(jobs.isRunning()).isTrue();
    assertThat(scheduler.delays)
        .containsExactly(
            Duration.ofMinutes(1),
            Duration.ofMinutes(5),
            Duration.ofMinutes(15),
            Duration.ofMinutes(1),
            Duration.ofSeconds(2));
    jobs.stop();
    assertThat(jobs.isRunning()).isFalse();
  }

  @Test
  void aJobThatBillingCannotRunFailsAloneAndSaysWhy() {
    // This Billing has no metering: the deduction reports the refusal instead of throwing.
    BillingJobs jobs = jobs(BillingTenants.of(List.of(TENANT)), relayed::add);
    BillingJobs.JobRun run = jobs.run(BillingJobs.Job.DEDUCTION);
    assertThat(run.items()).isZero();
    assertThat(run.failures()).singleElement().asString().contains("metering");
    assertThat(relayed).isEmpty();
  }

  /** A statement store that fails every call naming {@code tenant} (the seam: a broken store). */
  private static StatementStore failingFor(TenantId tenant, StatementStore real) {
    return (StatementStore)
        Proxy.newProxyInstance(
            StatementStore.class.getClassLoader(),
            new Class<?>[] {StatementStore.class},
            (proxy, method, args) -> {
              if (args != null && Arrays.asList(args).contains(tenant)) {
                throw new IllegalStateException("statement store down for " + tenant.value());
              }
              try {
                return method.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
