package dev.billingsdk.money;

import dev.billingsdk.credit.GrantId;

/** A deliberate violation, for {@code ArchitectureRulesCanFailTest}: money depending on credit. */
final class ArchFixtureMoneyUsingCredit {
  GrantId grant() {
    return GrantId.of("grt_1");
  }
}
