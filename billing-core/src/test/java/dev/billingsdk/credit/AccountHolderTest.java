package dev.billingsdk.credit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.ledger.IdempotencyConflictException;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.setup.Billing;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An account's holder: checked when given, kept as given, part of the account's terms. */
class AccountHolderTest {
  static final TenantId ACME = TenantId.of("acme");
  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 2);
  static final Actor ADA = Actor.of("ada", Role.ADMIN);

  final Billing billing = Billing.builder().store(InMemoryBillingStore.create()).build();

  OpenAccountRequest.Builder request(String id) {
    return OpenAccountRequest.builder(ACME, AccountId.of(id), CREDIT).actor(ADA);
  }

  @Test
  void theHolderIsKeptAsGivenAndAbsentUnlessGiven() {
    assertThat(billing.credits().openAccount(request("a").holder("uma").build()).holder())
        .contains("uma");
    assertThat(billing.credits().findAccount(ACME, AccountId.of("a")).orElseThrow().holder())
        .contains("uma");
    assertThat(billing.credits().openAccount(request("b").build()).holder()).isEmpty();
  }

  @Test
  void aBadOrSecondHolderIsRefusedNamingTheField() {
    assertThatThrownBy(() -> request("a").holder(""))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("holder");
    assertThatThrownBy(() -> request("a").holder("uma").holder("bob"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("holder")
        .hasMessageContaining("uma");
    assertThatThrownBy(
            () ->
                new Account(
                    ACME,
                    AccountId.of("a"),
                    CREDIT,
                    OverdraftPolicy.reject(),
                    Map.of(),
                    ADA,
                    Instant.EPOCH,
                    Optional.empty(),
                    Optional.of("not an identifier\n")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("holder");
  }

  @Test
  void openingAgainWithAnotherHolderIsAConflictAndKeepsTheFirst() {
    billing.credits().openAccount(request("a").holder("uma").build());
    assertThat(billing.credits().openAccount(request("a").holder("uma").build()).holder())
        .contains("uma");
    assertThatThrownBy(() -> billing.credits().openAccount(request("a").holder("bob").build()))
        .isInstanceOf(IdempotencyConflictException.class);
    assertThat(billing.credits().findAccount(ACME, AccountId.of("a")).orElseThrow().holder())
        .contains("uma");
  }
}
