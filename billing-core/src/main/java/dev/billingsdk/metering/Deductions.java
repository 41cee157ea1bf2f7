package dev.billingsdk.metering;

/**
 * The periodic deduction (the product documents' "refresh interval"): rates every account's unrated
 * usage since its watermark, window by window, and posts the charges through the priority-ordered
 * credit application. Run it every interval from the host's scheduler; running it more often, late,
 * or from two instances at once is safe: each (account, meter) window is posted exactly once, and a
 * run cut off at any point resumes where it stopped.
 */
public interface Deductions {

  /** Rates and posts everything due now. */
  DeductionReport run();

  /** What {@link #run} would post now, writing nothing. */
  DeductionReport dryRun();
}
