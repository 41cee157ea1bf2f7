package dev.billingsdk.metering;

/**
 * How a meter turns the usage events of a billing period into the quantity that is priced. Rating
 * keeps the aggregate per period (calendar month, UTC) and per price rule, so tiers apply to the
 * period's aggregate however often the deduction job runs.
 */
public enum Aggregation {
  /** The sum of the events' quantities (tokens, bytes, operations). */
  SUM,
  /** The number of events; their quantities are ignored. */
  COUNT,
  /** The largest quantity seen in the period (peak storage, seats). */
  MAX,
  /** The number of distinct values of the meter's key dimension in the period (active users). */
  UNIQUE_COUNT,
  /** The quantity of the event that occurred last in the period (ties: the later-ingested one). */
  LATEST,
  /**
   * Running time: each event sets the level of one running instance (named by the meter's key
   * dimension) from its time on; a quantity of zero stops it. The aggregate is level × seconds
   * while running, prorated to the second, split at window and period boundaries. With a heartbeat
   * timeout, an instance that sends nothing for longer than the timeout stops at its last event
   * plus the timeout.
   */
  RUNNING_TIME
}
