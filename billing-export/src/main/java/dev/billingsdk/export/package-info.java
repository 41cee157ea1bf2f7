/**
 * Finance exports of monthly statements and usage summaries: CSV ({@link
 * dev.billingsdk.export.CsvExport}, RFC 4180, formula-safe), JSON ({@link
 * dev.billingsdk.export.JsonExport}, RFC 8259, with a versioned schema) and a printable,
 * self-contained HTML statement with charts ({@link dev.billingsdk.export.HtmlStatement}). Every
 * export is deterministic: the same statement gives the same bytes.
 */
@NullMarked
package dev.billingsdk.export;

import org.jspecify.annotations.NullMarked;
