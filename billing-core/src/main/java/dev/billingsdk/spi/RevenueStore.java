package dev.billingsdk.spi;

import dev.billingsdk.GrantId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.report.PartnerModule;
import dev.billingsdk.report.Payout;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the revenue reports read and keep: a tenant's consumption transactions by effective time
 * (paged, indexed), the terms of the grants they took credit from, the partner-module registry and
 * the partner payouts (at most one per tenant, partner and month, ever).
 */
public interface RevenueStore {

  /** The transaction types that move credit to or from CONSUMED: debits and reversals. */
  Set<TransactionType> CONSUMPTION =
      Set.of(TransactionType.USAGE_DEBIT, TransactionType.CHARGE, TransactionType.REVERSAL);

  /** The most rows one page may ask for. */
  int MAX_PAGE = 1_000;

  /** Where a page of consumption ends: the last row's effective instant and sequence. */
  record Position(Instant effectiveAt, long sequence) {
    public Position {
      InvalidRequestException.requireNonNull(effectiveAt, "effectiveAt");
    }

    public static Position of(LedgerTransaction t) {
      return new Position(t.effectiveAt(), t.sequence());
    }
  }

  /** The debit a reversal corrects, as much of it as a report needs. */
  record CorrectedDebit(TransactionId id, Instant effectiveAt, Map<String, String> references) {
    public CorrectedDebit {
      InvalidRequestException.requireNonNull(id, "transaction");
      InvalidRequestException.requireNonNull(effectiveAt, "effectiveAt");
      references = Map.copyOf(InvalidRequestException.requireNonNull(references, "references"));
    }
  }

  /** A consumption transaction, with the debit it corrects when it is a reversal. */
  record Consumption(LedgerTransaction transaction, Optional<CorrectedDebit> corrects) {
    public Consumption {
      InvalidRequestException.requireNonNull(transaction, "transaction");
      InvalidRequestException.requireNonNull(corrects, "corrects");
    }
  }

  /**
   * At most {@code limit} transactions of {@code tenant} whose type is in {@link #CONSUMPTION} and
   * whose effective instant is in {@code [from, until)}, after {@code after} in (effective instant,
   * sequence) order, in that order; each with its postings and references, and a reversal with the
   * debit it corrects.
   */
  List<Consumption> consumption(
      TenantId tenant, Instant from, Instant until, Optional<Position> after, int limit);

  /** The grants of {@code tenant} among {@code ids} (those that exist), in no particular order. */
  List<Grant> grants(TenantId tenant, Collection<GrantId> ids);

  /**
   * Stores a publication unless the module already has one at that effective instant; returns the
   * stored publication (this one, or the one that was there) and whether it was created.
   */
  Published publish(PartnerModule module);

  /** The outcome of {@link #publish}. */
  record Published(PartnerModule module, boolean created) {
    public Published {
      InvalidRequestException.requireNonNull(module, "module");
    }
  }

  /** Every publication of {@code tenant}, by module then effective instant. */
  List<PartnerModule> publications(TenantId tenant);

  /**
   * Stores a payout unless one exists for its (tenant, partner, month), atomically (two stores on
   * one database racing: one wins); returns the stored payout and whether it was created.
   */
  PayoutInsert insertPayout(Payout payout);

  /** The outcome of {@link #insertPayout}. */
  record PayoutInsert(Payout payout, boolean created) {
    public PayoutInsert {
      InvalidRequestException.requireNonNull(payout, "payout");
    }
  }

  Optional<Payout> findPayout(TenantId tenant, String partner, YearMonth month);

  /** The payouts of {@code tenant} for {@code month}, by partner. */
  List<Payout> payouts(TenantId tenant, YearMonth month);

  /** Refuses a page size outside 1..{@link #MAX_PAGE}. */
  static int checkLimit(int limit) {
    if (limit < 1 || limit > MAX_PAGE) {
      throw new InvalidRequestException("limit", limit, "must be between 1 and " + MAX_PAGE);
    }
    return limit;
  }
}
