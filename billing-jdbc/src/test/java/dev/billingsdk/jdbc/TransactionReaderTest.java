package dev.billingsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.TenantId;
import dev.billingsdk.jdbc.TransactionReader.TransactionHead;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.tck.TckFixture;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The reader's half of a pipelined key read: the statements of one round trip each take their own
 * snapshot, so the postings statement may see a transaction that committed after the heads
 * statement looked. Two instances racing the deduction through {@code chargeAll} on PostgreSQL met
 * it ("postings of transaction .. without its head"); this pins the answer without a race.
 */
class TransactionReaderTest {

  @Test
  void postingsOfATransactionCommittedAfterTheHeadsWereReadAreLeftOutWithIt() throws Exception {
    TransactionHead seen =
        new TransactionHead(
            TransactionId.of("txn_seen"),
            TenantId.of("t"),
            AccountId.of("a"),
            TransactionType.USAGE_DEBIT,
            IdempotencyKey.of("k-seen"),
            "fp",
            TckFixture.ADMIN,
            "usage",
            Instant.parse("2026-01-01T00:00:00Z"),
            Instant.parse("2026-01-01T00:00:00Z"),
            Map.of(),
            7,
            TckFixture.CREDIT);
    TransactionReader reader = new TransactionReader(Dialect.H2, "");
    try (Connection c = DriverManager.getConnection("jdbc:h2:mem:transaction-reader-test");
        Statement s = c.createStatement();
        ResultSet postings =
            s.executeQuery(
                "SELECT * FROM (VALUES"
                    + " ('txn_late', 0, 'GRANT', 'g1', -7), ('txn_seen', 0, 'GRANT', 'g1', -5),"
                    + " ('txn_late', 1, 'CONSUMED', NULL, 7), ('txn_seen', 1, 'CONSUMED', NULL, 5))"
                    + " AS p(transaction_id, position, ledger_account, grant_id, amount)")) {

      List<LedgerTransaction> read = reader.withPostings(List.of(seen), postings);

      assertThat(read).extracting(t -> t.id().value()).containsExactly("txn_seen");
      assertThat(read.get(0).postings()).hasSize(2);
      assertThat(read.get(0).postings().get(1).amount().minor()).isEqualTo(5);
    }
  }
}
