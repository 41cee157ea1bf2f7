/**
 * The in-memory storage adapter: correct under many threads, nothing durable. For tests, examples
 * and hosts that keep billing state elsewhere. Depends on the SPI and the domain only.
 */
@NullMarked
package dev.billingsdk.memory;

import org.jspecify.annotations.NullMarked;
