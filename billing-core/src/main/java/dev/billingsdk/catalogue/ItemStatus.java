package dev.billingsdk.catalogue;

/** Whether a catalogue item can be bought. */
public enum ItemStatus {
  /** On sale. */
  ACTIVE,
  /** No longer sold; still readable, and what was bought from it keeps it. */
  ARCHIVED
}
