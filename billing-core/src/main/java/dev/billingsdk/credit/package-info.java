/**
 * The credit domain: accounts and their overdraft policy, grants (credit blocks) with category,
 * priority, validity, scope and cost basis, charges, the grant order, and the {@link
 * dev.billingsdk.credit.Credits} service with its requests and results.
 */
@NullMarked
package dev.billingsdk.credit;

import org.jspecify.annotations.NullMarked;
