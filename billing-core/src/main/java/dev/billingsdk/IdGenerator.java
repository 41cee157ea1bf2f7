package dev.billingsdk;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Makes ids for new grants and transactions; injected so that tests are deterministic. */
@FunctionalInterface
public interface IdGenerator {

  /** A new id, unique within the store, starting with {@code prefix} (e.g. {@code grt_}). */
  String next(String prefix);

  /** Random UUIDs: the default. */
  static IdGenerator randomUuids() {
    return prefix -> prefix + UUID.randomUUID();
  }

  /** {@code prefix1}, {@code prefix2}, ...: readable ids for tests and examples. */
  static IdGenerator sequential() {
    AtomicLong next = new AtomicLong();
    return prefix -> prefix + next.incrementAndGet();
  }
}
