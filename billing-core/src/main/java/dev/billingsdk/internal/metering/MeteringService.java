package dev.billingsdk.internal.metering;

import dev.billingsdk.AccessPolicy;
import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Operation;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.AccountNotFoundException;
import dev.billingsdk.internal.event.Observation;
import dev.billingsdk.internal.ledger.Fingerprint;
import dev.billingsdk.metering.IngestResult;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.MeterConflictException;
import dev.billingsdk.metering.MeterPrice;
import dev.billingsdk.metering.Metering;
import dev.billingsdk.metering.MeteringSettings;
import dev.billingsdk.metering.PriceBook;
import dev.billingsdk.metering.RatingOverflowException;
import dev.billingsdk.metering.UnknownMeterException;
import dev.billingsdk.metering.UnpricedUsageException;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.metering.UsageEventConflictException;
import dev.billingsdk.metering.UsageSummaryQuery;
import dev.billingsdk.metering.UsageSummaryRow;
import dev.billingsdk.metering.UsageTimeOutOfRangeException;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.AmountOverflowException;
import dev.billingsdk.money.Price;
import dev.billingsdk.money.Rational;
import dev.billingsdk.money.UnitMismatchException;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.IngestOutcome;
import dev.billingsdk.spi.MeteringStore;
import dev.billingsdk.spi.RatedLine;
import dev.billingsdk.spi.StoredUsageEvent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Meters, ingestion with validation and dedup, summaries and per-request prices. */
public final class MeteringService implements Metering {
  /** The most events one ingest call takes. */
  public static final int MAX_BATCH = 10_000;

  private final BillingStore store;
  private final MeteringStore metering;
  private final Clock clock;
  private final AccessPolicy access;
  private final MeteringSettings settings;
  private final Observation observation;

  /**
   * Accounts an ingest has found, by tenant and id, so that the next ingest naming them does not
   * look them up again (a round trip each on a database). Accounts are never deleted, so a found
   * account stays found; bounded, it stops remembering at {@value #KNOWN_ACCOUNTS} and then looks
   * up the others every time.
   */
  private final Set<AccountKey> knownAccounts = ConcurrentHashMap.newKeySet();

  /** An account by tenant and id (a key that costs no string). */
  private record AccountKey(TenantId tenant, AccountId account) {}

  /** A meter by tenant and key. */
  private record MeterKey(TenantId tenant, String meter) {}

  static final int KNOWN_ACCOUNTS = 100_000;

  public MeteringService(
      BillingStore store,
      MeteringStore metering,
      Clock clock,
      AccessPolicy access,
      MeteringSettings settings,
      Observation observation) {
    this.store = store;
    this.metering = metering;
    this.clock = clock;
    this.access = access;
    this.settings = settings;
    this.observation = observation;
  }

  @Override
  public Meter defineMeter(Meter meter, Actor actor) {
    InvalidRequestException.requireNonNull(meter, "meter");
    InvalidRequestException.requireNonNull(actor, "actor");
    access.check(actor, Operation.DEFINE_METER, meter.tenant());
    Meter stored = metering.insertMeterIfAbsent(meter);
    if (!stored.equals(meter)) {
      throw new MeterConflictException(stored, meter);
    }
    return stored;
  }

