package dev.billingsdk.spi;

/**
 * Half of a deliberate cycle, for {@code ArchitectureRulesCanFailTest}: spi depending on event (the
 * other half is {@code dev.billingsdk.event.ArchFixtureEventUsingSpi}).
 */
public class ArchFixtureSpiUsingEvent {
  dev.billingsdk.event.ArchFixtureEventUsingSpi other;
}
