package dev.billingsdk.money;

import dev.billingsdk.credit.GrantCategory;

/** A deliberate violation, for {@code ArchitectureRulesCanFailTest}: money depending on credit. */
class ArchFixtureMoneyUsingCredit {
  GrantCategory category() {
    return GrantCategory.PURCHASED;
  }
}
