package dev.billingsdk.event;

/**
 * Half of a deliberate cycle, for {@code ArchitectureRulesCanFailTest}: event depending on spi, as
 * the outbox relay once did (the other half is {@code
 * dev.billingsdk.spi.ArchFixtureSpiUsingEvent}).
 */
public class ArchFixtureEventUsingSpi {
  dev.billingsdk.spi.ArchFixtureSpiUsingEvent other;
}
