package dev.billingsdk;

/** The mutating operations an {@link AccessPolicy} decides on. */
public enum Operation {
  OPEN_ACCOUNT,
  GRANT_CREDITS,
  VOID_GRANT,
  /** Deduct credit from one category of an account's grants (an administrator's adjustment). */
  DEDUCT_CREDITS,
  CHARGE,
  /** Reserve, settle and release credit. */
  RESERVE,
  /** Reverse a debit. */
  REVERSE,
  /** Apply credits to an invoice. */
  APPLY_INVOICE_CREDITS,
  /** Run the expiry sweeps. */
  SWEEP,
  /** Configure an account's low-balance alert. */
  CONFIGURE_ALERTS,
  /** Define a meter. */
  DEFINE_METER,
  /** Send usage events. */
  INGEST_USAGE,
  /** Run the periodic deduction that rates usage and posts its charges. */
  RATE_USAGE,
  /** Create, revise or archive credit packages and subscription plans. */
  MANAGE_CATALOGUE,
  /** Start a purchase (a hosted checkout) for an account. */
  PURCHASE,
  /** Refund a purchase through its provider. */
  REFUND,
  /** Save the tenant's credit economy settings. */
  CONFIGURE_ECONOMY,
  /** Award sign-up credits and record (and reward) referrals. */
  AWARD_PROGRAM_CREDITS,
  /** Run the monthly reset of partner allowances. */
  RESET_ALLOWANCES,
  /** Subscribe an account to a plan, change its plan, cancel it. */
  SUBSCRIBE,
  /** Run the subscriptions' renewal job. */
  RENEW_SUBSCRIPTIONS,
  /** Set or disable an account's auto-top-up rule. */
  CONFIGURE_TOP_UP,
  /** Run the auto-top-up worker. */
  RUN_TOP_UPS,
  /**
   * Read statements, transactions and balances. Users may read only the accounts they hold (the
   * library filters); admins and finance read every account of the tenant.
   */
  READ_STATEMENTS,
  /** Close the statements of a month (the close job). */
  CLOSE_STATEMENTS,
  /**
   * Read finance reports: true revenue, agent revenue, project costs and invoices. Partners read
   * partner revenue of their own modules only (the library filters).
   */
  READ_REPORTS,
  /** Import external cost rows (project costs). */
  IMPORT_COSTS,
  /** Publish modules for partners and run partner payouts. */
  RUN_PAYOUTS
}
