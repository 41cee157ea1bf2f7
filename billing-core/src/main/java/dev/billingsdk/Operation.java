package dev.billingsdk;

/** The mutating operations an {@link AccessPolicy} decides on. */
public enum Operation {
  OPEN_ACCOUNT,
  GRANT_CREDITS,
  VOID_GRANT,
  CHARGE
}
