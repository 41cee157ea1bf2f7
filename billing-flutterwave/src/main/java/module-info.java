/**
 * The payment adapter for Flutterwave. Not written yet: its package {@code
 * dev.billingsdk.flutterwave} holds no types, and a module cannot export an empty package, so this
 * module exports nothing until the adapter's first public type lands (then: {@code exports
 * dev.billingsdk.flutterwave;}).
 */
module dev.billingsdk.flutterwave {
  requires static transitive org.jspecify;
  requires transitive dev.billingsdk.core;
}
