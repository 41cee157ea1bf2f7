/**
 * The payment adapter for Stripe. Not written yet: its package {@code dev.billingsdk.stripe} holds
 * no types, and a module cannot export an empty package, so this module exports nothing until the
 * adapter's first public type lands (then: {@code exports dev.billingsdk.stripe;}).
 */
module dev.billingsdk.stripe {
  requires static transitive org.jspecify;
  requires transitive dev.billingsdk.core;
}
