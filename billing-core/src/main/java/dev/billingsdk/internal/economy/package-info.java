/**
 * The credit economy service: settings versions checked and added through the {@link
 * dev.billingsdk.spi.EconomyStore}, sign-up and referral grants under keys derived from what they
 * reward, and the partner allowance reset.
 */
@NullMarked
package dev.billingsdk.internal.economy;

import org.jspecify.annotations.NullMarked;
