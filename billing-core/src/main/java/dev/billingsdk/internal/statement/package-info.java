/**
 * The statement service: which ledger transactions belong to a month (the statement window), how
 * each one lands on a statement line, and the close job.
 */
@NullMarked
package dev.billingsdk.internal.statement;

import org.jspecify.annotations.NullMarked;
