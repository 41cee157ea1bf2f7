package dev.billingsdk.testkit;

/**
 * The rules {@link LedgerChecks} checks on one account, in the order it checks them; a {@link
 * LedgerCheckFailure} names the first it found broken. The rule numbers are those of the library's
 * design (docs/architecture.md).
 */
public enum LedgerRule {
  /**
   * Every transaction is the account's own, with an id and an idempotency key no other transaction
   * of the account has (rule 5), in increasing sequence.
   */
  WELL_FORMED("every transaction is the account's own, unique and in sequence"),

  /**
   * Every transaction posts only in the account's unit (rule 8) and its postings sum to zero:
   * double entry (rule 1).
   */
  BALANCED("every transaction posts in the account's unit and sums to zero"),

  /**
   * Each grant's remaining credit, what the reservations hold and what the account owes equal a
   * replay of the ledger's postings, and RESERVED never goes negative along the way.
   */
  REPLAY("grant balances, reserved and owed equal a replay of the ledger"),

  /**
   * No grant below zero or above its amount, nothing reserved below zero, and nothing owed unless
   * the overdraft policy allows it, and then no more than its limit (rule 4).
   */
  WITHIN_POLICY("nothing negative and no overdraft beyond the policy"),

  /**
   * What the grants and the reservations hold minus what is owed equals the credit issued minus
   * what was consumed, voided and expired (rule 1, across the account).
   */
  CONSERVATION("grants + reserved - owed = issued - consumed - voided - expired"),

  /**
   * The account's balance agrees with its grants: total = the grants' remaining + reserved - owed;
   * available = what the grants available at the balance's instant hold, and its split by category
   * adds up to it; the balance lists exactly the grants that still hold credit. Checked only when
   * the {@link LedgerView} has a balance.
   */
  BALANCE("the balance equals the sum of the grants' remaining"),

  /**
   * A reversal corrects an earlier charge or usage debit of the same account and gives credit back;
   * all reversals of one debit together give back no more than it consumed.
   */
  REVERSALS("reversals never exceed what they reverse");

  private final String summary;

  LedgerRule(String summary) {
    this.summary = summary;
  }

  /** The rule in a few words, as failure messages state it. */
  public String summary() {
    return summary;
  }
}
