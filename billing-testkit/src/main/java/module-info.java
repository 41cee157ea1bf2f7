/**
 * The test kit for hosts testing their own credit math: a test clock, jqwik generators of valid
 * requests and the ledger checks. A test-support library: a host puts it on its test path only.
 */
module dev.billingsdk.testkit {
  exports dev.billingsdk.testkit;

  requires static transitive org.jspecify;

  // The generators return jqwik Arbitraries of core's requests, and the checks take a Billing.
  requires transitive dev.billingsdk.core;
  requires transitive net.jqwik.api;
}
