package io.wagateway.settings;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.wagateway.support.Conversations;
import io.wagateway.support.Sql;
import io.wagateway.support.Webhooks;
import io.wagateway.webhook.SignatureVerifier;

/**
 * SettingsChanged fires only after the settings transaction committed: a reload of the webhook's secrets while
 * the commit is still under way (here held back by a deferred trigger) must not leave the old secret cached.
 */
@QuarkusTest
class SettingsChangedTest {

    @Test
    void aWebhookSignedWithTheNewSecretIsAcceptedRightAfterTheAnswer() throws Exception {
        String phoneNumberId = Conversations.newPhoneNumberId();
        String oldSecret = secret();
        String newSecret = secret();
        String id = given().header("Authorization", Conversations.admin()).contentType(ContentType.JSON)
                .body(Map.of("apiKey", "k", "phoneNumberId", phoneNumberId, "businessId", "204567891234567",
                        "accessToken", Conversations.ACCESS_TOKEN, "webhookToken", "verify-token-" + UUID.randomUUID(),
                        "appSecret", oldSecret))
                .post("/api/v1/settings").then().statusCode(201).extract().path("id");
        assertThat(deliver(phoneNumberId, oldSecret)).isEqualTo(200); // the cache now holds the old secret

        // The update's COMMIT waits 1.5 s in a deferred trigger, after the row is written but before it is visible.
        Sql.update("""
                create or replace function test_slow_commit() returns trigger language plpgsql as $$
                begin perform pg_sleep(1.5); return null; end $$""");
        Sql.update("create constraint trigger test_slow_commit after update on whatsapp_settings deferrable initially "
                + "deferred for each row when (new.id = '" + UUID.fromString(id) + "') execute function test_slow_commit()");
        try {
            CompletableFuture<Integer> update = CompletableFuture.supplyAsync(() -> given()
                    .header("Authorization", Conversations.admin()).contentType(ContentType.JSON)
                    .body(Map.of("appSecret", newSecret)).patch("/api/v1/settings/" + id).statusCode());
            // Meanwhile the webhook keeps asking for the secrets (a handshake reloads them when the cache is empty).
            Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
            while (!update.isDone() && Instant.now().isBefore(deadline)) {
                given().queryParam("hub.mode", "subscribe").queryParam("hub.verify_token", "not-a-token")
                        .queryParam("hub.challenge", "1").get("/webhooks/whatsapp").then().statusCode(403);
                Thread.sleep(20);
            }
            assertThat(update.get(20, TimeUnit.SECONDS)).isEqualTo(200);
        } finally {
            Sql.update("drop trigger if exists test_slow_commit on whatsapp_settings");
            Sql.update("drop function if exists test_slow_commit()");
        }

        assertThat(deliver(phoneNumberId, newSecret)).isEqualTo(200);
        assertThat(deliver(phoneNumberId, oldSecret)).isEqualTo(401);
    }

    private static String secret() {
        return "app_secret_" + UUID.randomUUID().toString().replace("-", "");
    }

    /** Posts one inbound text message to {@code phoneNumberId}, signed with {@code secret}; the status code. */
    private static int deliver(String phoneNumberId, String secret) {
        String from = Conversations.newCustomerPhone();
        byte[] body = ("""
                {"object":"whatsapp_business_account","entry":[{"id":"204567891234567","changes":[{"value":{
                "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550000000","phone_number_id":"%s"},
                "contacts":[{"profile":{"name":"Ada"},"wa_id":"%s"}],"messages":[%s]},"field":"messages"}]}]}""")
                .formatted(phoneNumberId, from, Webhooks.text(from, "wamid.changed-" + UUID.randomUUID(),
                        Instant.now().getEpochSecond(), "hello"))
                .getBytes(StandardCharsets.UTF_8);
        return Webhooks.post(body, SignatureVerifier.sign(secret, body)).statusCode();
    }
}
