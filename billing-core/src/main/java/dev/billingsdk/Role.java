package dev.billingsdk;

/** The roles of the product documents, plus {@link #SYSTEM} for the host's own automated jobs. */
public enum Role {
  ADMIN,
  FINANCE,
  PARTNER,
  USER,
  SYSTEM
}
