package io.wagateway.webhook;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.Startup;
import io.wagateway.security.ConfiguredSecretsCheck;

/** Refuses to start with a configured app secret that could never verify a delivery, or is guessable. */
@Startup
@ApplicationScoped
public class AppSecretsCheck {

    public AppSecretsCheck(WebhookConfig webhook) {
        ConfiguredSecretsCheck.appSecrets(webhook.appSecrets());
    }
}
