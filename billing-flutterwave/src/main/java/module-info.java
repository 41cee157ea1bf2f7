/**
 * The payment adapter for Flutterwave.
 *
 * <p>{@code dev.billingsdk.flutterwave} holds the provider a host configures ({@link
 * dev.billingsdk.flutterwave.FlutterwavePaymentProvider}, with its {@link
 * dev.billingsdk.flutterwave.FlutterwaveSecretKey} and {@link
 * dev.billingsdk.flutterwave.FlutterwaveSecretHash}); {@code dev.billingsdk.flutterwave.testing} is
 * {@link dev.billingsdk.flutterwave.testing.FakeFlutterwave}, a local server speaking Flutterwave's
 * v3 wire format that hosts may use in their own tests. {@code dev.billingsdk.flutterwave.internal}
 * (the HTTP transport, amounts, webhook verification) is not exported.
 */
module dev.billingsdk.flutterwave {
  exports dev.billingsdk.flutterwave;
  exports dev.billingsdk.flutterwave.testing;

  requires static transitive org.jspecify;
  requires transitive dev.billingsdk.core;

  // Inside the module only: the JDK's HTTP client (calls to Flutterwave), the JDK's HTTP server
  // (the fake), JSON trees, logging, and Resilience4j's circuit breaker.
  requires java.net.http;
  requires jdk.httpserver;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;
  requires io.github.resilience4j.circuitbreaker;
  requires io.github.resilience4j.core;
}
