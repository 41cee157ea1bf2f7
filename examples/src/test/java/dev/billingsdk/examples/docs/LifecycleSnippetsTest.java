package dev.billingsdk.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.LowBalanceAlert;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.ReleaseRequest;
import dev.billingsdk.credit.ReservationId;
import dev.billingsdk.credit.ReservationResult;
import dev.billingsdk.credit.ReservationState;
import dev.billingsdk.credit.ReserveRequest;
import dev.billingsdk.credit.ReversalResult;
import dev.billingsdk.credit.ReverseRequest;
import dev.billingsdk.credit.SettleRequest;
import dev.billingsdk.credit.SettlementResult;
import dev.billingsdk.credit.SweepResult;
import dev.billingsdk.credit.VoidGrantRequest;
import dev.billingsdk.event.BalanceBelowThreshold;
import dev.billingsdk.event.BillingEvent;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.TransactionFilter;
import dev.billingsdk.ledger.TransactionPage;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.BillingStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The code of docs/lifecycle.md, run: each tagged region is a block of the guide. */
class LifecycleSnippetsTest {

  private BillingStore store;
  private Logger log;
  private Billing billing;
  private TenantId tenant;
  private AccountId account;
  private CreditUnit credit;
  private Actor admin;
  private Actor gateway;
  private Actor nightly;

  @BeforeEach
  void names() {
    // tag::names[]
    BillingStore store = InMemoryBillingStore.create(); // or a JdbcBillingStore
    Clock clock = Clock.systemUTC(); // tests inject a clock they can move
    Logger log = LoggerFactory.getLogger("billing");
    Billing billing =
        Billing.builder()
            .store(store)
            .clock(clock)
            .listener(event -> log.info("billing event {}", event))
            .build();
    TenantId tenant = TenantId.of("acme");
    AccountId account = AccountId.of("org-42");
    CreditUnit credit = CreditUnit.of("CREDIT", 0);
    Actor admin = Actor.of("alice", Role.ADMIN);
    Actor gateway = Actor.system("llm-gateway"); // the host's service that calls the LLM
    Actor nightly = Actor.system("nightly-jobs");

    billing
        .credits()
        .openAccount(OpenAccountRequest.builder(tenant, account, credit).actor(admin).build());
    billing
        .credits()
        .grant(
            GrantRequest.builder(tenant, account, Amount.of(credit, "1000"))
                .idempotencyKey(IdempotencyKey.of("welcome-org-42"))
                .actor(admin)
                .reason("welcome credit")
                .build());
    // end::names[]
    this.store = store;
    this.log = log;
    this.billing = billing;
    this.tenant = tenant;
    this.account = account;
    this.credit = credit;
    this.admin = admin;
    this.gateway = gateway;
    this.nightly = nightly;
  }

  private long available() {
    return billing.credits().balance(tenant, account).available().minor();
  }

  @Test
  void a_hold_settled_for_less_gives_the_rest_back() {
    // tag::reserve-settle[]
    ReservationResult hold =
        billing
            .reservations()
            .reserve(
                ReserveRequest.builder(
                        tenant, account, Charge.usage("llm.gpt-4o", Amount.ofMinor(credit, 800)))
                    .timeToLive(Duration.ofSeconds(30))
                    .idempotencyKey(IdempotencyKey.of("call-7-hold"))
                    .actor(gateway)
                    .reason("before the LLM call")
                    .build());
    ReservationId id = hold.reservation().id();

    // ... the call returns; it cost 250 ...
    SettlementResult settled =
        billing
            .reservations()
            .settle(
                SettleRequest.builder(tenant, id, Amount.ofMinor(credit, 250))
                    .idempotencyKey(IdempotencyKey.of("call-7-settle"))
                    .actor(gateway)
                    .reason("the LLM call finished")
                    .build());
    // end::reserve-settle[]
    assertThat(settled.charged()).isEqualTo(Amount.ofMinor(credit, 250));
    assertThat(settled.released()).isEqualTo(Amount.ofMinor(credit, 550));
    assertThat(available()).isEqualTo(750);
  }

  @Test
  void a_hold_released_gives_everything_back() {
    ReservationId id =
        billing
            .reservations()
            .reserve(
                ReserveRequest.builder(
                        tenant, account, Charge.usage("llm.gpt-4o", Amount.ofMinor(credit, 800)))
                    .timeToLive(Duration.ofSeconds(30))
                    .idempotencyKey(IdempotencyKey.of("call-7-hold"))
                    .actor(gateway)
                    .reason("before the LLM call")
                    .build())
            .reservation()
            .id();
    assertThat(available()).isEqualTo(200);
    // tag::release[]
    billing
        .reservations()
        .release(
            ReleaseRequest.builder(tenant, id)
                .idempotencyKey(IdempotencyKey.of("call-7-release"))
                .actor(gateway)
                .reason("call failed")
                .build());
    // end::release[]
    assertThat(available()).isEqualTo(1000);
    assertThat(billing.reservations().find(tenant, id).state())
        .isEqualTo(ReservationState.RELEASED);
  }

