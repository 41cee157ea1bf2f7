/**
 * A test double for Flutterwave that hosts may use in their own tests: {@link
 * dev.billingsdk.flutterwave.testing.FakeFlutterwave} is a local HTTP server on 127.0.0.1 that
 * speaks Flutterwave's v3 wire format (JSON bodies in {@code status}/{@code message}/{@code data}
 * envelopes) for the endpoints this adapter calls. A test plays the customer and Flutterwave: it
 * pays, fails or leaves pending what a payment link asked for, settles, declines or challenges
 * tokenized charges, builds the redirect's query and signed webhook deliveries, and injects
 * failures. No network, no Flutterwave account.
 *
 * <p>It depends on the JDK's {@code com.sun.net.httpserver} and {@code javax.crypto}, and on
 * Jackson inside only: its API speaks strings, maps, {@link java.math.BigDecimal} and records.
 */
@NullMarked
package dev.billingsdk.flutterwave.testing;

import org.jspecify.annotations.NullMarked;
