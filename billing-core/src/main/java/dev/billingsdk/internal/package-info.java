/**
 * The services behind {@link dev.billingsdk.Billing}. Not an API: nothing outside core may use
 * these classes (an ArchUnit rule checks it), and they may change in any release. Depends on the
 * domain packages and the SPI.
 */
@NullMarked
package dev.billingsdk.internal;

import org.jspecify.annotations.NullMarked;
