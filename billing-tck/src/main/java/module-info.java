/**
 * The storage conformance kit: abstract JUnit 5 and jqwik suites that a storage adapter extends in
 * its own tests. A test-support library: a host puts it on its test path, never in production.
 */
module dev.billingsdk.tck {
  exports dev.billingsdk.tck;

  // The suites' test, property and lifecycle methods are package-private (JUnit 5 and jqwik style),
  // so the test engines need deep reflection on them. Opened to everyone rather than to the two
  // engine modules by name: jqwik's engine is only a run-time dependency, and a host may run the
  // suites under another JUnit Platform engine or launcher.
  opens dev.billingsdk.tck;

  requires static transitive org.jspecify;

  // The suites take and return core's types (BillingStore, MeteringStore, ids, amounts), and a host
  // writes its subclasses with JUnit 5 and jqwik annotations: all three come along.
  requires transitive dev.billingsdk.core;
  // The fixture's clock and the ledger checks are the test kit's (TckFixture.clock is a TestClock).
  requires transitive dev.billingsdk.testkit;
  requires transitive org.junit.jupiter.api;
  requires transitive net.jqwik.api;
  requires org.assertj.core;
}
