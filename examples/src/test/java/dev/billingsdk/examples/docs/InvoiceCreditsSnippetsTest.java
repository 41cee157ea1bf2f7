package dev.billingsdk.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Allocation;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.InvoiceCreditRequest;
import dev.billingsdk.credit.InvoiceCreditResult;
import dev.billingsdk.credit.InvoiceLine;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.setup.Billing;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The code of docs/invoice-credits.md, run: each tagged region is a block of the guide. */
class InvoiceCreditsSnippetsTest {

  @Test
  void a_referral_credit_pays_only_its_meters_lines() {
    // tag::setup[]
    Billing billing = Billing.builder().store(InMemoryBillingStore.create()).build();
    TenantId chatppt = TenantId.of("chatppt");
    AccountId john = AccountId.of("john-wick");
    CurrencyUnit usd = CurrencyUnit.of("USD");
    Actor finance = Actor.of("finance-fran", Role.FINANCE);

    billing
        .credits()
        .openAccount(OpenAccountRequest.builder(chatppt, john, usd).actor(finance).build());
    // end::setup[]

    // tag::apply[]
    billing
        .credits()
        .grant(
            GrantRequest.builder(chatppt, john, Amount.of(usd, "50.00"))
                .category(GrantCategory.REFERRAL)
                .name("Referral: brought in a customer")
                .priority(10)
                .scope(Scope.meters("chatppt.tokens", "chatppt.images"))
                .idempotencyKey(IdempotencyKey.of("referral-john-2025-08"))
                .actor(finance)
                .reason("referral credit")
                .build());

    List<InvoiceLine> august =
        List.of(
            InvoiceLine.fixedFee("platform", "chatppt.platform", Amount.of(usd, "20.00")),
            InvoiceLine.licence("seat", "chatppt.pro-seat", Amount.of(usd, "15.00")),
            InvoiceLine.usage("tokens", "chatppt.tokens", Amount.of(usd, "40.00")),
            InvoiceLine.usage("images", "chatppt.images", Amount.of(usd, "20.00")),
            InvoiceLine.usage("voice", "chatppt.voice", Amount.of(usd, "5.00")));

    InvoiceCreditResult result =
        billing
            .invoiceCredits()
            .apply(
                InvoiceCreditRequest.builder(chatppt, john, "INV-2025-08-JW")
                    .lines(august)
                    .idempotencyKey(IdempotencyKey.of("invoice-credits:INV-2025-08-JW"))
                    .actor(finance)
                    .reason("August invoice")
                    .build());

    result.total(); // USD 100.00
    result.applied(); // USD 50.00: tokens 40.00, images 10.00
    result.due(); // USD 50.00
    result.line("images").applied(); // [Allocation(referral grant, REFERRAL, 10, ..., USD 10.00)]
    result.line("images").due(); // USD 10.00
    result.line("voice").due(); // USD 5.00: not one of the credit's meters
    // end::apply[]

    assertThat(result.total()).isEqualTo(Amount.of(usd, "100.00"));
    assertThat(result.applied()).isEqualTo(Amount.of(usd, "50.00"));
    assertThat(result.due()).isEqualTo(Amount.of(usd, "50.00"));
    assertThat(result.line("tokens").paid()).isEqualTo(Amount.of(usd, "40.00"));
    assertThat(result.line("images").applied())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.category()).isEqualTo(GrantCategory.REFERRAL);
              assertThat(a.priority()).isEqualTo(10);
              assertThat(a.amount()).isEqualTo(Amount.of(usd, "10.00"));
            });
    assertThat(result.line("images").due()).isEqualTo(Amount.of(usd, "10.00"));
    assertThat(result.line("voice").due()).isEqualTo(Amount.of(usd, "5.00"));
    assertThat(result.line("voice").applied()).isEmpty();
    assertThat(result.transaction().orElseThrow().references().get("billing.invoiceLines"))
        .isEqualTo("2 4000 grt_1\n3 1000 grt_1".replace("grt_1", grantId(result)));
  }

  private static String grantId(InvoiceCreditResult result) {
    Allocation first = result.line("tokens").applied().get(0);
    return first.grant().value();
  }
}
