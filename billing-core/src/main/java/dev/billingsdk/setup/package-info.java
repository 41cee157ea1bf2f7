/**
 * Setting the library up: {@link dev.billingsdk.setup.Billing} and its builder, the one place that
 * turns a store, a clock and the host's settings into the services ({@code Credits}, {@code
 * Reservations}, {@code Metering}...). A host touches this package once, at start-up; everything it
 * does afterwards goes through the service interfaces of the domain packages. It is the only
 * package that depends on {@code dev.billingsdk.internal}, which keeps the root package (the shared
 * vocabulary every other package uses) free of any dependency on the implementation.
 */
@NullMarked
package dev.billingsdk.setup;

import org.jspecify.annotations.NullMarked;
