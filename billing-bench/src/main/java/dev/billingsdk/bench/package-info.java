/**
 * Benchmarks: JMH for the in-memory paths and database runs beside {@code pgbench} / {@code COPY}
 * baselines. Never part of the test run, never timed assertions.
 *
 * <p>Not written yet.
 */
package dev.billingsdk.bench;
