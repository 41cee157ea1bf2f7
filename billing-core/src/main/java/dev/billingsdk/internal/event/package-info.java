/**
 * The implementation of {@link dev.billingsdk.event}'s delivery: committed events handed to the
 * host's listeners, the outbox relay over the storage SPI, and the guarded calls of the host's
 * {@link dev.billingsdk.event.BillingObserver} ({@code Observation}). Not an API; depends on no
 * other internal package.
 */
@NullMarked
package dev.billingsdk.internal.event;

import org.jspecify.annotations.NullMarked;