  @Test
  void reversals_give_credit_back_along_its_lineage() {
    // tag::reverse[]
    ChargeResult debit =
        billing
            .credits()
            .charge(
                ChargeRequest.builder(
                        tenant, account, Charge.usage("llm.gpt-4o", Amount.ofMinor(credit, 1000)))
                    .idempotencyKey(IdempotencyKey.of("call-42"))
                    .actor(gateway)
                    .reason("LLM call 42")
                    .build());
    ReversalResult part =
        billing
            .credits()
            .reverse(
                ReverseRequest.builder(tenant, account, debit.transaction().id())
                    .amount(Amount.ofMinor(credit, 250))
                    .idempotencyKey(IdempotencyKey.of("ticket-42"))
                    .actor(admin)
                    .reason("customer complaint: bad completion")
                    .build());
    ReversalResult rest =
        billing
            .credits()
            .reverse(
                ReverseRequest.builder(tenant, account, debit.transaction().id())
                    .idempotencyKey(IdempotencyKey.of("ticket-42-rest"))
                    .actor(admin)
                    .reason("refund the rest")
                    .build());
    // end::reverse[]
    assertThat(part.remaining()).isEqualTo(Amount.ofMinor(credit, 750));
    assertThat(rest.amount()).isEqualTo(Amount.ofMinor(credit, 750));
    assertThat(rest.transaction().type()).isEqualTo(TransactionType.REVERSAL);
    assertThat(available()).isEqualTo(1000);
  }

  @Test
  void sweeps_expire_what_has_ended_and_a_dry_run_shows_it_first() {
    billing
        .credits()
        .grant(
            GrantRequest.builder(tenant, account, Amount.of(credit, "100"))
                .expiresAt(Instant.now().plus(Duration.ofDays(1)))
                .idempotencyKey(IdempotencyKey.of("promo-one-day"))
                .actor(admin)
                .reason("a one-day promotion")
                .build());
    // A hold on another account, which the grant sweep (releasing this account's) leaves alone.
    AccountId other = AccountId.of("org-43");
    billing
        .credits()
        .openAccount(OpenAccountRequest.builder(tenant, other, credit).actor(admin).build());
    billing
        .credits()
        .grant(
            GrantRequest.builder(tenant, other, Amount.of(credit, "10"))
                .idempotencyKey(IdempotencyKey.of("welcome-org-43"))
                .actor(admin)
                .reason("welcome credit")
                .build());
    billing
        .reservations()
        .reserve(
            ReserveRequest.builder(
                    tenant, other, Charge.usage("llm.gpt-4o", Amount.ofMinor(credit, 10)))
                .timeToLive(Duration.ofMinutes(5))
                .idempotencyKey(IdempotencyKey.of("forgotten-hold"))
                .actor(gateway)
                .reason("a hold nobody settles")
                .build());
    // Two days on: the same store through a Billing whose clock is ahead.
    Billing billing =
        Billing.builder()
            .store(store)
            .clock(Clock.offset(Clock.systemUTC(), Duration.ofDays(2)))
            .build();
    // tag::sweeps[]
    SweepResult preview = billing.sweeps().expireGrants(tenant, nightly, true); // dry run
    SweepResult swept = billing.sweeps().expireGrants(tenant, nightly, false);
    SweepResult holds = billing.sweeps().expireReservations(tenant, nightly, false);
    // end::sweeps[]
    assertThat(preview.dryRun()).isTrue();
    assertThat(preview.items()).hasSize(1);
    assertThat(swept.items()).hasSize(1);
    assertThat(swept.items().get(0).amount()).isEqualTo(preview.items().get(0).amount());
    assertThat(holds.items()).hasSize(1);
  }

  @Test
  void a_void_takes_the_remainder_away() {
    // tag::void[]
    GrantId promo =
        billing
            .credits()
            .grant(
                GrantRequest.builder(tenant, account, Amount.of(credit, "100"))
                    .idempotencyKey(IdempotencyKey.of("promo-org-42"))
                    .actor(admin)
                    .reason("promotion")
                    .build())
            .grant()
            .id();
    billing
        .credits()
        .voidGrant(
            VoidGrantRequest.builder(tenant, account, promo)
                .idempotencyKey(IdempotencyKey.of("void-promo"))
                .actor(admin)
                .reason("refunded")
                .build());
    // end::void[]
    assertThat(available()).isEqualTo(1000);
    assertThat(billing.credits().findGrant(tenant, promo).orElseThrow().remaining().isZero())
        .isTrue();
  }

