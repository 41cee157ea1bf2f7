package dev.billingsdk.statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccessDeniedException;
import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdGenerator;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.economy.CreditPrice;
import dev.billingsdk.economy.EconomySettings;
import dev.billingsdk.economy.SettingsUpdate;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryEconomyStore;
import dev.billingsdk.memory.InMemoryProjectCostStore;
import dev.billingsdk.memory.InMemoryStatementStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.report.ProjectCostQuery;
import dev.billingsdk.report.ProjectCostRow;
import dev.billingsdk.report.ProjectInvoiceRequest;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.testing.TestClock;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who sees what on the statement and cost side, as a matrix of role × read: admins and finance read
 * every account and cost of the tenant; a user reads only the licences they hold; a partner reads
 * no statement and no cost (partner revenue is in RevenueAccessMatrixTest); the host's jobs read
 * statements and close months but read no cost. Enforced by the library, whatever the host passes.
 */
class FinanceAccessMatrixTest {
  static final TenantId ACME = TenantId.of("acme");
  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 0);
  static final CurrencyUnit USD = CurrencyUnit.of("USD");
  static final YearMonth OCTOBER = YearMonth.of(2026, 10);
  static final Actor ADMIN = Actor.of("ada", Role.ADMIN);
  static final Actor FINANCE = Actor.of("fiona", Role.FINANCE);
  static final Actor PARTNER = Actor.of("pat", Role.PARTNER);
  static final Actor UMA = Actor.of("uma", Role.USER);
  static final Actor BOB = Actor.of("bob", Role.USER);
  static final Actor JOBS = Actor.system("billing-jobs");
  static final AccountId UMAS = AccountId.of("licence-uma");
  static final AccountId BOBS = AccountId.of("licence-bob");

  enum Read {
    UMAS_STATEMENT,
    TRANSACTIONS,
    BALANCES,
    CLOSE,
    COST_ROWS,
    COST_TOTALS,
    INVOICE,
    IMPORT
  }

  static Stream<Arguments> matrix() {
    return Stream.of(
        row(ADMIN, "all", "all", "all", "allowed", "all", "all", "all", "allowed"),
        row(FINANCE, "all", "all", "all", "allowed", "all", "all", "all", "allowed"),
        row(JOBS, "all", "all", "all", "allowed", "denied", "denied", "denied", "denied"),
        row(UMA, "all", "own", "own", "denied", "denied", "denied", "denied", "denied"),
        row(BOB, "denied", "own", "own", "denied", "denied", "denied", "denied", "denied"),
        row(
            PARTNER, "denied", "denied", "denied", "denied", "denied", "denied", "denied",
            "denied"));
  }

  private static Arguments row(Actor actor, String... outcomes) {
    return Arguments.of(actor, List.of(outcomes));
  }

  final TestClock clock = new TestClock(Instant.parse("2026-10-01T00:00:00Z"));
  final InMemoryBillingStore store = InMemoryBillingStore.create();
  final Billing billing =
      Billing.builder()
          .store(store)
          .clock(clock)
          .ids(IdGenerator.sequential())
          .statements(InMemoryStatementStore.create(store))
          .economy(InMemoryEconomyStore.create())
          .projectCosts(InMemoryProjectCostStore.create())
          .build();

  FinanceAccessMatrixTest() {
    billing
        .economy()
        .saveSettings(
            SettingsUpdate.of(
                ACME,
                0,
                EconomySettings.builder(CreditPrice.of(Amount.of(CREDIT, 100), Amount.of(USD, 1)))
                    .build(),
                FINANCE,
                "price"));
    for (AccountId id : List.of(UMAS, BOBS)) {
      billing
          .credits()
          .openAccount(
              OpenAccountRequest.builder(ACME, id, CREDIT)
                  .actor(ADMIN)
                  .holder(id == UMAS ? "uma" : "bob")
                  .build());
      clock.set(Instant.parse("2026-10-02T00:00:00Z"));
      billing
          .credits()
          .grant(
              GrantRequest.builder(ACME, id, Amount.of(CREDIT, 100))
                  .idempotencyKey(IdempotencyKey.of("g-" + id.value()))
                  .actor(ADMIN)
                  .reason("credits")
                  .build());
    }
    billing.projectCosts().importRows(ACME, List.of(cost("r1")), FINANCE);
    clock.set(Instant.parse("2026-11-02T00:00:00Z"));
  }

  static ProjectCostRow cost(String id) {
    Instant at = Instant.parse("2026-10-05T00:00:00Z");
    return ProjectCostRow.builder(id)
        .service("Compute Engine")
        .sku("N2")
        .project("p-1", "Jupyter")
        .label("module", "jupyter")
        .cost(Amount.of(USD, "1.50"))
        .usage(at, at.plusSeconds(3600))
        .build();
  }

  Function<Actor, List<?>> reader(Read read) {
    Statements s = billing.statements();
    ProjectCostQuery october =
        ProjectCostQuery.between(
            ACME, Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-11-01T00:00:00Z"));
    return switch (read) {
      case UMAS_STATEMENT -> a -> List.of(s.statement(ACME, UMAS, OCTOBER, a).account());
      case TRANSACTIONS ->
          a ->
              s.transactions(TransactionQuery.builder(ACME, a).build()).transactions().stream()
                  .map(LedgerTransaction::account)
                  .toList();
      case BALANCES ->
          a ->
              s.balances(BalanceQuery.builder(ACME, a, OCTOBER, OCTOBER).build()).rows().stream()
                  .map(BalanceRow::account)
                  .toList();
      case CLOSE -> a -> List.of(s.close(StatementCloseRequest.of(ACME, OCTOBER, a).asDryRun()));
      case COST_ROWS -> a -> billing.projectCosts().rows(october, a);
      case COST_TOTALS -> a -> List.of(billing.projectCosts().totals(october, a));
      case INVOICE ->
          a ->
              List.of(
                  billing
                      .projectCosts()
                      .invoice(ProjectInvoiceRequest.of(ACME, OCTOBER, RoundingMode.HALF_UP, a)));
      case IMPORT -> a -> List.of(billing.projectCosts().importRows(ACME, List.of(cost("r1")), a));
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("matrix")
  void everyRoleSeesWhatItMay(Actor actor, List<String> outcomes) {
    Read[] reads = Read.values();
    for (int i = 0; i < reads.length; i++) {
      Read read = reads[i];
      Function<Actor, List<?>> r = reader(read);
      switch (outcomes.get(i)) {
        case "denied" ->
            assertThatThrownBy(() -> r.apply(actor))
                .as("%s reading %s", actor, read)
                .isInstanceOf(AccessDeniedException.class);
        case "all" ->
            assertThat(r.apply(actor)).as("%s reading %s", actor, read).isEqualTo(r.apply(ADMIN));
        case "own" -> {
          List<Object> got = List.copyOf(r.apply(actor));
          AccountId theirs = actor.id().equals("uma") ? UMAS : BOBS;
          assertThat(got).as("%s reading %s", actor, read).isNotEmpty();
          assertThat(Set.copyOf(got)).as("%s reading %s", actor, read).isEqualTo(Set.of(theirs));
          assertThat(List.<Object>copyOf(r.apply(ADMIN))).contains(UMAS, BOBS);
        }
        case "allowed" -> assertThat(r.apply(actor)).as("%s running %s", actor, read).isNotEmpty();
        default -> throw new AssertionError(outcomes.get(i));
      }
    }
  }
}
