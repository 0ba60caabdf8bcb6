package io.wagateway.webhook;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.wagateway.common.LogThrottle;
import io.wagateway.webhook.WebhookSecrets.Signer;

/**
 * Who signed a delivery ({@code X-Hub-Signature-256} over the raw body), or null when nobody did; a rejection is
 * logged (throttled), and a service with no app secret at all says what to set.
 */
@ApplicationScoped
public class DeliveryVerifier {

    private static final Logger LOG = Logger.getLogger(DeliveryVerifier.class);

    /** Forged deliveries at most once a minute per kind. */
    private final LogThrottle throttle = new LogThrottle(Duration.ofMinutes(1));
    private final WebhookSecrets secrets;

    public DeliveryVerifier(WebhookSecrets secrets) {
        this.secrets = secrets;
    }

    /**
     * The signer, or null. Configured secrets first (no I/O; they sign for every number); the settings rows'
     * secrets only when those do not match.
     */
    public Uni<Signer> verify(byte[] body, String signature) {
        if (SignatureVerifier.parse(signature) == null) {
            long suppressed = throttle.admit("signature-format");
            if (suppressed >= 0) {
                LOG.warnf("Rejected webhook delivery (%d bytes): X-Hub-Signature-256 header %s (%d similar "
                        + "rejections not logged in the last minute)", body.length,
                        signature == null ? "missing" : "malformed", suppressed);
            }
            return Uni.createFrom().nullItem();
        }
        if (SignatureVerifier.verify(body, signature, secrets.configuredSecrets())) {
            return Uni.createFrom().item(Signer.ANY);
        }
        return secrets.snapshot().map(snapshot -> {
            int signer = SignatureVerifier.indexOf(body, signature, snapshot.appSecrets());
            if (signer >= 0) {
                return snapshot.signers().get(signer);
            }
            long suppressed = throttle.admit("signature-mismatch");
            if (suppressed < 0) {
                return null;
            }
            if (secrets.configuredSecrets().isEmpty() && snapshot.appSecrets().isEmpty()) {
                LOG.error("Rejected webhook delivery: no Meta app secret is configured, so no delivery can be "
                        + "verified. Set GATEWAY_WHATSAPP_APP_SECRETS to your app's secret (App Dashboard > App "
                        + "settings > Basic > App secret) or give a settings row an appSecret.");
            } else {
                LOG.warnf("Rejected webhook delivery (%d bytes): X-Hub-Signature-256 matches none of the %d app "
                        + "secret(s). If every delivery fails, the app secret is wrong or was rotated. (%d similar "
                        + "rejections not logged in the last minute)", body.length,
                        secrets.configuredSecrets().size() + snapshot.appSecrets().size(), suppressed);
            }
            return null;
        });
    }
}
