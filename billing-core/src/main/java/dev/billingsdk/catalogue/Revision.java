package dev.billingsdk.catalogue;

import dev.billingsdk.Actor;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import java.time.Instant;

/**
 * Which version of a catalogue item this is, and who made it when: the catalogue's audit trail. The
 * version before it ({@code version - 1}) is the "before" of the change.
 *
 * @param version 1 for the first version, then one more per change
 */
public record Revision(int version, ChangeKind change, Actor actor, Instant at) {

  public Revision {
    if (version < 1) {
      throw new InvalidRequestException("version", version, "must be at least 1");
    }
    InvalidRequestException.requireNonNull(change, "change");
    InvalidRequestException.requireNonNull(actor, "actor");
    at = InputContract.instant(at, "at");
    if ((version == 1) != (change == ChangeKind.CREATED)) {
      throw new InvalidRequestException(
          "change", change, "must be CREATED exactly for version 1 (was version " + version + ")");
    }
  }

  public static Revision of(int version, ChangeKind change, Actor actor, Instant at) {
    return new Revision(version, change, actor, at);
  }
}
