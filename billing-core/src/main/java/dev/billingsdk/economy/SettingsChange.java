package dev.billingsdk.economy;

import dev.billingsdk.InvalidRequestException;
import java.util.List;
import java.util.Optional;

/**
 * One entry of the settings' audit trail: the version saved (who, when, why), the settings before
 * it (none for version 1), and the fields it changed.
 */
public record SettingsChange(
    SettingsVersion version,
    Optional<EconomySettings> before,
    List<EconomySettings.FieldChange> changes) {

  public SettingsChange {
    InvalidRequestException.requireNonNull(version, "version");
    InvalidRequestException.requireNonNull(before, "before");
    changes = List.copyOf(changes);
  }

  /** The entry for {@code version}, whose predecessor is {@code before}. */
  public static SettingsChange of(SettingsVersion version, Optional<SettingsVersion> before) {
    Optional<EconomySettings> b = before.map(SettingsVersion::settings);
    return new SettingsChange(
        version, b, b.map(s -> version.settings().changesSince(s)).orElse(List.of()));
  }

  public EconomySettings after() {
    return version.settings();
  }
}
