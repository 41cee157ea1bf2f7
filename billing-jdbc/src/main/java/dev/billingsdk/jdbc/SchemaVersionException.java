package dev.billingsdk.jdbc;

import dev.billingsdk.BillingException;

/**
 * The database's billing schema is not the version this library works with: older (apply the
 * migrations first, or start the store with {@code applySchema(true)}) or newer (this library is
 * older than the schema; upgrade it). The store refuses to start rather than read or write a schema
 * it does not know.
 */
public class SchemaVersionException extends BillingException {
  private static final long serialVersionUID = 1L;

  private final int found;
  private final int known;

  public SchemaVersionException(String tablePrefix, int found, int known) {
    super(message(tablePrefix, found, known));
    this.found = found;
    this.known = known;
  }

  private static String message(String prefix, int found, int known) {
    if (found > known) {
      return "the billing schema '"
          + prefix
          + "' is at version "
          + found
          + ", newer than this library knows ("
          + known
          + "): upgrade billing-jdbc before starting it against this database";
    }
    return "the billing schema '"
        + prefix
        + "' is at version "
        + found
        + (found == 0 ? " (not installed)" : "")
        + ", but this library needs version "
        + known
        + ": apply the migrations in db/billing/<dialect>/ (with your migration tool, or with"
        + " JdbcBillingStore.builder(..).applySchema(true))";
  }

  /** The version found in the database (0 when there is no schema). */
  public int found() {
    return found;
  }

  /** The version this library works with. */
  public int known() {
    return known;
  }
}
