package dev.billingsdk.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.BillingException;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.AccountBalance;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeOutcome;
import dev.billingsdk.credit.ChargeQuote;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.CostBasis;
import dev.billingsdk.credit.Credits;
import dev.billingsdk.credit.DeductRequest;
import dev.billingsdk.credit.DeductResult;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.InsufficientCreditException;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.credit.VoidGrantRequest;
import dev.billingsdk.credit.VoidResult;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Price;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.BillingStore;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The code of docs/credits.md, run: each tagged region is a block of the guide. */
class CreditsSnippetsTest {

  private Clock clock;
  private Billing billing;
  private Credits credits;
  private TenantId tenant;
  private AccountId account;
  private CreditUnit credit;
  private Actor admin;
  private Actor meteringJob;

  @BeforeEach
  void names() {
    // tag::names[]
    Clock clock = Clock.systemUTC(); // tests inject a fixed or adjustable clock
    Billing billing = Billing.builder().store(InMemoryBillingStore.create()).clock(clock).build();
    Credits credits = billing.credits();
    TenantId tenant = TenantId.of("acme");
    AccountId account = AccountId.of("org-42");
    CreditUnit credit = CreditUnit.of("CREDIT", 2); // amounts count hundredths of a credit
    Actor admin = Actor.of("alice", Role.ADMIN);
    Actor meteringJob = Actor.system("metering-job");
    // end::names[]
    this.clock = clock;
    this.billing = billing;
    this.credits = credits;
    this.tenant = tenant;
    this.account = account;
    this.credit = credit;
    this.admin = admin;
    this.meteringJob = meteringJob;
  }

  private void openAndGrant(String amount) {
    credits.openAccount(OpenAccountRequest.builder(tenant, account, credit).actor(admin).build());
    credits.grant(
        GrantRequest.builder(tenant, account, Amount.of(credit, amount))
            .idempotencyKey(IdempotencyKey.of("starter-" + amount))
            .actor(admin)
            .reason("starter credits")
            .build());
  }

  @Test
  void a_price_converts_and_purchased_credits_state_what_was_paid() {
    // tag::price[]
    Price price = Price.of(Amount.of(CurrencyUnit.of("USD"), "1.00"), Amount.of(credit, "100"));
    Amount usd = price.convert(Amount.of(credit, "250"), RoundingMode.UNNECESSARY); // USD 2.50
    // end::price[]
    assertThat(usd).isEqualTo(Amount.of(CurrencyUnit.of("USD"), "2.50"));

    // tag::open[]
    credits.openAccount(
        OpenAccountRequest.builder(tenant, account, credit)
            .actor(admin)
            .build()); // rejects overdraft
    // end::open[]
    assertThat(credits.findAccount(tenant, account).orElseThrow().overdraftPolicy())
        .isEqualTo(OverdraftPolicy.reject());

    // tag::purchase[]
    credits.grant(
        GrantRequest.builder(tenant, account, Amount.of(credit, "500"))
            .category(GrantCategory.PURCHASED)
            .costBasis(CostBasis.paid(price))
            .idempotencyKey(IdempotencyKey.of("purchase-1001"))
            .actor(admin)
            .reason("credit package bought")
            .build());
    // end::purchase[]
    assertThat(credits.balance(tenant, account).available(GrantCategory.PURCHASED))
        .isEqualTo(Amount.of(credit, "500"));
    assertThat(credits.grants(tenant, account).get(0).grant().costBasis())
        .isEqualTo(CostBasis.paid(price));
  }

  @Test
  void an_external_key_finds_its_account() {
    // tag::external-key[]
    credits.openAccount(
        OpenAccountRequest.builder(tenant, account, credit)
            .actor(admin)
            .externalKey("ada@example.com")
            .build());
    Optional<Account> found = credits.findAccountByKey(tenant, "ada@example.com");
    // end::external-key[]
    assertThat(found.map(Account::id)).contains(account);
    assertThat(credits.findAccountByKey(tenant, "Ada@example.com")).isEmpty();
  }

