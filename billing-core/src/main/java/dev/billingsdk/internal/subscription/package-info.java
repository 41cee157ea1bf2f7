/**
 * The subscription service: subscriptions moved through the {@link
 * dev.billingsdk.spi.SubscriptionStore} on the version they were decided on, periods paid through
 * the off-session purchases, allowances granted under keys derived from (subscription, period).
 */
@NullMarked
package dev.billingsdk.internal.subscription;

import org.jspecify.annotations.NullMarked;
