/**
 * The platform's credit economy: the tenant's settings (price per credit, sign-up and referral
 * credits, the monthly referral cap, credits per hour, the refresh interval, the low-balance
 * threshold, revenue shares, the dry-run switches), versioned and audited; sign-up and referral
 * credits; and the monthly reset of partner allowances. See {@code docs/credit-economy.md}.
 */
@NullMarked
package dev.billingsdk.economy;

import org.jspecify.annotations.NullMarked;
