package dev.billingsdk.internal.metering;

import dev.billingsdk.AccessPolicy;
import dev.billingsdk.BillingException;
import dev.billingsdk.Operation;
import dev.billingsdk.TenantId;
import dev.billingsdk.internal.credit.CreditService;
import dev.billingsdk.metering.DeductionPosting;
import dev.billingsdk.metering.DeductionReport;
import dev.billingsdk.metering.Deductions;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.MeteringSettings;
import dev.billingsdk.metering.UnknownMeterException;
import dev.billingsdk.money.AmountOverflowException;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.MeteringStore;
import dev.billingsdk.spi.RatingCursor;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The periodic deduction. Per (account, meter) it walks the rating cursor forward one window at a
 * time. Each step is two or three compare-and-sets on the cursor:
 *
 * <ol>
 *   <li>decide: rate the step's usage and move the cursor past it, keeping the decided posting in
 *       the cursor's state (a step that costs nothing stores its lines right away and is done);
 *   <li>post the decided posting to the ledger under an idempotency key made from the account, the
 *       meter and the cursor version, with every field taken from the stored decision;
 *   <li>confirm: move the cursor again, dropping the decision and storing the step's lines.
 * </ol>
 *
 * A crash between any two of these leaves a decision in the cursor, which the next run posts (a
 * replay if the ledger has it) and confirms; two instances deciding from the same version race on
 * the compare-and-set and one wins; both may post, and the idempotency key makes that one posting.
 * So each window's usage is rated once and posted once.
 */
public final class DeductionService implements Deductions {
  private static final int PAGE = 200;

  private final BillingStore store;
  private final MeteringStore metering;
  private final CreditService credits;
  private final Clock clock;
  private final AccessPolicy access;
  private final MeteringSettings settings;

  public DeductionService(
      BillingStore store,
      MeteringStore metering,
      CreditService credits,
      Clock clock,
      AccessPolicy access,
      MeteringSettings settings) {
    this.store = store;
    this.metering = metering;
    this.credits = credits;
    this.clock = clock;
    this.access = access;
    this.settings = settings;
  }

  @Override
  public DeductionReport run() {
    return run(false);
  }

  @Override
  public DeductionReport dryRun() {
    return run(true);
  }

  private DeductionReport run(boolean dry) {
    Instant now = clock.instant();
    Instant due = CursorRun.floor(now, settings.deductionInterval());
    List<DeductionPosting> postings = new ArrayList<>();
    List<DeductionReport.Failure> failures = new ArrayList<>();
    Set<TenantId> authorised = new HashSet<>();
    Map<String, Meter> meters = new HashMap<>();
    Optional<RatingCursor.Key> after = Optional.empty();
    while (true) {
      List<RatingCursor> page = metering.ratingCursors(after, PAGE);
      for (RatingCursor c : page) {
        try {
          if (authorised.add(c.tenant())) {
            access.check(settings.actor(), Operation.RATE_USAGE, c.tenant());
          }
          String mk = c.tenant().value() + "\u0000" + c.meter();
          Meter meter = meters.get(mk);
          if (meter == null) {
            meter =
                metering
                    .findMeter(c.tenant(), c.meter())
                    .orElseThrow(() -> new UnknownMeterException(c.tenant(), c.meter()));
            meters.put(mk, meter);
          }
          new CursorRun(store, metering, credits, settings, c, meter, due, dry, postings).run();
        } catch (BillingException | IllegalStateException e) {
          failures.add(
              new DeductionReport.Failure(
                  c.tenant(), c.account(), c.meter(), String.valueOf(e.getMessage()), e));
        } catch (ArithmeticException e) {
          // Rating reports its own overflows typed; anything else that leaves a long still gets a
          // typed cause, never the raw ArithmeticException.
          AmountOverflowException typed =
              new AmountOverflowException(
                  "the deduction of meter "
                      + c.meter()
                      + " for account "
                      + c.account()
                      + " in tenant "
                      + c.tenant()
                      + " ("
                      + e.getMessage()
                      + ")");
          typed.initCause(e);
          failures.add(
              new DeductionReport.Failure(
                  c.tenant(), c.account(), c.meter(), String.valueOf(typed.getMessage()), typed));
        }
      }
      if (page.size() < PAGE) {
        break;
      }
      after = Optional.of(page.get(page.size() - 1).key());
    }
    return new DeductionReport(now, due, dry, postings, failures);
  }
}
