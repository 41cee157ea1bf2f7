/** See {@code module-info.java}. */
@NullMarked
package dev.billingsdk.flutterwave.testing;

import org.jspecify.annotations.NullMarked;
