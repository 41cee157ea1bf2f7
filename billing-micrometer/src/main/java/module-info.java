/**
 * Micrometer metrics for the billing library, usable without Spring: {@code
 * dev.billingsdk.micrometer.BillingMetrics} is at once the event listener, the observer and the
 * meter binder (docs/metrics.md).
 */
module dev.billingsdk.micrometer {
  exports dev.billingsdk.micrometer;

  requires static transitive org.jspecify;
  requires transitive dev.billingsdk.core;
  // BillingMetrics implements MeterBinder: a host compiling against it needs Micrometer too.
  requires transitive micrometer.core;

  // Inside the module only: a provider whose health check throws is logged.
  requires org.slf4j;
}
