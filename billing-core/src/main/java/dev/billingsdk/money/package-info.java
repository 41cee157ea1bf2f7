/**
 * Units and exact amounts: ISO 4217 currencies and credit units with a declared scale, amounts as
 * overflow-checked integers of the smallest subdivision, and prices, the only way between units.
 * Depends on nothing but the root package's exceptions. No method here rounds unless it is given a
 * rounding mode.
 */
@NullMarked
package dev.billingsdk.money;

import org.jspecify.annotations.NullMarked;
