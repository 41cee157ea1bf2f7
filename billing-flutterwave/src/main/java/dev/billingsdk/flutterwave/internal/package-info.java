/** See {@code module-info.java}. */
@NullMarked
package dev.billingsdk.flutterwave.internal;

import org.jspecify.annotations.NullMarked;
