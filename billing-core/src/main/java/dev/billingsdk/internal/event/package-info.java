/**
 * The implementation of {@link dev.billingsdk.event}'s delivery: committed events handed to the
 * host's listeners, and the outbox relay over the storage SPI. Not an API; depends on no other
 * internal package.
 */
@NullMarked
package dev.billingsdk.internal.event;

import org.jspecify.annotations.NullMarked;
