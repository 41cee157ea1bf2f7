/**
 * The in-memory JMH benchmarks (credit application, ledger posting, reserve and settle, usage
 * ingestion and rating), each beside a bare baseline that does the same arithmetic with plain
 * arrays and hash maps, and {@link dev.billingsdk.bench.memory.MemorySuite}, which runs them and
 * turns JMH's results into rows of the report.
 */
package dev.billingsdk.bench.memory;