  @Override
  public java.util.Optional<Meter> findMeter(TenantId tenant, String key) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(key, "meter");
    return metering.findMeter(tenant, key);
  }

  @Override
  public List<Meter> meters(TenantId tenant) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    return metering.meters(tenant);
  }

  @Override
  public IngestResult ingest(UsageEvent event, Actor actor) {
    InvalidRequestException.requireNonNull(event, "event");
    return ingest(List.of(event), actor).get(0);
  }

  @Override
  public List<IngestResult> ingest(List<UsageEvent> events, Actor actor) {
    if (!observation.active()) {
      return ingestBatch(events, actor);
    }
    List<IngestResult> results;
    try {
      results = ingestBatch(events, actor);
    } catch (RuntimeException refused) {
      IngestTally.refused(events, observation);
      throw refused;
    }
    IngestTally.stored(events, results, observation);
    return results;
  }

  private List<IngestResult> ingestBatch(List<UsageEvent> events, Actor actor) {
    InvalidRequestException.requireNonNull(events, "events");
    InvalidRequestException.requireNonNull(actor, "actor");
    if (events.size() > MAX_BATCH) {
      throw new InvalidRequestException(
          "events", events.size(), "at most " + MAX_BATCH + " a call");
    }
    // Kept to the microsecond, like the events' times, so that the window's edges compare alike.
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    Instant earliest = now.minus(settings.lateArrival());
    Instant latest = now.plus(settings.clockSkew());
    Set<TenantId> checkedTenants = new HashSet<>();
    Map<MeterKey, Meter> meters = new HashMap<>();
    Set<AccountKey> accounts = new HashSet<>();
    List<StoredUsageEvent> batch = new ArrayList<>(events.size());
    // The meter of the previous event: a batch is mostly one meter's usage.
    Meter lastMeter = null;
    for (UsageEvent e : events) {
      InvalidRequestException.requireNonNull(e, "events");
      if (checkedTenants.add(e.tenant())) {
        access.check(actor, Operation.INGEST_USAGE, e.tenant());
      }
      Meter meter;
      if (lastMeter != null
          && lastMeter.tenant().equals(e.tenant())
          && lastMeter.key().equals(e.meter())) {
        meter = lastMeter;
      } else {
        MeterKey meterKey = new MeterKey(e.tenant(), e.meter());
        meter = meters.get(meterKey);
        if (meter == null) {
          meter =
              metering
                  .findMeter(e.tenant(), e.meter())
                  .orElseThrow(() -> new UnknownMeterException(e.tenant(), e.meter()));
          meters.put(meterKey, meter);
        }
        lastMeter = meter;
      }
      AccountKey accountKey = new AccountKey(e.tenant(), e.account());
      if (accounts.add(accountKey) && !knownAccounts.contains(accountKey)) {
        if (store.findAccount(e.tenant(), e.account()).isEmpty()) {
          throw new AccountNotFoundException(e.tenant(), e.account());
        }
        if (knownAccounts.size() < KNOWN_ACCOUNTS) {
          knownAccounts.add(accountKey);
        }
      }
      checkDimensions(meter, e);
      if (e.occurredAt().isBefore(earliest) || e.occurredAt().isAfter(latest)) {
        throw new UsageTimeOutOfRangeException(e.id(), e.occurredAt(), earliest, latest);
      }
      batch.add(StoredUsageEvent.unsequenced(e, fingerprint(e), now));
    }
    if (batch.isEmpty()) {
      return List.of();
    }
    List<IngestOutcome> outcomes = metering.ingest(batch);
    List<String> conflicts = new ArrayList<>();
    TenantId conflictTenant = null;
    for (IngestOutcome o : outcomes) {
      if (o instanceof IngestOutcome.Conflict c) {
        conflicts.add(c.refused().event().id());
        if (conflictTenant == null) {
          conflictTenant = c.refused().event().tenant();
        }
      }
    }
    if (conflictTenant != null) { // exactly when there are conflicts
      throw new UsageEventConflictException(conflictTenant, conflicts);
    }
    List<IngestResult> results = new ArrayList<>(outcomes.size());
    for (int i = 0; i < outcomes.size(); i++) {
      results.add(
          new IngestResult(events.get(i).id(), outcomes.get(i) instanceof IngestOutcome.Duplicate));
    }
    return results;
  }

  private static void checkDimensions(Meter meter, UsageEvent e) {
    for (String d : e.dimensions().keySet()) {
      if (!meter.dimensions().contains(d)) {
        throw new InvalidRequestException(
            "dimensions",
            d,
            "is not a dimension of meter " + meter.key() + " " + meter.dimensions());
      }
    }
    if (meter.keyDimension().isPresent()
        && !e.dimensions().containsKey(meter.keyDimension().get())) {
      throw new InvalidRequestException(
          "dimensions",
          e.dimensions(),
          "must name "
              + meter.keyDimension().get()
              + ", the key dimension of meter "
              + meter.key());
    }
  }

  private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  /** The payload's digest: an id sent again with another payload is a conflict. */
  static String fingerprint(UsageEvent e) {
    Fingerprint f = Fingerprint.of("usage").add("account", e.account()).add("meter", e.meter());
    BigDecimal q = e.quantity();
    // The quantity's plain text: a whole number that fits a long is streamed as that long (the
    // same digits) instead of being printed into a string first.
    if (q.scale() == 0 && q.compareTo(LONG_MIN) >= 0 && q.compareTo(LONG_MAX) <= 0) {
      f.add("quantity", q.longValueExact());
    } else {
      f.add("quantity", q.toPlainString());
    }
    return f.add("occurredAt", e.occurredAt()).add("dimensions", e.dimensions()).digest();
  }

  // ---------------------------------------------------------------- summaries

  @Override
  public List<UsageSummaryRow> monthlySummaries(UsageSummaryQuery query) {
    InvalidRequestException.requireNonNull(query, "query");
    List<UsageSummaryRow> rows;
    try {
      rows = new ArrayList<>(metering.usageSummary(query));
    } catch (ArithmeticException e) {
      // Every posting fits a long, a month's sum of them need not: refuse it typed, never raw.
      AmountOverflowException typed =
          new AmountOverflowException("the monthly usage summary of tenant " + query.tenant());
      typed.initCause(e);
      throw typed;
    }
    rows.removeIf(r -> r.quantity().signum() == 0 && r.credits().isZero());
    // Each row's dimension key is built once, not on every comparison of the sort.
    Map<UsageSummaryRow, String> dimensionKeys = new IdentityHashMap<>();
    rows.forEach(r -> dimensionKeys.put(r, RatedLine.dimensionKey(r.dimensions())));
    rows.sort(
        Comparator.comparing((UsageSummaryRow r) -> r.account().value())
            .thenComparingInt(UsageSummaryRow::year)
            .thenComparingInt(UsageSummaryRow::month)
            .thenComparing(UsageSummaryRow::meter)
            .thenComparing(dimensionKeys::get));
    return List.copyOf(rows);
  }

  @Override
  public List<UsageSummaryRow> monthlySummaries(
      UsageSummaryQuery query, Price creditPrice, RoundingMode rounding) {
    InvalidRequestException.requireNonNull(creditPrice, "creditPrice");
    InvalidRequestException.requireNonNull(rounding, "rounding");
    List<UsageSummaryRow> converted = new ArrayList<>();
    for (UsageSummaryRow r : monthlySummaries(query)) {
      converted.add(r.withCurrency(creditPrice.convert(r.credits(), rounding)));
    }
    return List.copyOf(converted);
  }

  // ---------------------------------------------------------------- per-request prices

  @Override
  public Amount estimate(
      TenantId tenant,
      AccountId account,
      String meter,
      BigDecimal quantity,
      Map<String, String> dimensions) {
    return priceOf(tenant, account, meter, quantity, dimensions, RoundingMode.CEILING);
  }

  @Override
  public Amount price(
      TenantId tenant,
      AccountId account,
      String meter,
      BigDecimal quantity,
      Map<String, String> dimensions) {
    return priceOf(tenant, account, meter, quantity, dimensions, roundingOf(settings.prices()));
  }

  /**
   * The book's rounding mode. The builder refuses UNNECESSARY, but a host's own book might return
   * it (or null): usage costs are rarely whole, so rating would fail on the first fraction.
   */
  static RoundingMode roundingOf(PriceBook book) {
    RoundingMode mode = book.rounding();
    if (mode == null || mode == RoundingMode.UNNECESSARY) {
      throw new InvalidRequestException(
          "rounding",
          mode,
          "of the price book must say how to round; usage costs are rarely whole");
    }
    return mode;
  }

  /**
   * The account's price for the meter from the book, in the account's unit (rule 8), or the typed
   * refusal: the deduction and the per-request prices look prices up alike.
   *
   * @param dimensions what the refusal names as the unpriced usage
   */
  static MeterPrice priceIn(
      PriceBook book, Account account, Meter meter, Map<String, String> dimensions) {
    MeterPrice price =
        book.priceFor(account.tenant(), account.id(), meter)
            .orElseThrow(
                () ->
                    new UnpricedUsageException(
                        account.tenant(), account.id(), meter.key(), dimensions));
    if (!price.unit().equals(account.unit())) {
      throw new UnitMismatchException(account.unit(), price.unit());
    }
    return price;
  }

  private Amount priceOf(
      TenantId tenant,
      AccountId account,
      String meterKey,
      BigDecimal quantity,
      Map<String, String> dimensions,
      RoundingMode rounding) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(meterKey, "meter");
    InvalidRequestException.requireNonNull(dimensions, "dimensions");
    BigDecimal q = UsageEvent.checkQuantity(quantity);
    Meter meter =
        metering
            .findMeter(tenant, meterKey)
            .orElseThrow(() -> new UnknownMeterException(tenant, meterKey));
    Account acc =
        store
            .findAccount(tenant, account)
            .orElseThrow(() -> new AccountNotFoundException(tenant, account));
    MeterPrice price = priceIn(settings.prices(), acc, meter, dimensions);
    int rule =
        price
            .ruleFor(dimensions)
            .orElseThrow(() -> new UnpricedUsageException(tenant, account, meterKey, dimensions));
    Rational major = price.rules().get(rule).model().cost(q);
    Rational minor =
        major.times(Rational.of(BigInteger.TEN.pow(acc.unit().scale()), BigInteger.ONE));
    BigInteger rounded = minor.round(rounding);
    if (rounded.bitLength() >= Long.SIZE) {
      throw new RatingOverflowException(tenant, account, meterKey, q, acc.unit());
    }
    return Amount.ofMinor(acc.unit(), rounded.longValueExact());
  }
}
