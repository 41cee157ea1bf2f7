package dev.billingsdk.tck;

import static dev.billingsdk.tck.TckFixture.credits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccountId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.credit.AccountBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.ledger.IdempotencyConflictException;
import dev.billingsdk.spi.AccountReads;
import dev.billingsdk.spi.BillingStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The rules of the account reads of the storage SPI ({@link AccountReads}): the categories an
 * account has ever held, and the account an external key names, unique per tenant. An adapter
 * extends it and supplies {@link #store()}, as for {@link BillingStoreTck}; every test uses a fresh
 * tenant, so the store may be shared.
 */
public abstract class AccountReadsTck {

  /** For subclasses: an adapter's runner extends this kit. */
  protected AccountReadsTck() {}

  /** The store under test. May be shared across tests: each test uses a fresh tenant. */
  protected abstract BillingStore store();

  /** Accounts racing for one external key (at least 8 in the kit's own runs). */
  protected int concurrentThreads() {
    return 8;
  }

  protected TckFixture f;

  @BeforeEach
  void newWorld() {
    f = new TckFixture(store());
  }

  private static AccountId openKeyed(TckFixture in, String name, String key) {
    AccountId id = AccountId.of(name);
    in.credits()
        .openAccount(
            OpenAccountRequest.builder(in.tenant, id, TckFixture.CREDIT)
                .actor(TckFixture.ADMIN)
                .externalKey(key)
                .build());
    return id;
  }

  @Nested
  @DisplayName("Categories: every category an account has ever held, once, in first-grant order")
  class Categories {

    @Test
    void required_grantCategoriesListEveryCategoryEverHeldInFirstGrantOrder() {
      AccountId a = f.open("acct", OverdraftPolicy.partial());
      assertThat(f.store.grantCategories(f.tenant, a)).isEmpty();
      GrantCategory promo = GrantCategory.of("PROMO");
      GrantCategory paid = GrantCategory.of("PAID");
      GrantCategory bonus = GrantCategory.of("BONUS");
      f.grant(a, 100, b -> b.category(promo));
      f.usage(a, 100);
      GrantResult voided = f.grant(a, 200, b -> b.category(paid));
      f.voidGrant(a, voided);
      f.grant(a, 50, b -> b.category(bonus));
      f.grant(a, 10, b -> b.category(promo));
      assertThat(f.store.grantCategories(f.tenant, a)).containsExactly(promo, paid, bonus);
      AccountBalance balance = f.credits().balance(f.tenant, a);
      assertThat(balance.availableByCategory().keySet()).containsExactly(promo, paid, bonus);
      assertThat(balance.available(promo)).isEqualTo(credits(10));
      assertThat(balance.available(paid)).isEqualTo(credits(0));
      assertThat(balance.available(bonus)).isEqualTo(credits(50));
      TckFixture other = new TckFixture(f.store);
      other.open("acct");
      assertThat(f.store.grantCategories(other.tenant, a)).isEmpty();
      assertThat(f.store.grantCategories(f.tenant, AccountId.of("nobody"))).isEmpty();
    }
  }

  @Nested
  @DisplayName("ExternalKeys: a key finds one account, exactly and only in its tenant")
  class ExternalKeys {

    @Test
    void required_anExternalKeyFindsItsAccountExactlyAndOnlyInItsTenant() {
      AccountId a = openKeyed(f, "acct", "Ada@example.com");
      f.open("keyless");
      TckFixture other = new TckFixture(f.store);
      other.open("acct");
      assertThat(f.store.findAccountByKey(f.tenant, "Ada@example.com"))
          .map(x -> x.id())
          .contains(a);
      assertThat(f.credits().findAccountByKey(f.tenant, "Ada@example.com"))
          .map(x -> x.externalKey())
          .contains(Optional.of("Ada@example.com"));
      assertThat(f.store.findAccountByKey(f.tenant, "ada@example.com")).isEmpty();
      assertThat(f.store.findAccountByKey(f.tenant, "ADA@EXAMPLE.COM")).isEmpty();
      assertThat(f.store.findAccountByKey(f.tenant, "Ada@example.co")).isEmpty();
      assertThat(f.store.findAccountByKey(other.tenant, "Ada@example.com")).isEmpty();
      assertThat(f.store.findAccount(f.tenant, AccountId.of("keyless")).orElseThrow().externalKey())
          .isEmpty();
    }

    @Test
    void required_anExternalKeyIsUniquePerTenantAndReopeningKeepsIt() {
      AccountId a = openKeyed(f, "acct", "cust-1");
      assertThat(openKeyed(f, "acct", "cust-1")).isEqualTo(a);
      assertThatThrownBy(() -> openKeyed(f, "second", "cust-1"))
          .isInstanceOfSatisfying(
              InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("externalKey"));
      assertThat(f.store.findAccount(f.tenant, AccountId.of("second"))).isEmpty();
      assertThatThrownBy(() -> openKeyed(f, "acct", "cust-2"))
          .isInstanceOf(IdempotencyConflictException.class);
      AccountId upper = openKeyed(f, "upper", "CUST-1");
      TckFixture other = new TckFixture(f.store);
      AccountId theirs = openKeyed(other, "theirs", "cust-1");
      assertThat(f.store.findAccountByKey(f.tenant, "cust-1")).map(x -> x.id()).contains(a);
      assertThat(f.store.findAccountByKey(f.tenant, "CUST-1")).map(x -> x.id()).contains(upper);
      assertThat(f.store.findAccountByKey(other.tenant, "cust-1"))
          .map(x -> x.id())
          .contains(theirs);
    }

    @Test
    void required_accountsRacingForOneKeyLeaveExactlyOneHolder() throws Exception {
      AtomicInteger next = new AtomicInteger();
      List<Boolean> opened =
          BillingStoreTck.race(
              concurrentThreads(),
              () -> {
                try {
                  openKeyed(f, "racer-" + next.incrementAndGet(), "contested");
                  return true;
                } catch (InvalidRequestException e) {
                  return false;
                }
              });
      assertThat(opened).containsOnlyOnce(true);
      AccountId holder = f.store.findAccountByKey(f.tenant, "contested").orElseThrow().id();
      for (int i = 1; i <= concurrentThreads(); i++) {
        AccountId racer = AccountId.of("racer-" + i);
        assertThat(f.store.findAccount(f.tenant, racer).isPresent())
            .as("%s stored", racer)
            .isEqualTo(racer.equals(holder));
      }
    }
  }
}
