package io.wagateway.settings;

import java.util.UUID;

/** Decrypted credentials of one settings row, for the webhook and the Graph API client. Never serialised. */
public record SettingsCredentials(
        UUID id,
        String phoneNumberId,
        String businessId,
        boolean active,
        String accessToken,
        String webhookToken,
        String appSecret) {

    @Override
    public String toString() {
        return "SettingsCredentials[id=" + id + ", phoneNumberId=" + phoneNumberId + ", active=" + active + "]";
    }
}
