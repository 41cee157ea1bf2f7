package dev.billingsdk.tck;

import static dev.billingsdk.tck.TckFixture.credits;
import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.LowBalanceAlert;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.spi.AccountSnapshot;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.WriteBasis;
import dev.billingsdk.spi.WriteTarget;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The rules of the read a write is decided on ({@link BillingStore#readForWrite}): one call that
 * answers whether the idempotency key is already used in the tenant and, if not, the account as
 * {@link BillingStore#loadAccount} reads it. A store that answers it in one round trip must answer
 * exactly what the two separate reads would. An adapter extends this kit and supplies {@link
 * #store()}; every test uses a fresh tenant, so the store may be shared.
 */
public abstract class WriteBasisTck {

  /** For subclasses: an adapter's runner extends this kit. */
  protected WriteBasisTck() {}

  /** The store under test. May be shared across tests: each test uses a fresh tenant. */
  protected abstract BillingStore store();

  protected TckFixture f;

  @BeforeEach
  void newWorld() {
    f = new TckFixture(store());
  }

  @Nested
  @DisplayName("An unused key: the account, exactly as a snapshot reads it")
  class UnusedKey {

    @Test
    void required_anUnusedKeyReadsTheAccountAsLoadAccountDoes() {
      AccountId a = f.open("basis", OverdraftPolicy.allowDownTo(credits(500)));
      f.grant(a, 1_000);
      f.grant(a, 300, b -> b.priority(5));
      f.grant(a, 40);
      f.usage(a, 1_100);
      f.reserve(a, 100);
      f.credits()
          .configureLowBalanceAlert(
              f.tenant, a, Optional.of(LowBalanceAlert.below(credits(50))), TckFixture.ADMIN);
      f.usage(a, 500); // into the overdraft, past the alert
      IdempotencyKey unused = f.nextKey();

      WriteBasis basis = f.store.readForWrite(f.tenant, a, unused);

      AccountSnapshot expected = f.store.loadAccount(f.tenant, a).orElseThrow();
      assertThat(basis.known()).isEmpty();
      assertThat(basis.snapshot()).contains(expected);
      assertThat(expected.overdraft().minor()).isNegative();
      assertThat(expected.reservations()).hasSize(1);
      assertThat(expected.alert()).isPresent();
    }

    @Test
    void required_aMissingAccountReadsEmptyAndAnotherTenantsKeyIsNotKnown() {
      AccountId a = f.open("payer");
      f.grant(a, 100);
      ChargeResult charged = f.usage(a, 10);
      IdempotencyKey used = charged.transaction().idempotencyKey();

      WriteBasis missing = f.store.readForWrite(f.tenant, AccountId.of("nobody"), f.nextKey());
      assertThat(missing.known()).isEmpty();
      assertThat(missing.snapshot()).isEmpty();

      TckFixture other = new TckFixture(store());
      AccountId b = other.open("payer");
      other.grant(b, 70);
      WriteBasis elsewhere = other.store.readForWrite(other.tenant, b, used);
      assertThat(elsewhere.known()).isEmpty();
      assertThat(elsewhere.snapshot())
          .contains(other.store.loadAccount(other.tenant, b).orElseThrow());
    }
  }

  @Nested
  @DisplayName("A list: what each read would answer, in the list's order")
  class ManyAtOnce {

    @Test
    void required_aListOfTargetsReadsWhatEachReadWould() {
      AccountId first = f.open("first");
      AccountId second = f.open("second");
      f.grant(first, 500);
      f.grant(second, 300);
      f.reserve(second, 50);
      LedgerTransaction used = f.usage(first, 20).transaction();
      IdempotencyKey fresh = f.nextKey();
      List<WriteTarget> targets =
          List.of(
              WriteTarget.of(f.tenant, second, fresh),
              WriteTarget.of(f.tenant, second, used.idempotencyKey()),
              WriteTarget.of(f.tenant, first, f.nextKey()),
              WriteTarget.of(f.tenant, AccountId.of("nobody"), f.nextKey()),
              WriteTarget.of(f.tenant, first, fresh));

      List<WriteBasis> bases = f.store.readForWrites(targets);

      assertThat(bases).hasSize(targets.size());
      for (int i = 0; i < targets.size(); i++) {
        WriteTarget t = targets.get(i);
        Optional<LedgerTransaction> known = f.store.findTransaction(t.tenant(), t.key());
        WriteBasis expected =
            known.isPresent()
                ? WriteBasis.known(known.get())
                : WriteBasis.fresh(f.store.loadAccount(t.tenant(), t.account()));
        assertThat(bases.get(i)).as("target %d", i).isEqualTo(expected);
      }
      assertThat(bases.get(1).known()).contains(used);
      assertThat(bases.get(3).snapshot()).isEmpty();
    }
  }

  @Nested
  @DisplayName("A used key: the transaction under it, from any account of the tenant")
  class UsedKey {

    @Test
    void required_aUsedKeyReadsItsTransactionExactly() {
      AccountId a = f.open("spender");
      f.grant(a, 500);
      ChargeResult charged = f.usage(a, 120);
      LedgerTransaction stored = charged.transaction();

      WriteBasis basis = f.store.readForWrite(f.tenant, a, stored.idempotencyKey());

      assertThat(basis.known()).contains(stored);
      assertThat(basis.known())
          .isEqualTo(f.store.findTransaction(f.tenant, stored.idempotencyKey()));
      assertThat(basis.snapshot()).isEmpty();
    }

    @Test
    void required_aKeyUsedOnAnotherAccountOfTheTenantIsKnown() {
      AccountId first = f.open("first");
      AccountId second = f.open("second");
      f.grant(first, 500);
      f.grant(second, 500);
      LedgerTransaction onFirst = f.usage(first, 25).transaction();
      TenantId tenant = f.tenant;

      WriteBasis basis = f.store.readForWrite(tenant, second, onFirst.idempotencyKey());

      assertThat(basis.known()).contains(onFirst);
      assertThat(basis.known().orElseThrow().account()).isEqualTo(first);
    }
  }
}