  @Test
  void a_listener_hears_the_low_balance_alert() {
    // tag::listeners[]
    List<BalanceBelowThreshold> lowBalances = new CopyOnWriteArrayList<>();
    Billing billing =
        Billing.builder()
            .store(store)
            .listener(
                event -> {
                  if (event instanceof BalanceBelowThreshold low) {
                    lowBalances.add(low); // say, e-mail the account's owner
                  }
                })
            .listenerFailureHandler(
                (listener, event, failure) ->
                    log.warn("listener failed on {}", event.id(), failure))
            .build();
    // end::listeners[]
    billing
        .credits()
        .configureLowBalanceAlert(
            tenant, account, Optional.of(LowBalanceAlert.below(Amount.of(credit, "200"))), admin);
    billing
        .credits()
        .charge(
            ChargeRequest.builder(
                    tenant, account, Charge.usage("llm.gpt-4o", Amount.of(credit, "900")))
                .idempotencyKey(IdempotencyKey.of("big-call"))
                .actor(gateway)
                .reason("a big call")
                .build());
    assertThat(lowBalances)
        .singleElement()
        .extracting(BalanceBelowThreshold::account)
        .isEqualTo(account);
  }

  @Test
  void the_outbox_relay_delivers_pending_events_once() {
    // tag::outbox[]
    Map<String, BillingEvent> published = new LinkedHashMap<>(); // stands in for a broker
    int delivered = billing.outbox().deliver(event -> published.put(event.id(), event), 100);
    // end::outbox[]
    assertThat(delivered).isPositive().isEqualTo(published.size());
    assertThat(billing.outbox().deliver(event -> published.put(event.id(), event), 100)).isZero();
  }

  @Test
  void the_low_balance_alert_fires_once_below_its_threshold() {
    // tag::alert[]
    billing
        .credits()
        .configureLowBalanceAlert(
            tenant,
            account,
            Optional.of(
                new LowBalanceAlert(Amount.ofMinor(credit, 200), Amount.ofMinor(credit, 500))),
            admin);
    // end::alert[]
    for (int call = 1; call <= 3; call++) {
      billing
          .credits()
          .charge(
              ChargeRequest.builder(
                      tenant, account, Charge.usage("llm.gpt-4o", Amount.ofMinor(credit, 300)))
                  .idempotencyKey(IdempotencyKey.of("call-" + call))
                  .actor(gateway)
                  .reason("an LLM call")
                  .build());
    }
    List<BillingEvent> events = new ArrayList<>();
    billing.outbox().deliver(events::add, 100);
    assertThat(events).filteredOn(BalanceBelowThreshold.class::isInstance).hasSize(1);
  }

  @Test
  void the_audit_history_pages_newest_first() {
    // An account that lived in March 2025, so that the month the history asks for has entries.
    Billing billing =
        Billing.builder()
            .store(InMemoryBillingStore.create())
            .clock(Clock.fixed(Instant.parse("2025-03-10T09:00:00Z"), ZoneOffset.UTC))
            .build();
    billing
        .credits()
        .openAccount(OpenAccountRequest.builder(tenant, account, credit).actor(admin).build());
    billing
        .credits()
        .grant(
            GrantRequest.builder(tenant, account, Amount.of(credit, "1000"))
                .idempotencyKey(IdempotencyKey.of("welcome-org-42"))
                .actor(admin)
                .reason("welcome credit")
                .build());
    ChargeResult debit =
        billing
            .credits()
            .charge(
                ChargeRequest.builder(
                        tenant, account, Charge.usage("llm.gpt-4o", Amount.ofMinor(credit, 100)))
                    .idempotencyKey(IdempotencyKey.of("call-march"))
                    .actor(gateway)
                    .reason("an LLM call in March")
                    .build());
    billing
        .credits()
        .reverse(
            ReverseRequest.builder(tenant, account, debit.transaction().id())
                .idempotencyKey(IdempotencyKey.of("refund-march"))
                .actor(admin)
                .reason("refunded")
                .build());
    // tag::history[]
    TransactionPage page =
        billing
            .ledger()
            .history(
                tenant,
                account,
                TransactionFilter.all()
                    .types(TransactionType.USAGE_DEBIT, TransactionType.REVERSAL)
                    .between(
                        Instant.parse("2025-03-01T00:00:00Z"),
                        Instant.parse("2025-04-01T00:00:00Z")),
                Optional.empty(),
                100);
    List<String> rows = new ArrayList<>();
    for (LedgerTransaction t : page.transactions()) {
      rows.add(t.recordedAt() + " " + t.type() + " " + t.actor().id() + " " + t.reason());
    }
    Optional<String> next = page.next(); // pass it as the cursor of the next call
    // end::history[]
    assertThat(rows)
        .containsExactly(
            "2025-03-10T09:00:00Z REVERSAL alice refunded",
            "2025-03-10T09:00:00Z USAGE_DEBIT llm-gateway an LLM call in March");
    assertThat(next).isEmpty();
  }
}
