package dev.billingsdk.statement;

import dev.billingsdk.money.Amount;
import java.time.Instant;

/**
 * One hour of a statement's hourly series: what usage cost in the hour (by the rating windows that
 * started in it) and, for running-time meters, how many instances ran.
 *
 * @param group the value of the dimension the series is grouped by ({@code ""} for the total)
 * @param instances distinct instances of running-time meters with usage in the hour
 */
public record HourlyPoint(Instant hour, String group, Amount credits, int instances) {}
