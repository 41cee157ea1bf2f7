/**
 * A test double for Stripe that hosts may use in their own tests: {@link
 * dev.billingsdk.stripe.testing.FakeStripe} is a local HTTP server on 127.0.0.1 that speaks
 * Stripe's wire format for the few endpoints this adapter calls, lets a test pay, expire or refund
 * what it created, injects failures, and signs webhook events as Stripe does. No network, no Stripe
 * account.
 *
 * <p>It depends on the JDK's {@code com.sun.net.httpserver}, Jackson (inside only: its API speaks
 * strings and maps) and this module's form codec.
 */
@NullMarked
package dev.billingsdk.stripe.testing;

import org.jspecify.annotations.NullMarked;
