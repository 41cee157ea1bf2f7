package dev.billingsdk.credit;

/** The kinds of charge that a grant's {@link Scope} can name as a whole. */
public enum ChargeKind {
  /** A usage charge for a meter (tokens, compute hours, storage...). */
  USAGE,
  FIXED_FEE,
  LICENCE,
  ADD_ON
}
