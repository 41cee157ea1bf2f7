/**
 * The implementation of {@link dev.billingsdk.credit}: {@code Credits}, {@code Reservations},
 * {@code Sweeps} and {@code InvoiceCredits}, and the write protocol they share ({@code Writer}:
 * look the key up, read a snapshot, decide, commit, publish). Not an API.
 */
@NullMarked
package dev.billingsdk.internal.credit;

import org.jspecify.annotations.NullMarked;
