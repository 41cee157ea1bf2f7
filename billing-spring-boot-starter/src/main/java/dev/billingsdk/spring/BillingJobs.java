package dev.billingsdk.spring;

import dev.billingsdk.Actor;
import dev.billingsdk.TenantId;
import dev.billingsdk.event.BillingEvent;
import dev.billingsdk.metering.DeductionReport;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.statement.StatementClose;
import dev.billingsdk.statement.StatementCloseRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;

/**
 * The periodic jobs: each runs on the {@link TaskScheduler} with a fixed pause between runs, from
 * when the application context starts until it stops. A job that fails is logged and runs again at
 * its next turn; one tenant's failure does not stop the others. A host turns the jobs off with
 * {@code billing.jobs.enabled=false} (and may call {@link #run(Job)} from its own scheduler), or
 * replaces this bean.
 */
public class BillingJobs implements SmartLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(BillingJobs.class);

  /** The jobs. */
  public enum Job {
    /** {@code deductions().run()}: rates and charges metered usage; only with metering. */
    DEDUCTION,
    /** {@code sweeps()}: expires grants and reservations past their time, per tenant. */
    EXPIRY,
    /** {@code statements().close(..)}: closes last month once it is over, per tenant. */
    STATEMENTS,
    /** {@code subscriptions().runRenewals(..)}: renews what is due, per tenant. */
    RENEWALS,
    /** {@code autoTopUps().run(..)}: tops up accounts below their threshold, per tenant. */
    TOP_UPS,
    /** {@code outbox().deliver(..)}: hands stored events to the application's listeners. */
    OUTBOX
  }

  /**
   * What one run of a job did.
   *
   * @param job the job
   * @param items what it acted on: postings, expired items, closed statements, renewals, top-ups or
   *     delivered events
   * @param failures one line per tenant (or deduction failure) that failed, without secrets
   */
  public record JobRun(Job job, int items, List<String> failures) {
    public JobRun {
      Objects.requireNonNull(job, "job");
      failures = List.copyOf(failures);
    }
  }

  private final Billing billing;
  private final BillingTenants tenants;
  private final TaskScheduler scheduler;
  private final Clock clock;
  private final Consumer<BillingEvent> sink;
  private final Actor actor;
  private final int outboxBatch;
  private final Map<Job, Duration> intervals;
  private final Map<TenantId, YearMonth> closedThrough = new ConcurrentHashMap<>();
  private final List<ScheduledFuture<?>> scheduled = new ArrayList<>();
  private volatile boolean running;

  /**
   * @param billing what the jobs call
   * @param tenants the tenants of the per-tenant jobs
   * @param scheduler where they run
   * @param clock the clock that says which month is over
   * @param sink where the outbox relay hands each event (the starter publishes it as a Spring
   *     application event); an event whose sink throws stays in the outbox for the next run
   * @param settings {@code billing.jobs.*}
   * @param supported the jobs {@code billing} can run: {@link Job#DEDUCTION} needs metering, {@link
   *     Job#RENEWALS} and {@link Job#TOP_UPS} need a payment provider; the others always
   */
  public BillingJobs(
      Billing billing,
      BillingTenants tenants,
      TaskScheduler scheduler,
      Clock clock,
      Consumer<BillingEvent> sink,
      BillingProperties.Jobs settings,
      Set<Job> supported) {
    this.billing = Objects.requireNonNull(billing, "billing");
    this.tenants = Objects.requireNonNull(tenants, "tenants");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.actor = Actor.system(settings.getActor());
    this.outboxBatch = settings.getOutboxBatch();
    Map<Job, Duration> on = new EnumMap<>(Job.class);
    put(on, supported, Job.DEDUCTION, settings.getDeduction());
    put(on, supported, Job.EXPIRY, settings.getExpiry());
    put(on, supported, Job.STATEMENTS, settings.getStatements());
    put(on, supported, Job.RENEWALS, settings.getRenewals());
    put(on, supported, Job.TOP_UPS, settings.getTopUps());
    put(on, supported, Job.OUTBOX, settings.getOutbox());
    this.intervals = Collections.unmodifiableMap(on);
  }

  private static void put(
      Map<Job, Duration> on, Set<Job> supported, Job job, BillingProperties.Job settings) {
    if (supported.contains(job) && settings.isEnabled()) {
      on.put(job, settings.getInterval());
    }
  }

  /** The jobs a {@link Billing} built with or without metering and payments can run. */
  public static Set<Job> supported(boolean metering, boolean payments) {
    Set<Job> jobs = EnumSet.of(Job.EXPIRY, Job.STATEMENTS, Job.OUTBOX);
    if (metering) {
      jobs.add(Job.DEDUCTION);
    }
    if (payments) {
      jobs.add(Job.RENEWALS);
      jobs.add(Job.TOP_UPS);
    }
    return jobs;
  }

  /**
   * The jobs that are scheduled, with the pause between their runs, in the order of {@link Job}.
   */
  public Map<Job, Duration> schedule() {
    return intervals;
  }

  /**
   * Runs {@code job} once, now, on the calling thread; failures are caught, logged and returned.
   */
  public JobRun run(Job job) {
    Objects.requireNonNull(job, "job");
    switch (job) {
      case DEDUCTION:
        return deduction();
      case OUTBOX:
        return outbox();
      default:
        return perTenant(job);
    }
  }

  private JobRun deduction() {
    try {
      DeductionReport report = billing.deductions().run();
      List<String> failures = new ArrayList<>();
      for (DeductionReport.Failure f : report.failures()) {
        failures.add(
            f.tenant().value() + "/" + f.account().value() + " " + f.meter() + ": " + f.reason());
      }
      for (String f : failures) {
        LOG.warn("billing deduction: {}", f);
      }
      return new JobRun(Job.DEDUCTION, report.postings().size(), failures);
    } catch (RuntimeException e) {
      LOG.warn("billing deduction failed: {}", describe(e));
      return new JobRun(Job.DEDUCTION, 0, List.of(describe(e)));
    }
  }

  private JobRun outbox() {
    try {
      int delivered = billing.outbox().deliver(sink, outboxBatch);
      return new JobRun(Job.OUTBOX, delivered, List.of());
    } catch (RuntimeException e) {
      LOG.warn("billing outbox relay stopped at an event: {}", describe(e));
      return new JobRun(Job.OUTBOX, 0, List.of(describe(e)));
    }
  }

  private JobRun perTenant(Job job) {
    int items = 0;
    List<String> failures = new ArrayList<>();
    for (TenantId tenant : tenants.tenants()) {
      try {
        items += runFor(job, tenant);
      } catch (RuntimeException e) {
        String line = tenant.value() + ": " + describe(e);
        LOG.warn("billing job {} failed for tenant {}", job, line);
        failures.add(line);
      }
    }
    return new JobRun(job, items, failures);
  }

  private int runFor(Job job, TenantId tenant) {
    switch (job) {
      case EXPIRY:
        return billing.sweeps().expireGrants(tenant, actor, false).items().size()
            + billing.sweeps().expireReservations(tenant, actor, false).items().size();
      case STATEMENTS:
        return closeLastMonth(tenant);
      case RENEWALS:
        return billing.subscriptions().runRenewals(tenant, actor).changes().size();
      case TOP_UPS:
        return billing.autoTopUps().run(tenant, actor).size();
      default:
        throw new IllegalArgumentException(job + " is not a per-tenant job");
    }
  }

  private int closeLastMonth(TenantId tenant) {
    YearMonth last = YearMonth.now(clock.withZone(ZoneOffset.UTC)).minusMonths(1);
    if (last.equals(closedThrough.get(tenant))) {
      return 0;
    }
    StatementClose close =
        billing.statements().close(StatementCloseRequest.of(tenant, last, actor));
    closedThrough.put(tenant, last);
    return (int) close.count(StatementClose.Outcome.CLOSED);
  }

  /** A failure as a line to log: its type and message (the library's messages hold no secrets). */
  private static String describe(RuntimeException e) {
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    for (Map.Entry<Job, Duration> e : intervals.entrySet()) {
      Job job = e.getKey();
      scheduled.add(scheduler.scheduleWithFixedDelay(() -> run(job), e.getValue()));
    }
    running = true;
    LOG.info("billing jobs scheduled: {}", intervals);
  }

  @Override
  public synchronized void stop() {
    for (ScheduledFuture<?> f : scheduled) {
      f.cancel(false);
    }
    scheduled.clear();
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
