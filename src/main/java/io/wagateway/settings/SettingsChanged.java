package io.wagateway.settings;

import java.util.UUID;

/**
 * CDI event, fired after the transaction committed: a settings row was created, updated or deleted (caches of secrets must
 * reload).
 */
public record SettingsChanged(UUID id) {
}
