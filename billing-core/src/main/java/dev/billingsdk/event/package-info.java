/**
 * Typed events for state changes (grants created, voided and expired, charges posted, debits
 * reversed, reservations created, settled, released and expired, low-balance crossings), the
 * listener interface hosts register on {@code Billing.builder()}, and the outbox relay that
 * delivers stored events durably.
 */
@NullMarked
package dev.billingsdk.event;

import org.jspecify.annotations.NullMarked;
