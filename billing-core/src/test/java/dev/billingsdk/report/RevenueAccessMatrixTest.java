package dev.billingsdk.report;

import static dev.billingsdk.report.RevenueWorld.ACME;
import static dev.billingsdk.report.RevenueWorld.ADMIN;
import static dev.billingsdk.report.RevenueWorld.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccessDeniedException;
import dev.billingsdk.Actor;
import dev.billingsdk.Role;
import dev.billingsdk.credit.CostBasis;
import dev.billingsdk.credit.GrantCategory;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who sees what, as a matrix of role × report: admins and finance read everything; a partner (and
 * neither admin nor finance) reads only its own modules' revenue and payouts and is refused true
 * and agent revenue; users and the host's jobs read nothing; payouts and publishing need
 * RUN_PAYOUTS.
 */
class RevenueAccessMatrixTest {
  static final YearMonth MARCH = YearMonth.of(2026, 3);
  static final Actor FINANCE = Actor.of("fiona", Role.FINANCE);
  static final Actor PARTNER_P = Actor.of("partner-p", Role.PARTNER);
  static final Actor PARTNER_Q = Actor.of("partner-q", Role.PARTNER);
  static final Actor PARTNER_ADMIN = Actor.of("partner-p", Role.PARTNER, Role.ADMIN);
  static final Actor USER = Actor.of("uma", Role.USER);
  static final Actor SYSTEM = Actor.system("payout-job");

  enum Report {
    TRUE,
    PARTNER,
    AGENT,
    MODULES,
    PAYOUTS,
    RUN_PAYOUTS,
    PUBLISH
  }

  /** What each actor gets: "all", "own" (partner-p's rows only), "none" (empty), or "denied". */
  static Stream<Arguments> matrix() {
    return Stream.of(
        row(ADMIN, "all", "all", "all", "all", "all", "allowed", "allowed"),
        row(FINANCE, "all", "all", "all", "all", "all", "allowed", "allowed"),
        row(PARTNER_ADMIN, "all", "all", "all", "all", "all", "allowed", "allowed"),
        row(PARTNER_P, "denied", "own", "denied", "own", "own", "denied", "denied"),
        row(PARTNER_Q, "denied", "none", "denied", "none", "none", "denied", "denied"),
        row(USER, "denied", "denied", "denied", "denied", "denied", "denied", "denied"),
        row(SYSTEM, "denied", "denied", "denied", "denied", "denied", "allowed", "allowed"));
  }

  private static Arguments row(Actor actor, String... outcomes) {
    return Arguments.of(actor, List.of(outcomes));
  }

  /** Two partners' modules, one referral, a finished March with its payouts run. */
  static RevenueWorld world() {
    RevenueWorld w = new RevenueWorld(Instant.parse("2026-03-02T09:00:00Z"));
    w.settings("30", "10");
    w.open("ann");
    w.open("alice");
    w.refer("ann", "alice");
    w.reports().publishModule(ACME, "llm-tokens", "partner-p", w.clock.instant(), ADMIN);
    w.reports().publishModule(ACME, "gpu", "partner-x", w.clock.instant(), ADMIN);
    w.buy("alice", 1_000, "10.00", 1_000);
    w.grant("alice", 10, GrantCategory.PROMOTIONAL, CostBasis.free());
    w.use("alice", "llm-tokens", 300);
    w.use("alice", "gpu", 200);
    w.clock.set(Instant.parse("2026-04-01T00:00:00Z"));
    w.reports()
        .runPayouts(
            PayoutRequest.run(ACME, MARCH, RevenueWorld.UTC, RoundingMode.HALF_EVEN, ADMIN));
    w.clock.advance(Duration.ofDays(1));
    return w;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("matrix")
  void everyRoleSeesWhatItMay(Actor actor, List<String> outcomes) {
    RevenueWorld w = world();
    Report[] reports = Report.values();
    for (int i = 0; i < reports.length; i++) {
      Report report = reports[i];
      String expected = outcomes.get(i);
      Function<Actor, List<?>> read = reader(w, report);
      if (expected.equals("denied")) {
        assertThatThrownBy(() -> read.apply(actor))
            .as("%s reading %s", actor, report)
            .isInstanceOf(AccessDeniedException.class);
        continue;
      }
      List<?> got = read.apply(actor);
      switch (expected) {
        case "all" ->
            assertThat(got).as("%s reading %s", actor, report).isEqualTo(read.apply(ADMIN));
        case "own" -> {
          assertThat(got).as("%s reading %s", actor, report).isNotEmpty();
          assertThat(got).allSatisfy(x -> assertThat(partnerOf(x)).isEqualTo("partner-p"));
          assertThat(read.apply(ADMIN)).hasSizeGreaterThan(got.size());
        }
        case "none" -> assertThat(got).as("%s reading %s", actor, report).isEmpty();
        case "allowed" -> assertThat(got).as("%s running %s", actor, report).isNotNull();
        default -> throw new AssertionError(expected);
      }
    }
  }

  private static String partnerOf(Object row) {
    if (row instanceof PartnerRevenueRow r) {
      return r.partner();
    }
    if (row instanceof PartnerModule m) {
      return m.partner();
    }
    return ((Payout) row).partner();
  }

  private static Function<Actor, List<?>> reader(RevenueWorld w, Report report) {
    RevenueReports r = w.reports();
    return switch (report) {
      case TRUE -> a -> r.trueRevenue(query(MARCH, a));
      case PARTNER -> a -> r.partnerRevenue(query(MARCH, a));
      case AGENT -> a -> r.agentRevenue(query(MARCH, a));
      case MODULES -> a -> r.modules(ACME, a);
      case PAYOUTS -> a -> r.payouts(ACME, MARCH, a);
      case RUN_PAYOUTS ->
          a ->
              List.of(
                  r.runPayouts(
                      PayoutRequest.dryRun(
                          ACME, MARCH, RevenueWorld.UTC, RoundingMode.HALF_EVEN, a)));
      case PUBLISH ->
          a -> List.of(r.publishModule(ACME, "storage", "partner-z", w.clock.instant(), a));
    };
  }
}
