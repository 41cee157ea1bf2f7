package dev.billingsdk.report;

import dev.billingsdk.BuilderRules;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CurrencyUnit;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One row of the host's external cost export (a Google Cloud billing export row: service, SKU,
 * project, labels, cost, usage period). Build with {@link #builder(String)}.
 *
 * <p>The row id is the idempotency key of the import: the host derives it from the export (for
 * BigQuery, e.g. a hash of the row's columns, or the export's own row identity). Importing a row
 * whose id is stored with the same content is a duplicate and changes nothing; with different
 * content it is a {@link CostRowConflictException}.
 *
 * @param rowId the row's identity in its tenant, an identifier
 * @param service the cloud service ("Compute Engine"), non-blank, at most {@value
 *     InputContract#MAX_NAME} characters
 * @param sku the SKU ("N2 Instance Core running in Americas"), non-blank, at most {@value
 *     InputContract#MAX_NAME} characters
 * @param projectId the project's id, an identifier (a row without a project, such as a support fee,
 *     is given a project id by the host)
 * @param projectName the project's display name, non-blank, at most {@value InputContract#MAX_NAME}
 *     characters
 * @param labels the row's labels, sorted by key, at most {@value #MAX_LABELS}
 * @param cost what the row costs, in an ISO 4217 currency; negative for credits and refunds
 * @param usageStart when the usage began; reports and invoices place the row by this instant
 * @param usageEnd when the usage ended, not before {@code usageStart}
 */
public record ProjectCostRow(
    String rowId,
    String service,
    String sku,
    String projectId,
    String projectName,
    Map<String, String> labels,
    Amount cost,
    Instant usageStart,
    Instant usageEnd) {

  /** The most labels a row may carry. */
  public static final int MAX_LABELS = 64;

  public ProjectCostRow {
    rowId = InputContract.identifier(rowId, "rowId");
    service = InputContract.nonBlankText(service, "service", InputContract.MAX_NAME);
    sku = InputContract.nonBlankText(sku, "sku", InputContract.MAX_NAME);
    projectId = InputContract.identifier(projectId, "projectId");
    projectName = InputContract.nonBlankText(projectName, "projectName", InputContract.MAX_NAME);
    labels = checkLabels(labels);
    cost = checkCost(cost);
    usageStart = InputContract.instant(usageStart, "usageStart");
    usageEnd = InputContract.instant(usageEnd, "usageEnd");
    if (usageEnd.isBefore(usageStart)) {
      throw new InvalidRequestException(
          "usageEnd", usageEnd, "must not be before usageStart " + usageStart);
    }
  }

  /** The row's currency. */
  public CurrencyUnit currency() {
    return (CurrencyUnit) cost.unit();
  }

  /** Whether the row carries {@code label} (same key, same value). */
  public boolean has(CostLabel label) {
    return label.value().equals(labels.get(label.key()));
  }

  private static Map<String, String> checkLabels(@Nullable Map<String, String> given) {
    Map<String, String> labels = InvalidRequestException.requireNonNull(given, "labels");
    if (labels.size() > MAX_LABELS) {
      throw new InvalidRequestException(
          "labels", labels.size(), "must be at most " + MAX_LABELS + " labels");
    }
    SortedMap<String, String> sorted = new TreeMap<>();
    for (Map.Entry<String, String> e : labels.entrySet()) {
      String key = CostLabel.checkKey(e.getKey(), "labels.key");
      sorted.put(key, CostLabel.checkValue(e.getValue(), "labels[" + key + "]"));
    }
    return Collections.unmodifiableSortedMap(sorted);
  }

  private static Amount checkCost(@Nullable Amount given) {
    Amount cost = InvalidRequestException.requireNonNull(given, "cost");
    if (!(cost.unit() instanceof CurrencyUnit)) {
      throw new InvalidRequestException(
          "cost", cost, "must be in an ISO 4217 currency, not " + cost.unit());
    }
    return cost;
  }

  /** A builder for the row {@code rowId}; every setter validates at once and may be called once. */
  public static Builder builder(String rowId) {
    return new Builder(InputContract.identifier(rowId, "rowId"));
  }

  /** Builds a {@link ProjectCostRow}; labels are added one by one, each key once. */
  public static final class Builder {
    private final String rowId;
    private @Nullable String service;
    private @Nullable String sku;
    private @Nullable String projectId;
    private @Nullable String projectName;
    private final SortedMap<String, String> labels = new TreeMap<>();
    private @Nullable Amount cost;
    private @Nullable Instant usageStart;
    private @Nullable Instant usageEnd;

    private Builder(String rowId) {
      this.rowId = rowId;
    }

    public Builder service(String service) {
      this.service =
          InputContract.nonBlankText(
              BuilderRules.once("service", this.service, service),
              "service",
              InputContract.MAX_NAME);
      return this;
    }

    public Builder sku(String sku) {
      this.sku =
          InputContract.nonBlankText(
              BuilderRules.once("sku", this.sku, sku), "sku", InputContract.MAX_NAME);
      return this;
    }

    /** The project's id and display name. */
    public Builder project(String projectId, String projectName) {
      this.projectId =
          InputContract.identifier(
              BuilderRules.once("projectId", this.projectId, projectId), "projectId");
      this.projectName =
          InputContract.nonBlankText(
              BuilderRules.once("projectName", this.projectName, projectName),
              "projectName",
              InputContract.MAX_NAME);
      return this;
    }

    /** Adds a label; each key once. */
    public Builder label(String key, String value) {
      CostLabel label = CostLabel.of(key, value);
      BuilderRules.once("labels[" + key + "]", labels.get(label.key()), label.value());
      if (labels.size() >= MAX_LABELS) {
        throw new InvalidRequestException(
            "labels", label, "must be at most " + MAX_LABELS + " labels");
      }
      labels.put(label.key(), label.value());
      return this;
    }

    /** The cost in an ISO 4217 currency; negative for credits and refunds. */
    public Builder cost(Amount cost) {
      this.cost = checkCost(BuilderRules.once("cost", this.cost, cost));
      return this;
    }

    /** The usage period; {@code end} must not be before {@code start}. */
    public Builder usage(Instant start, Instant end) {
      Instant s =
          InputContract.instant(
              BuilderRules.once("usageStart", this.usageStart, start), "usageStart");
      Instant e =
          InputContract.instant(
              InvalidRequestException.requireNonNull(end, "usageEnd"), "usageEnd");
      if (e.isBefore(s)) {
        throw new InvalidRequestException("usageEnd", e, "must not be before usageStart " + s);
      }
      this.usageStart = s;
      this.usageEnd = e;
      return this;
    }

    public ProjectCostRow build() {
      return new ProjectCostRow(
          rowId,
          BuilderRules.required(service, "service"),
          BuilderRules.required(sku, "sku"),
          BuilderRules.required(projectId, "project"),
          BuilderRules.required(projectName, "project"),
          labels,
          BuilderRules.required(cost, "cost"),
          BuilderRules.required(usageStart, "usage"),
          BuilderRules.required(usageEnd, "usage"));
    }
  }
}
