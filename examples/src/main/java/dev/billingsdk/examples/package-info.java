/**
 * Runnable programs a newcomer starts first; {@link dev.billingsdk.examples.QuickStart} is the one
 * the README's quick-start command runs. Examples use the public API only: never {@code
 * dev.billingsdk.internal} (an ArchUnit rule in this module's tests checks it).
 */
package dev.billingsdk.examples;