  @Test
  void a_promotional_grant_keeps_its_terms() {
    credits.openAccount(OpenAccountRequest.builder(tenant, account, credit).actor(admin).build());
    // tag::promo[]
    GrantResult promo =
        credits.grant(
            GrantRequest.builder(tenant, account, Amount.of(credit, "100"))
                .category(GrantCategory.PROMOTIONAL)
                .priority(20)
                .name("Spring promotion")
                .expiresAt(clock.instant().plus(Duration.ofDays(30)))
                .scope(Scope.meters("gpt-4o.input", "gpt-4o.output"))
                .idempotencyKey(IdempotencyKey.of("grant-spring-promo-org-42"))
                .actor(admin)
                .reason("spring promotion")
                .build());
    GrantId promoId = promo.grant().id();
    // end::promo[]
    assertThat(credits.findGrant(tenant, promoId).orElseThrow().grant().priority()).isEqualTo(20);
    assertThat(promo.transaction().type()).isEqualTo(TransactionType.GRANT);

    // tag::void[]
    VoidResult voided =
        credits.voidGrant(
            VoidGrantRequest.builder(tenant, account, promoId)
                .idempotencyKey(IdempotencyKey.of("void-spring-promo"))
                .actor(admin)
                .reason("ended")
                .build());
    // end::void[]
    assertThat(voided.voided()).isEqualTo(Amount.of(credit, "100"));
    assertThat(credits.balance(tenant, account).available()).isEqualTo(Amount.of(credit, "0"));
  }

  @Test
  void a_deduction_takes_from_one_category() {
    openAndGrant("100");
    // tag::deduct[]
    DeductResult deducted =
        credits.deduct(
            DeductRequest.builder(
                    tenant, account, GrantCategory.PROMOTIONAL, Amount.of(credit, "30"))
                .idempotencyKey(IdempotencyKey.of("deduct-promo-org-42"))
                .actor(admin)
                .reason("credits awarded twice by mistake")
                .build());
    // end::deduct[]
    assertThat(deducted.transaction().type()).isEqualTo(TransactionType.MANUAL_ADJUSTMENT);
    assertThat(credits.balance(tenant, account).available(GrantCategory.PROMOTIONAL))
        .isEqualTo(Amount.of(credit, "70"));
    assertThatThrownBy(
            () ->
                credits.deduct(
                    DeductRequest.builder(
                            tenant, account, GrantCategory.PROMOTIONAL, Amount.of(credit, "71"))
                        .idempotencyKey(IdempotencyKey.of("deduct-too-much"))
                        .actor(admin)
                        .reason("more than there is")
                        .build()))
        .isInstanceOf(InsufficientCreditException.class);
  }

  @Test
  void a_usage_charge_and_a_fixed_fee() {
    openAndGrant("100");
    // tag::charges[]
    ChargeResult usage =
        credits.charge(
            ChargeRequest.builder(
                    tenant, account, Charge.usage("gpt-4o.input", Amount.of(credit, "12.50")))
                .idempotencyKey(IdempotencyKey.of("usage-org-42-2025-03-01T09"))
                .actor(meteringJob)
                .reason("gpt-4o input tokens, 09:00")
                .build());
    ChargeResult fee =
        credits.charge(
            ChargeRequest.builder(
                    tenant,
                    account,
                    Charge.of(ChargeKind.FIXED_FEE, "seat.monthly", Amount.of(credit, "20")))
                .idempotencyKey(IdempotencyKey.of("fee-seat-org-42-2025-03"))
                .actor(admin)
                .reason("seat fee, March")
                .references(Map.of("invoice", "inv-2025-03-042"))
                .build());
    // end::charges[]
    assertThat(usage.transaction().type()).isEqualTo(TransactionType.USAGE_DEBIT);
    assertThat(fee.transaction().type()).isEqualTo(TransactionType.CHARGE);
    assertThat(fee.transaction().references()).containsEntry("invoice", "inv-2025-03-042");
    assertThat(credits.balance(tenant, account).available()).isEqualTo(Amount.of(credit, "67.50"));
  }

  @Test
  void charge_all_answers_each_request() {
    openAndGrant("100");
    // tag::charge-all[]
    ChargeRequest nine =
        ChargeRequest.builder(
                tenant, account, Charge.usage("gpt-4o.input", Amount.of(credit, "30")))
            .idempotencyKey(IdempotencyKey.of("usage-org-42-09"))
            .actor(meteringJob)
            .reason("09:00")
            .build();
    ChargeRequest ten =
        ChargeRequest.builder(
                tenant, account, Charge.usage("gpt-4o.input", Amount.of(credit, "90")))
            .idempotencyKey( // more than is left
                IdempotencyKey.of("usage-org-42-10"))
            .actor(meteringJob)
            .reason("10:00")
            .build();
    List<ChargeResult> charged = new ArrayList<>();
    List<BillingException> refused = new ArrayList<>();
    for (ChargeOutcome o : credits.chargeAll(List.of(nine, ten, nine))) {
      if (o instanceof ChargeOutcome.Charged c) {
        charged.add(c.result()); // charged now, or replayed (c.result().replayed())
      } else if (o instanceof ChargeOutcome.Refused r) {
        refused.add(r.reason()); // the exception charge() would have thrown
      }
    }
    // end::charge-all[]
    assertThat(charged).hasSize(2);
    assertThat(charged.get(0).replayed()).isFalse();
    assertThat(charged.get(1).replayed()).isTrue();
    assertThat(charged.get(1).transaction()).isEqualTo(charged.get(0).transaction());
    assertThat(refused).singleElement().isInstanceOf(InsufficientCreditException.class);
    assertThat(credits.balance(tenant, account).available()).isEqualTo(Amount.of(credit, "70"));
  }

