package dev.billingsdk.metering;

/**
 * What ingesting one usage event did.
 *
 * @param duplicate true when an event with this id and the same payload was stored before (or
 *     earlier in the same batch): acknowledged, not counted again
 */
public record IngestResult(String id, boolean duplicate) {}
