/**
 * The catalogue: what a platform sells. Credit packages (credits, bonus credits, a price) and
 * subscription plans (a cadence, prices per currency, a credit allowance per period, features).
 * Items are versioned: an edit stores a new version and never rewrites an old one, so a purchase
 * keeps the version it bought; an archived item cannot be bought but stays readable. Every version
 * records who made it and when, which is the catalogue's audit trail. See {@code
 * docs/catalogue.md}.
 */
@NullMarked
package dev.billingsdk.catalogue;

import org.jspecify.annotations.NullMarked;
