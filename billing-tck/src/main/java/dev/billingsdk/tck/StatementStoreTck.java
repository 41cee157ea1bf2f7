package dev.billingsdk.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.metering.Aggregation;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.MeterPrice;
import dev.billingsdk.metering.MeteringSettings;
import dev.billingsdk.metering.PriceBook;
import dev.billingsdk.metering.PriceModel;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.StatementStore;
import dev.billingsdk.statement.Statement;
import dev.billingsdk.statement.StatementLine;
import dev.billingsdk.statement.StatementWindow;
import dev.billingsdk.statement.UsageCell;
import dev.billingsdk.testkit.TestClock;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The rules of the statement part of the storage SPI ({@link StatementStore}): a closed statement
 * reads back exactly and is stored once, also by racing instances; the newest earlier one is found;
 * a statement window holds exactly its transactions (late ones after the previous watermark
 * included), in sequence order across pages; the balance before an instant and the usage cells sum
 * the ledger and rated lines exactly; accounts page in id order within their tenant.
 *
 * <p>An adapter supplies its billing store (which must also keep metering) and its statement store
 * on the same storage.
 */
public abstract class StatementStoreTck {

  /** For subclasses: an adapter's runner extends this kit. */
  protected StatementStoreTck() {}

  /** The billing store the statement store reads; it must implement MeteringStore too. */
  protected abstract BillingStore ledger();

  protected abstract StatementStore store();

