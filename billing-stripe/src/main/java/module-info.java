/**
 * The payment adapter for Stripe.
 *
 * <p>{@code dev.billingsdk.stripe} holds the provider a host configures ({@link
 * dev.billingsdk.stripe.StripePaymentProvider}, built with its {@link
 * dev.billingsdk.stripe.StripeApiKey}); {@code dev.billingsdk.stripe.testing} is {@link
 * dev.billingsdk.stripe.testing.FakeStripe}, a local server speaking Stripe's wire format that
 * hosts may use in their own tests. {@code dev.billingsdk.stripe.internal} (the HTTP transport, the
 * form encoder) is not exported.
 */
module dev.billingsdk.stripe {
  exports dev.billingsdk.stripe;
  exports dev.billingsdk.stripe.testing;

  requires static transitive org.jspecify;
  requires transitive dev.billingsdk.core;

  // Inside the module only: the JDK's HTTP client (calls to Stripe), the JDK's HTTP server (the
  // fake), JSON trees (no data binding of our classes, so nothing is opened to Jackson), logging,
  // and Resilience4j's circuit breaker (automatic modules: their jars name themselves in
  // Automatic-Module-Name).
  requires java.net.http;
  requires jdk.httpserver;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;
  requires io.github.resilience4j.circuitbreaker;
  requires io.github.resilience4j.core;
}
