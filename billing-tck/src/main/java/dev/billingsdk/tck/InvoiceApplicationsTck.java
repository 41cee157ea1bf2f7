package dev.billingsdk.tck;

import static dev.billingsdk.tck.TckFixture.credits;
import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.InvoiceAlreadyCreditedException;
import dev.billingsdk.credit.InvoiceCreditRequest;
import dev.billingsdk.credit.InvoiceCreditResult;
import dev.billingsdk.credit.InvoiceLine;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.CommitResult;
import dev.billingsdk.spi.LedgerWrite;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link BillingStore#invoiceApplications}: the account's transactions that carry
 * {@link LedgerTransaction#REF_INVOICE} with exactly the invoice asked for, oldest first. The
 * invoice-credit guard reads it on the version its write is decided on, so that an invoice is
 * credited at most once while its application stands. An adapter extends this kit and supplies
 * {@link #store()}; every test uses a fresh tenant, so the store may be shared.
 */
public abstract class InvoiceApplicationsTck {

  /** For subclasses: an adapter's runner extends this kit. */
  protected InvoiceApplicationsTck() {}

  /** The store under test. May be shared across tests: each test uses a fresh tenant. */
  protected abstract BillingStore store();

  protected TckFixture f;

  @BeforeEach
  void newWorld() {
    f = new TckFixture(store());
  }

  @Nested
  @DisplayName("An invoice's applications, oldest first")
  class Listing {

    @Test
    void required_anInvoicesApplicationsAreListedOldestFirst() {
      AccountId a = f.open("payer");
      f.grant(a, 10_000);
      LedgerTransaction first = apply(a, "INV-1", 300).transaction().orElseThrow();
      f.reverseAll(a, first.id());
      LedgerTransaction second = apply(a, "INV-1", 200).transaction().orElseThrow();
      LedgerTransaction other = apply(a, "INV-2", 100).transaction().orElseThrow();

      assertThat(f.store.invoiceApplications(f.tenant, a, "INV-1"))
          .containsExactly(stored(first), stored(second));
      assertThat(f.store.invoiceApplications(f.tenant, a, "INV-2")).containsExactly(stored(other));
      assertThat(f.store.invoiceApplications(f.tenant, a, "INV-3")).isEmpty();
      assertThat(f.store.invoiceApplications(f.tenant, AccountId.of("nobody"), "INV-1")).isEmpty();
    }

    @Test
    void required_onlyTheAccountsOwnApplicationsOfThatVeryInvoiceAreListed() {
      AccountId a = f.open("payer");
      AccountId b = f.open("other-payer");
      GrantResult paying = f.grant(a, 10_000);
      f.grant(b, 10_000);
      // Invoice ids a loose comparison would take for one: case, accents composed or not, a
      // no-break space. Each is its own invoice.
      List<String> twins = List.of("INV-1", "inv-1", "INV-\u00c9", "INV-E\u0301", "INV-1\u00a0");
      List<LedgerTransaction> applied = new ArrayList<>();
      for (String invoice : twins) {
        applied.add(apply(a, invoice, 10).transaction().orElseThrow());
      }
      apply(b, "INV-1", 10);
      TckFixture otherTenant = new TckFixture(store());
      AccountId sameName = otherTenant.open("payer");
      otherTenant.grant(sameName, 1_000);
      apply(otherTenant, sameName, "INV-1", 10);
      // The invoice's id under another reference is not an application of it.
      LedgerTransaction note = noteNaming(a, paying, "INV-1");

      for (int i = 0; i < twins.size(); i++) {
        assertThat(f.store.invoiceApplications(f.tenant, a, twins.get(i)))
            .as("invoice %s", twins.get(i))
            .containsExactly(stored(applied.get(i)));
      }
      assertThat(f.store.invoiceApplications(f.tenant, a, "INV-1"))
          .extracting(LedgerTransaction::id)
          .doesNotContain(note.id());
    }
  }

  @Nested
  @DisplayName("The guard: one standing application per invoice")
  class Guard {

    @Test
    void required_applicationsRacingUnderDifferentKeysCreditTheInvoiceOnce() {
      AccountId a = f.open("payer");
      f.grant(a, 10_000);
      int threads = 4;
      List<Optional<TransactionId>> outcomes =
          Races.race(
              threads,
              i ->
                  () -> {
                    try {
                      return apply(a, "INV-RACE", 100).transaction().map(LedgerTransaction::id);
                    } catch (InvoiceAlreadyCreditedException refused) {
                      return Optional.<TransactionId>empty();
                    }
                  });

      assertThat(outcomes.stream().filter(Optional::isPresent)).hasSize(1);
      assertThat(f.store.invoiceApplications(f.tenant, a, "INV-RACE")).hasSize(1);
      assertThat(
              f.store.transactions(f.tenant, a).stream()
                  .filter(t -> t.type() == TransactionType.CHARGE))
          .hasSize(1);
      f.assertConsistent(a);
    }
  }

  private InvoiceCreditResult apply(AccountId account, String invoice, long minor) {
    return apply(f, account, invoice, minor);
  }

  private static InvoiceCreditResult apply(
      TckFixture w, AccountId account, String invoice, long minor) {
    return w.billing
        .invoiceCredits()
        .apply(
            InvoiceCreditRequest.builder(w.tenant, account, invoice)
                .lines(List.of(InvoiceLine.usage("usage", "tck.usage", credits(minor))))
                .idempotencyKey(w.nextKey())
                .actor(TckFixture.ADMIN)
                .reason("tck invoice credits")
                .build());
  }

  private LedgerTransaction stored(LedgerTransaction t) {
    return f.store.findTransaction(f.tenant, t.id()).orElseThrow();
  }

  /** A committed transaction that names {@code invoice} under a reference of its own. */
  private LedgerTransaction noteNaming(AccountId account, GrantResult from, String invoice) {
    IdempotencyKey key = f.nextKey();
    LedgerTransaction raw = f.rawDebit(account, from, 1, key);
    LedgerTransaction withNote =
        TckFixture.withReferences(raw, Map.of("tck.note", invoice, "tck.invoice", invoice));
    CommitResult r = f.store.commit(LedgerWrite.of(withNote, f.version(account)));
    assertThat(r).isInstanceOf(CommitResult.Committed.class);
    assertThat(withNote.minorOn(LedgerAccount.counter(LedgerAccount.Kind.CONSUMED))).isOne();
    return withNote;
  }
}
