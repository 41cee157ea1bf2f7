package dev.billingsdk.catalogue;

/** What a catalogue version did to its item. */
public enum ChangeKind {
  /** The first version. */
  CREATED,
  /** A new version with other terms. */
  REVISED,
  /** The same terms, no longer on sale. */
  ARCHIVED
}
