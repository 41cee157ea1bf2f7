package dev.billingsdk.bench;

/**
 * One line of the results table: our figure, its baseline from the same run, and the target.
 *
 * @param section e.g. {@code in-memory}, {@code PostgreSQL}
 * @param figure what was measured, e.g. {@code single debit per transaction, 2 clients}
 * @param ours the library's figure
 * @param baselineName what the baseline is, e.g. {@code pgbench tpcb-like}
 * @param baseline the baseline's figure, or null when there is none
 * @param target the target
 * @param note anything the reader needs (sizes, what bounds it); may be empty
 */
public record Row(
    String section,
    String figure,
    Measurement ours,
    String baselineName,
    Measurement baseline,
    Target target,
    String note) {

  /**
   * ours / baseline, the same way round for rates and times: for a rate above 1 is faster than the
   * baseline; for a time above 1 is slower. NaN without a baseline.
   */
  public double ratio() {
    if (baseline == null || baseline.value() == 0) {
      return Double.NaN;
    }
    return ours.value() / baseline.value();
  }

  public boolean hit() {
    return target.hit().test(this);
  }
}