  @Test
  void coalesced_charges_are_each_charged_once() throws Exception {
    // tag::coalesce[]
    BillingStore store = InMemoryBillingStore.create(); // or a JdbcBillingStore
    Billing billing = Billing.builder().store(store).coalesceCharges(100).build();
    // end::coalesce[]
    billing
        .credits()
        .openAccount(OpenAccountRequest.builder(tenant, account, credit).actor(admin).build());
    billing
        .credits()
        .grant(
            GrantRequest.builder(tenant, account, Amount.of(credit, "100"))
                .idempotencyKey(IdempotencyKey.of("starter"))
                .actor(admin)
                .reason("starter credits")
                .build());
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      IdempotencyKey key = IdempotencyKey.of("usage-" + i);
      Thread t =
          new Thread(
              () ->
                  billing
                      .credits()
                      .charge(
                          ChargeRequest.builder(
                                  tenant,
                                  account,
                                  Charge.usage("gpt-4o.input", Amount.of(credit, "1")))
                              .idempotencyKey(key)
                              .actor(meteringJob)
                              .reason("one credit")
                              .build()));
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(billing.credits().balance(tenant, account).available())
        .isEqualTo(Amount.of(credit, "92"));
  }

  @Test
  void an_overdraft_limit_lets_the_account_owe() {
    // tag::overdraft[]
    credits.openAccount(
        OpenAccountRequest.builder(tenant, AccountId.of("org-43"), credit)
            .actor(admin)
            .overdraftPolicy(OverdraftPolicy.allowDownTo(Amount.of(credit, "50")))
            .build());
    // end::overdraft[]
    ChargeResult owed =
        credits.charge(
            ChargeRequest.builder(
                    tenant,
                    AccountId.of("org-43"),
                    Charge.usage("gpt-4o.input", Amount.of(credit, "30")))
                .idempotencyKey(IdempotencyKey.of("usage-org-43"))
                .actor(meteringJob)
                .reason("on credit")
                .build());
    assertThat(owed.fromOverdraft()).isEqualTo(Amount.of(credit, "30"));
    assertThat(credits.balance(tenant, AccountId.of("org-43")).owed())
        .isEqualTo(Amount.of(credit, "30"));
  }

  @Test
  void a_quote_explains_the_charge_that_follows() {
    openAndGrant("100");
    // tag::quote[]
    ChargeQuote quote =
        credits.quote(
            tenant,
            account,
            Charge.of(ChargeKind.FIXED_FEE, "seat.monthly", Amount.of(credit, "20")));
    // end::quote[]
    assertThat(quote.wouldBeRejected()).isFalse();
    assertThat(quote.balanceAfter()).isEqualTo(Amount.of(credit, "80"));
    ChargeResult charged =
        credits.charge(
            ChargeRequest.builder(tenant, account, quote.charge())
                .idempotencyKey(IdempotencyKey.of("fee-seat"))
                .actor(admin)
                .reason("seat fee")
                .build());
    assertThat(charged.allocations()).isEqualTo(quote.allocations());
  }

  @Test
  void the_balance_and_the_ledger() {
    openAndGrant("100");
    // tag::balance[]
    AccountBalance balance = credits.balance(tenant, account);
    Amount purchasedLeft = balance.available(GrantCategory.PURCHASED);
    List<LedgerTransaction> history = billing.ledger().transactions(tenant, account);
    // end::balance[]
    assertThat(balance.available()).isEqualTo(Amount.of(credit, "100"));
    assertThat(purchasedLeft).isEqualTo(Amount.of(credit, "0"));
    assertThat(history)
        .singleElement()
        .extracting(LedgerTransaction::type)
        .isEqualTo(TransactionType.GRANT);
  }
}
