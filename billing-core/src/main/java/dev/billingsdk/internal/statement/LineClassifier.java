package dev.billingsdk.internal.statement;

import dev.billingsdk.GrantId;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.statement.StatementLine.Section;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * How one ledger transaction lands on statement lines: by the counters it posts to, so that every
 * line is the sum of its transactions' postings on one counter kind, and the lines of a transaction
 * add up to what it did to the balance (its postings on grants, RESERVED and OVERDRAFT).
 */
final class LineClassifier {

  // The references the credit and metering services write (internal.credit.Charges,
  // internal.credit.Grants, internal.credit.Deductions, internal.metering.CursorRun); the statement
  // stories pin them.
  static final String REF_CHARGE_KIND = "billing.chargeKind";
  static final String REF_ITEM = "billing.itemCode";
  static final String REF_GRANT = "billing.grant";
  static final String REF_METER = "usage.meter";
  static final String REF_DEDUCTED_FROM = "billing.deduct.category";

  /** One transaction's share of one line. */
  record Part(Section section, String key, long minor) {}

  private final Function<GrantId, String> categoryOf;
  private final Function<LedgerTransaction, Optional<String>> reversedItem;

  LineClassifier(
      Function<GrantId, String> categoryOf,
      Function<LedgerTransaction, Optional<String>> reversedItem) {
    this.categoryOf = categoryOf;
    this.reversedItem = reversedItem;
  }

  List<Part> parts(LedgerTransaction t) {
    long issued = -t.minorOn(LedgerAccount.counter(LedgerAccount.Kind.ISSUED));
    long consumed = t.minorOn(LedgerAccount.counter(LedgerAccount.Kind.CONSUMED));
    long expired = t.minorOn(LedgerAccount.counter(LedgerAccount.Kind.EXPIRED));
    long voided = t.minorOn(LedgerAccount.counter(LedgerAccount.Kind.VOIDED));
    List<Part> parts = new ArrayList<>(1);
    if (consumed != 0) {
      if (t.type() == TransactionType.REVERSAL) {
        parts.add(new Part(Section.REVERSAL, reversedItem.apply(t).orElse("reversal"), -consumed));
      } else {
        parts.add(charge(t, consumed));
      }
    }
    if (issued != 0) {
      String meter = t.references().get(REF_METER);
      if (meter != null) {
        // Usage re-rated down: credit given back for the meter, a negative usage charge.
        parts.add(new Part(Section.USAGE, meter, -issued));
      } else {
        parts.add(new Part(Section.CREDIT, category(t), issued));
      }
    }
    if (expired != 0) {
      parts.add(new Part(Section.EXPIRY, category(t), expired));
    }
    if (voided != 0) {
      String deductedFrom = t.references().get(REF_DEDUCTED_FROM);
      if (t.type() == TransactionType.MANUAL_ADJUSTMENT && deductedFrom != null) {
        parts.add(new Part(Section.DEDUCTION, deductedFrom, voided));
      } else {
        parts.add(
            new Part(
                t.type() == TransactionType.REFUND ? Section.REFUND : Section.VOID,
                category(t),
                voided));
      }
    }
    return parts;
  }

  /** The charge line of a debit: by the charge kind and item it carries. */
  static Part charge(LedgerTransaction t, long consumed) {
    String kind = t.references().get(REF_CHARGE_KIND);
    String item = t.references().getOrDefault(REF_ITEM, t.references().get(REF_METER));
    Section section;
    if (kind == null) {
      section = t.type() == TransactionType.USAGE_DEBIT ? Section.USAGE : Section.FIXED_FEE;
    } else {
      switch (kind) {
        case "USAGE" -> section = Section.USAGE;
        case "LICENCE" -> section = Section.LICENCE;
        case "ADD_ON" -> section = Section.ADD_ON;
        default -> section = Section.FIXED_FEE;
      }
    }
    return new Part(section, item == null ? t.type().name() : item, consumed);
  }

  /** The category of the grant the transaction names, or of the first grant it posts to. */
  private String category(LedgerTransaction t) {
    String named = t.references().get(REF_GRANT);
    if (named != null) {
      return categoryOf.apply(GrantId.of(named));
    }
    for (Posting p : t.postings()) {
      if (p.account().isGrant()) {
        return categoryOf.apply(p.account().grant());
      }
    }
    return "OVERDRAFT";
  }
}