  /** A second instance on the same storage; the race rule writes through both. */
  protected StatementStore secondInstance() {
    return store();
  }

  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 2);
  static final Actor ADMIN = Actor.of("tck-admin", Role.ADMIN);
  static final Actor JOBS = Actor.system("tck-jobs");
  static final YearMonth JANUARY = YearMonth.of(2026, 1);
  static final YearMonth FEBRUARY = YearMonth.of(2026, 2);
  static final String METER = "gpu-time";

  /** Dimension text with every character the canonical dimension key escapes, and more. */
  static final String HOSTILE = "a=b;c\\d \"e\" ü";

  private TenantId tenant = TenantId.of("x");
  private TestClock clock = new TestClock();
  // Built in freshTenant(), after the subclass has its stores.
  private Billing billing;
  private int keys;

  @BeforeEach
  void freshTenant() {
    tenant = TenantId.of("stm-" + UUID.randomUUID());
    clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    billing =
        Billing.builder()
            .store(ledger())
            .clock(clock)
            .metering(
                MeteringSettings.of(
                    PriceBook.builder(RoundingMode.HALF_EVEN)
                        .meter(METER, MeterPrice.of(CREDIT, PriceModel.perUnit("0.01")))
                        .build(),
                    Duration.ofHours(1)))
            .build();
  }

  static Amount credits(String value) {
    return Amount.of(CREDIT, value);
  }

  static Instant at(String iso) {
    return Instant.parse(iso);
  }

  AccountId open(String id) {
    AccountId account = AccountId.of(id);
    billing
        .credits()
        .openAccount(OpenAccountRequest.builder(tenant, account, CREDIT).actor(ADMIN).build());
    return account;
  }

  void grant(AccountId account, String amount, Optional<Instant> expiresAt) {
    GrantRequest.Builder b =
        GrantRequest.builder(tenant, account, credits(amount))
            .category(GrantCategory.PROMOTIONAL)
            .idempotencyKey(IdempotencyKey.of("g-" + keys++))
            .actor(ADMIN)
            .reason("tck");
    expiresAt.ifPresent(b::expiresAt);
    billing.credits().grant(b.build());
  }

  void charge(AccountId account, String amount) {
    billing
        .credits()
        .charge(
            ChargeRequest.builder(
                    tenant, account, Charge.of(ChargeKind.FIXED_FEE, "fee", credits(amount)))
                .idempotencyKey(IdempotencyKey.of("c-" + keys++))
                .actor(JOBS)
                .reason("tck")
                .build());
  }

  /** A closed statement with lines, a late line and usage cells, without a ledger behind it. */
  Statement closedStatement(AccountId account, YearMonth month, long watermark, String closing) {
    List<StatementLine> lines =
        List.of(
            new StatementLine(
                StatementLine.Section.CREDIT,
                "PROMOTIONAL",
                Optional.empty(),
                credits(closing).plus(credits("2.50")),
                3),
            new StatementLine(
                StatementLine.Section.USAGE,
                METER,
                Optional.of(month.minusMonths(1)),
                credits("2.50"),
                1));
    List<UsageCell> usage =
        List.of(
            new UsageCell(
                METER,
                Map.of("pool", HOSTILE, "instance", "i-1"),
                month.minusMonths(1),
                StatementWindow.start(month).plus(Duration.ofHours(5)),
                new BigDecimal("0.000000000001"),
                credits("2.50"),
                StatementWindow.start(month).plus(Duration.ofMinutes(302))));
    StatementWindow w = StatementWindow.open(month, watermark / 2).closedAt(watermark);
    return new Statement(
        tenant,
        account,
        month,
        Statement.Status.CLOSED,
        CREDIT,
        credits("0"),
        credits(closing),
        lines,
        usage,
        Map.of(METER, "instance"),
        w,
        4,
        Optional.of(StatementWindow.start(month.plusMonths(1)).plusNanos(123_456_789)));
  }

  @Nested
  class ClosedStatements {

    @Test
    void required_aClosedStatementReadsBackFieldForField() {
      AccountId a = open("a");
      Statement s = closedStatement(a, JANUARY, 10, "7.00");
      assertThat(store().insertClosed(s)).isTrue();
      assertThat(store().findClosed(tenant, a, JANUARY)).contains(s);
      assertThat(store().findClosed(tenant, a, FEBRUARY)).isEmpty();
      assertThat(store().findClosed(TenantId.of(tenant.value() + "-other"), a, JANUARY)).isEmpty();
    }

    @Test
    void required_aMonthIsStoredOnceEvenByRacingInstances() throws Exception {
      AccountId a = open("a");
      int threads = 8;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Boolean>> wins = new ArrayList<>();
      List<Statement> tries = new ArrayList<>();
      try {
        for (int i = 0; i < threads; i++) {
          Statement s = closedStatement(a, JANUARY, 10 + i, (i + 1) + ".00");
          tries.add(s);
          StatementStore through = i % 2 == 0 ? store() : secondInstance();
          wins.add(
              pool.submit(
                  () -> {
                    go.await();
                    return through.insertClosed(s);
                  }));
        }
        go.countDown();
        List<Statement> winners = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          if (wins.get(i).get(30, TimeUnit.SECONDS)) {
            winners.add(tries.get(i));
          }
        }
        assertThat(winners).hasSize(1);
        assertThat(store().findClosed(tenant, a, JANUARY)).contains(winners.get(0));
        assertThat(store().insertClosed(closedStatement(a, JANUARY, 99, "1.00"))).isFalse();
        assertThat(store().findClosed(tenant, a, JANUARY)).contains(winners.get(0));
      } finally {
        pool.shutdownNow();
      }
    }

    @Test
    void required_theLatestClosedBeforeAMonthIsTheNewestEarlierOne() {
      AccountId a = open("a");
      AccountId b = open("b");
      Statement dec = closedStatement(a, YearMonth.of(2025, 12), 4, "1.00");
      Statement feb = closedStatement(a, FEBRUARY, 8, "2.00");
      store().insertClosed(dec);
      store().insertClosed(feb);
      store().insertClosed(closedStatement(b, JANUARY, 9, "3.00"));
      assertThat(store().latestClosedBefore(tenant, a, YearMonth.of(2026, 3))).contains(feb);
      assertThat(store().latestClosedBefore(tenant, a, FEBRUARY)).contains(dec);
      assertThat(store().latestClosedBefore(tenant, a, JANUARY)).contains(dec);
      assertThat(store().latestClosedBefore(tenant, a, YearMonth.of(2025, 12))).isEmpty();
      assertThat(store().latestClosedBefore(tenant, b, JANUARY)).isEmpty();
    }
  }

  @Nested
  class Windows {

    @Test
    void required_aWindowHoldsItsMonthAndTheLateTransactionsAfterTheWatermark() {
      AccountId a = open("a");
      clock.set(at("2026-01-05T00:00:00Z"));
      grant(a, "10.00", Optional.of(at("2026-01-31T12:00:00Z")));
      clock.set(at("2026-01-10T00:00:00Z"));
      grant(a, "5.00", Optional.empty());
      charge(a, "1.00");
      clock.set(at("2026-02-01T00:05:00Z"));
      long watermark = store().lastSequence(tenant, a);
      // The expiry of January 31st, swept on February 2nd: after January's watermark.
      clock.set(at("2026-02-02T00:00:00Z"));
      billing.sweeps().expireGrants(tenant, JOBS, false);
      charge(a, "2.00");
      List<LedgerTransaction> all = billing.ledger().transactions(tenant, a);
      assertThat(all).hasSize(5);
      LedgerTransaction expiry =
          all.stream().filter(t -> t.type() == TransactionType.EXPIRY).findFirst().orElseThrow();
      assertThat(expiry.sequence()).isGreaterThan(watermark);

      StatementWindow january =
          StatementWindow.open(JANUARY, StatementWindow.NONE).closedAt(watermark);
      assertThat(read(a, january, 1)).isEqualTo(expected(all, january)).hasSize(3);
      StatementWindow february = StatementWindow.open(FEBRUARY, watermark);
      assertThat(read(a, february, 1)).isEqualTo(expected(all, february)).hasSize(2);
      assertThat(read(a, february, 1000)).contains(expiry);
      StatementWindow februaryAlone = StatementWindow.open(FEBRUARY, StatementWindow.NONE);
      assertThat(read(a, februaryAlone, 2)).isEqualTo(expected(all, februaryAlone)).hasSize(1);
      assertThat(read(open("b"), february, 10)).isEmpty();
    }

    @Test
    void required_theBalanceBeforeAnInstantSumsTheAccountsPostings() {
      AccountId a = open("a");
      clock.set(at("2026-01-05T00:00:00Z"));
      grant(a, "10.00", Optional.empty());
      charge(a, "3.25");
      long watermark = store().lastSequence(tenant, a);
      clock.set(at("2026-02-03T00:00:00Z"));
      grant(a, "1.00", Optional.empty());
      assertThat(store().balanceBefore(tenant, a, at("2026-02-01T00:00:00Z"), Long.MAX_VALUE))
          .isEqualTo(675);
      assertThat(store().balanceBefore(tenant, a, at("2026-03-01T00:00:00Z"), Long.MAX_VALUE))
          .isEqualTo(775);
      assertThat(store().balanceBefore(tenant, a, at("2026-03-01T00:00:00Z"), watermark))
          .isEqualTo(675);
      assertThat(store().balanceBefore(tenant, a, at("2026-01-05T00:00:00Z"), Long.MAX_VALUE))
          .isZero();
    }

    @Test
    void required_accountsPageInIdOrderWithinTheTenant() {
      List<AccountId> opened = new ArrayList<>();
      for (String id : List.of("c", "a", "e", "b", "d")) {
        opened.add(open(id));
      }
      opened.sort(Comparator.comparing(AccountId::value));
      List<AccountId> paged = new ArrayList<>();
      Optional<AccountId> after = Optional.empty();
      while (true) {
        List<AccountId> page = store().accounts(tenant, after, 2);
        paged.addAll(page);
        if (page.size() < 2) {
          break;
        }
        after = Optional.of(page.get(1));
      }
      assertThat(paged).isEqualTo(opened);
      assertThat(store().accounts(TenantId.of(tenant.value() + "-other"), Optional.empty(), 10))
          .isEmpty();
    }
  }

  @Nested
  class Usage {

    @Test
    void required_usageCellsSumTheWindowsRatedLinesByMeterDimensionsAndHour() {
      AccountId a = open("a");
      clock.set(at("2026-01-20T00:00:00Z"));
      grant(a, "1000.00", Optional.empty());
      billing
          .metering()
          .defineMeter(
              Meter.builder(tenant, METER, Aggregation.SUM)
                  .unit("seconds")
                  .dimensions("pool")
                  .build(),
              ADMIN);
      send(a, "e1", "100", at("2026-01-31T22:10:00Z"), HOSTILE);
      send(a, "e2", "50", at("2026-01-31T22:40:00Z"), HOSTILE);
      clock.set(at("2026-01-31T23:05:00Z"));
      billing.deductions().run();
      send(a, "e3", "7", at("2026-01-31T23:10:00Z"), "cpu");
      clock.set(at("2026-02-01T00:05:00Z"));
      billing.deductions().run();
      long watermark = store().lastSequence(tenant, a);
      // Late: January usage reported on February 1st, rated in February.
      send(a, "e4", "300", at("2026-01-31T23:50:00Z"), "cpu");
      clock.set(at("2026-02-01T01:05:00Z"));
      billing.deductions().run();

      List<UsageCell> january =
          sorted(
              store()
                  .statementUsage(
                      tenant,
                      a,
                      StatementWindow.open(JANUARY, StatementWindow.NONE).closedAt(watermark)));
      assertThat(january)
          .extracting(
              c -> c.dimensions().get("pool"),
              UsageCell::hour,
              UsageCell::quantity,
              UsageCell::credits)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(
                  HOSTILE, at("2026-01-31T22:00:00Z"), new BigDecimal("150"), credits("1.50")),
              org.assertj.core.groups.Tuple.tuple(
                  "cpu", at("2026-01-31T23:00:00Z"), new BigDecimal("7"), credits("0.07")));
      assertThat(january.get(0).period()).isEqualTo(JANUARY);
      // The first rating window starts at the account's first usage.
      assertThat(january.get(0).firstWindowStart()).isEqualTo(at("2026-01-31T22:10:00Z"));

      List<UsageCell> february =
          sorted(store().statementUsage(tenant, a, StatementWindow.open(FEBRUARY, watermark)));
      assertThat(february)
          .extracting(UsageCell::period, UsageCell::quantity, UsageCell::credits)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(JANUARY, new BigDecimal("300"), credits("3.00")));
      long posted =
          billing.ledger().transactions(tenant, a).stream()
              .filter(t -> t.type() == TransactionType.USAGE_DEBIT)
              .mapToLong(t -> t.minorOn(LedgerAccount.counter(LedgerAccount.Kind.CONSUMED)))
              .sum();
      assertThat(posted).isEqualTo(150 + 7 + 300);
      assertThat(
              store()
                  .statementUsage(
                      tenant, open("b"), StatementWindow.open(JANUARY, StatementWindow.NONE)))
          .isEmpty();
    }
  }

  private void send(AccountId a, String id, String quantity, Instant when, String pool) {
    if (when.isAfter(clock.instant())) {
      clock.set(when);
    }
    billing
        .metering()
        .ingest(
            UsageEvent.builder(tenant, a, METER)
                .id(id)
                .quantity(new BigDecimal(quantity))
                .occurredAt(when)
                .dimensions(Map.of("pool", pool))
                .build(),
            JOBS);
  }

  private static List<UsageCell> sorted(List<UsageCell> cells) {
    return cells.stream()
        .sorted(Comparator.comparing(UsageCell::hour).thenComparing(c -> c.dimensions().toString()))
        .toList();
  }

  /** The window read in pages of {@code page}. */
  private List<LedgerTransaction> read(AccountId a, StatementWindow w, int page) {
    List<LedgerTransaction> all = new ArrayList<>();
    long after = -1;
    while (true) {
      List<LedgerTransaction> got = store().statementTransactions(tenant, a, w, after, page);
      all.addAll(got);
      if (got.size() < page) {
        return all;
      }
      after = got.get(got.size() - 1).sequence();
    }
  }

  private static List<LedgerTransaction> expected(List<LedgerTransaction> all, StatementWindow w) {
    return all.stream()
        .filter(w::contains)
        .sorted(Comparator.comparingLong(LedgerTransaction::sequence))
        .toList();
  }
}
