package dev.billingsdk;

import dev.billingsdk.internal.credit.CreditService;

/**
 * Half of a deliberate cycle, for {@code ArchitectureRulesCanFailTest}: the root package wiring an
 * internal service, as {@code Billing} did while it lived here. The other half is the service
 * itself, which uses the root's ids.
 */
final class ArchFixtureRootWiringInternal {
  CreditService credits;
}
