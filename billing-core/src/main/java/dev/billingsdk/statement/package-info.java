/**
 * Monthly statements per account: opening balance, credits received by category, charges (usage by
 * meter, fixed fees, licence fees, add-ons), reversals, expiries, voids and refunds, closing
 * balance, with the usage behind the charges by meter, dimension values and hour. The open month is
 * computed from the ledger on every read; the close job stores each month once, and a closed
 * statement never changes. See {@code docs/statements.md}.
 */
@NullMarked
package dev.billingsdk.statement;

import org.jspecify.annotations.NullMarked;
