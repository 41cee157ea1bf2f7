package dev.billingsdk.credit;

import dev.billingsdk.internal.credit.CreditService;

/** A deliberate violation, for {@code ArchitectureRulesCanFailTest}: credit reaching internal. */
final class ArchFixtureCreditUsingInternal {
  Credits make() {
    return new CreditService(null, null, null);
  }
}
