package dev.billingsdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.Allocation;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.CostBasis;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.InsufficientCreditException;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.Reservation;
import dev.billingsdk.credit.ReservationId;
import dev.billingsdk.credit.ReservationState;
import dev.billingsdk.credit.ReserveRequest;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.event.ChargePosted;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.ledger.TransactionFilter;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.report.ProjectCostQuery;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.statement.TransactionQuery;
import dev.billingsdk.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Instants enter the library at the microsecond, the finest precision every store keeps: the cases
 * below the microsecond where a store that kept nanoseconds (the in-memory one) would answer
 * differently from a database. The same cases run against H2, PostgreSQL and MariaDB in
 * billing-jdbc's {@code AbstractInstantPrecisionProperties}.
 */
class InstantNormalisationTest {
  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 0);
  static final TenantId TENANT = TenantId.of("acme");
  static final AccountId ACCOUNT = AccountId.of("org-1");
  static final Actor ADMIN = Actor.of("alice", Role.ADMIN);

  /** A whole microsecond. */
  static final Instant T = Instant.parse("2026-03-01T10:00:00.000001Z");

  static Amount credits(long n) {
    return Amount.ofMinor(CREDIT, n);
  }

  static InvalidRequestException refused(Runnable call, String field) {
    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class, call::run);
    assertThat(e).as("refused, naming %s", field).isNotNull();
    assertThat(e.field()).isEqualTo(field);
    return e;
  }

  @Nested
  class The_services {
    final TestClock clock = new TestClock(T.plusNanos(300));
    final Billing billing =
        Billing.builder()
            .store(InMemoryBillingStore.create())
            .clock(clock)
            .ids(IdGenerator.sequential())
            .build();
    int keys;

    The_services() {
      billing
          .credits()
          .openAccount(
              OpenAccountRequest.builder(TENANT, ACCOUNT, CREDIT)
                  .actor(ADMIN)
                  .overdraftPolicy(OverdraftPolicy.reject())
                  .build());
    }

    GrantResult grant(long n, Instant effectiveFrom, Instant expiresAt) {
      return billing
          .credits()
          .grant(
              GrantRequest.builder(TENANT, ACCOUNT, credits(n))
                  .effectiveFrom(effectiveFrom)
                  .expiresAt(expiresAt)
                  .idempotencyKey(IdempotencyKey.of("k-" + ++keys))
                  .actor(ADMIN)
                  .reason("grant")
                  .build());
    }

    ChargeRequest charge(long n) {
      return ChargeRequest.builder(TENANT, ACCOUNT, Charge.usage("tokens", credits(n)))
          .idempotencyKey(IdempotencyKey.of("k-" + ++keys))
          .actor(ADMIN)
          .reason("charge")
          .build();
    }

    @Test
    void two_expiries_300_ns_apart_tie_and_pay_in_creation_order() {
      Instant expiry = T.plus(Duration.ofHours(1));
      GrantResult later = grant(10, T, expiry.plusNanos(700));
      GrantResult sooner = grant(10, T, expiry.plusNanos(400));

      assertThat(later.grant().expiresAt()).contains(expiry);
      assertThat(sooner.grant().expiresAt()).contains(expiry);
      ChargeResult r = billing.credits().charge(charge(15));
      assertThat(r.allocations())
          .extracting(Allocation::grant)
          .containsExactly(later.grant().id(), sooner.grant().id());
    }

    @Test
    void a_grant_effective_within_the_clocks_microsecond_pays_at_once() {
      grant(10, T.plusNanos(900), T.plus(Duration.ofHours(1)));
      assertThat(billing.credits().charge(charge(4)).charged()).isEqualTo(credits(4));
    }

    @Test
    void an_expiry_within_the_clocks_microsecond_has_passed() {
      // An expiry in the clock's microsecond is not in the future: refused as a request.
      refused(() -> grant(10, T.minusSeconds(1), T.plusNanos(900)), "expiresAt");
      // One the microsecond after: accepted, and expired once the clock reaches that microsecond,
      // 600 ns before the expiry as given.
      grant(10, T.minusSeconds(1), T.plusNanos(1_900));
      clock.advance(Duration.ofNanos(1_000));
      assertThatThrownBy(() -> billing.credits().charge(charge(4)))
          .isInstanceOf(InsufficientCreditException.class);
      assertThat(billing.credits().balance(TENANT, ACCOUNT).available()).isEqualTo(credits(0));
    }

    @Test
    void a_result_and_its_replay_are_dated_to_the_microsecond_and_equal() {
      grant(10, T, T.plus(Duration.ofHours(1)));
      clock.advance(Duration.ofNanos(1_234));
      ChargeRequest request = charge(3);
      ChargeResult original = billing.credits().charge(request);
      clock.advance(Duration.ofNanos(5_555));
      ChargeResult replay = billing.credits().charge(request);

      assertThat(original.transaction().recordedAt()).isEqualTo(T.plusNanos(1_000));
      assertThat(replay.replayed()).isTrue();
      assertThat(replay.transaction()).isEqualTo(original.transaction());
    }

    @Test
    void a_time_to_live_is_kept_to_the_microsecond() {
      grant(10, T, T.plus(Duration.ofHours(1)));
      Reservation r =
          billing
              .reservations()
              .reserve(
                  ReserveRequest.builder(TENANT, ACCOUNT, Charge.usage("llm", credits(2)))
                      .timeToLive(Duration.ofNanos(2_999))
                      .idempotencyKey(IdempotencyKey.of("r-1"))
                      .actor(ADMIN)
                      .reason("an LLM call")
                      .build())
              .reservation();
      assertThat(r.createdAt()).isEqualTo(T);
      assertThat(r.expiresAt()).isEqualTo(T.plusNanos(2_000));
      refused(
          () ->
              ReserveRequest.builder(TENANT, ACCOUNT, Charge.usage("llm", credits(2)))
                  .timeToLive(Duration.ofNanos(999)),
          "timeToLive");
    }
  }

  @Nested
  class The_values {
    Grant grant(Instant from, Optional<Instant> expiry, Instant createdAt) {
      return new Grant(
          GrantId.of("grt_1"),
          TENANT,
          ACCOUNT,
          "",
          GrantCategory.PROMOTIONAL,
          50,
          credits(5),
          from,
          expiry,
          Scope.everything(),
          CostBasis.free(),
          Map.of(),
          ADMIN,
          createdAt,
          1);
    }

    @Test
    void a_grant_keeps_its_instants_to_the_microsecond() {
      Grant g = grant(T.plusNanos(1), Optional.of(T.plusNanos(5_999)), T.plusNanos(999));
      assertThat(g.effectiveFrom()).isEqualTo(T);
      assertThat(g.expiresAt()).contains(T.plusNanos(5_000));
      assertThat(g.createdAt()).isEqualTo(T);
      assertThat(g).isEqualTo(grant(T, Optional.of(T.plusNanos(5_000)), T));
    }

    @Test
    void a_grant_that_would_expire_within_its_first_microsecond_is_refused() {
      refused(() -> grant(T.plusNanos(100), Optional.of(T.plusNanos(900)), T), "expiresAt");
    }

    @Test
    void a_reservation_ledger_transaction_account_and_event_keep_the_microsecond() {
      Reservation r =
          new Reservation(
              ReservationId.of("res_1"),
              TENANT,
              ACCOUNT,
              ChargeKind.USAGE,
              "llm",
              credits(1),
              TransactionId.of("txn_1"),
              T.plusNanos(10),
              T.plusNanos(1_010),
              ReservationState.ACTIVE,
              Optional.empty(),
              1);
      assertThat(r.createdAt()).isEqualTo(T);
      assertThat(r.expiresAt()).isEqualTo(T.plusNanos(1_000));

      LedgerTransaction t =
          new LedgerTransaction(
              TransactionId.of("txn_1"),
              TENANT,
              ACCOUNT,
              TransactionType.USAGE_DEBIT,
              IdempotencyKey.of("k1"),
              "sha256:00",
              ADMIN,
              "usage",
              T.plusNanos(999),
              T.plusNanos(1),
              List.of(
                  Posting.of(LedgerAccount.grant(GrantId.of("grt_1")), credits(-1)),
                  Posting.of(LedgerAccount.counter(LedgerAccount.Kind.CONSUMED), credits(1))),
              Map.of(),
              1);
      assertThat(t.recordedAt()).isEqualTo(T);
      assertThat(t.effectiveAt()).isEqualTo(T);

      Account a =
          new Account(
              TENANT, ACCOUNT, CREDIT, OverdraftPolicy.reject(), Map.of(), ADMIN, T.plusNanos(1));
      assertThat(a.openedAt()).isEqualTo(T);

      ChargePosted e =
          new ChargePosted(
              "evt_1",
              TENANT,
              ACCOUNT,
              T.plusNanos(500),
              TransactionId.of("txn_1"),
              TransactionType.USAGE_DEBIT,
              ChargeKind.USAGE,
              "llm",
              credits(1),
              credits(1));
      assertThat(e.occurredAt()).isEqualTo(T);
    }

    @Test
    void range_bounds_are_rounded_up_and_select_what_the_given_bounds_select() {
      TransactionFilter f = TransactionFilter.all().between(T.plusNanos(1), T.plusNanos(1_500));
      assertThat(f.from()).contains(T.plusNanos(1_000));
      assertThat(f.until()).contains(T.plusNanos(2_000));
      // Two bounds within one microsecond contain no stored instant: an empty range, not an error.
      TransactionFilter empty = TransactionFilter.all().between(T.plusNanos(100), T.plusNanos(900));
      assertThat(empty.from()).isEqualTo(empty.until());

      TransactionQuery q =
          TransactionQuery.builder(TENANT, ADMIN).between(T.minusNanos(1), T.plusNanos(1)).build();
      assertThat(q.from()).contains(T);
      assertThat(q.until()).contains(T.plusNanos(1_000));

      ProjectCostQuery p = ProjectCostQuery.between(TENANT, T.plusNanos(1), T.plusNanos(1));
      assertThat(p.from()).isEqualTo(T.plusNanos(1_000));
      assertThat(p.to()).isEqualTo(T.plusNanos(1_000));
    }
  }
}
