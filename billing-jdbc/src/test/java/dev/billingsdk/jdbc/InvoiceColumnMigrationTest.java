package dev.billingsdk.jdbc;

import static dev.billingsdk.tck.TckFixture.credits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.billingsdk.AccessPolicy;
import dev.billingsdk.AccountId;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.InvoiceAlreadyCreditedException;
import dev.billingsdk.credit.InvoiceCreditRequest;
import dev.billingsdk.credit.InvoiceLine;
import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.CommitResult;
import dev.billingsdk.spi.LedgerWrite;
import dev.billingsdk.tck.TckFixture;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Version 13 keeps each transaction's invoice reference in a column of its own. A database that
 * applied credits to invoices at version 12 must come out of the upgrade with every application
 * findable, whatever characters its invoice id holds (each dialect reads the id back from the
 * stored JSON its own way), so that the invoice-credit guard sees applications made before it.
 */
class InvoiceColumnMigrationTest {

  /** Plain, with a quote and a backslash and a non-ASCII letter, and outside the BMP. */
  private static final List<String> INVOICES =
      List.of("INV-1", "INV-\u00c9\"q\\b", "INV-\uD83D\uDE00", "INV-1\u00a0");

  @ParameterizedTest(name = "{0}")
  @EnumSource(Db.class)
  void applicationsMadeAtVersion12AreFoundAfterTheUpgrade(Db db) throws SQLException {
    TestDatabases.assumeAvailable(db);
    DataSource ds = TestDatabases.pool(db, "migration", 4);
    String prefix = "mig_inv_";
    TestDatabases.drop(db, ds, prefix);
    try {
      TckFixture f =
          new TckFixture(SchemaMigrationTest.builder(db, ds, prefix).applySchema(true).build());
      AccountId a = f.open("payer");
      GrantResult grant = f.grant(a, 10_000);
      List<LedgerTransaction> applied = new ArrayList<>();
      for (String invoice : INVOICES) {
        applied.add(
            f.billing.invoiceCredits().apply(request(f, a, invoice)).transaction().orElseThrow());
      }
      // Text that looks like the reference inside another reference's value is not one.
      LedgerTransaction raw = f.rawDebit(a, grant, 1, f.nextKey());
      LedgerTransaction decoy =
          TckFixture.withReferences(
              raw, Map.of("a.note", ",\"billing.invoice\":\"INV-1\"", "z.note", "INV-1"));
      assertThat(f.store.commit(LedgerWrite.of(decoy, f.version(a))))
          .isInstanceOf(CommitResult.Committed.class);

      // Back to version 12: no column, no index, no version row.
      SchemaMigrationTest.undoInvoiceColumn(ds, db, prefix);
      SchemaMigrationTest.execute(
          ds, "DELETE FROM " + prefix + "schema_version WHERE version = 13");
      assertThat(new Schema(db.dialect, prefix).currentVersion(ds)).isEqualTo(12);

      assertThat(new Schema(db.dialect, prefix).apply(ds)).isOne();

      JdbcBillingStore upgraded = SchemaMigrationTest.builder(db, ds, prefix).build();
      Billing billing =
          Billing.builder()
              .store(upgraded)
              .clock(f.clock)
              .accessPolicy(AccessPolicy.allowAll())
              .build();
      for (int i = 0; i < INVOICES.size(); i++) {
        assertThat(upgraded.invoiceApplications(f.tenant, a, INVOICES.get(i)))
            .as("invoice %s", INVOICES.get(i))
            .extracting(LedgerTransaction::id)
            .containsExactly(applied.get(i).id());
      }
      InvoiceAlreadyCreditedException refused =
          catchThrowableOfType(
              InvoiceAlreadyCreditedException.class,
              () -> billing.invoiceCredits().apply(request(f, a, INVOICES.get(1))));
      assertThat(refused.standing()).isEqualTo(applied.get(1).id());
    } finally {
      TestDatabases.drop(db, ds, prefix);
    }
  }

  private static InvoiceCreditRequest request(TckFixture f, AccountId account, String invoice) {
    return InvoiceCreditRequest.builder(f.tenant, account, invoice)
        .lines(List.of(InvoiceLine.usage("usage", "tck.usage", credits(10))))
        .idempotencyKey(f.nextKey())
        .actor(TckFixture.ADMIN)
        .reason("migration invoice credits")
        .build();
  }
}
