package io.wagateway.schema;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.wagateway.support.Conversations;
import io.wagateway.support.ManagementPort;
import io.wagateway.support.Sql;
import io.wagateway.support.Webhooks;

/**
 * The whole service in a schema of its own (gateway.db.schema): Flyway creates and migrates it, the webhook's SQL (the
 * reactive pool's search_path) and the admin API's Hibernate reads find their tables there, readiness names it.
 */
@QuarkusTest
@TestProfile(OwnSchemaTest.ModuleSchema.class)
class OwnSchemaTest {

    static final String SCHEMA = "wag_module";

    public static class ModuleSchema implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.db.schema", SCHEMA);
        }
    }

    @Test
    void theServiceWorksInItsOwnSchema() {
        String version = (String) Sql.row("select max(version::int)::text as v from " + SCHEMA
                + ".flyway_schema_history where success and type <> 'BASELINE'").get("v");
        given().get(ManagementPort.url("/q/health/ready")).then().statusCode(200)
                .body("checks.find { it.name == 'database schema' }.data.schema", equalTo(SCHEMA))
                .body("checks.find { it.name == 'database schema' }.data.schemaVersion", equalTo(version));

        String number = Conversations.activeBusinessNumber();
        assertThat(Sql.count("select count(*) from " + SCHEMA + ".whatsapp_settings where phone_number_id = ?", number))
                .isEqualTo(1);

        String from = Conversations.newCustomerPhone();
        String wamid = "wamid.schema-" + UUID.randomUUID();
        Webhooks.post(Webhooks.inbound(from, "Own Schema", Webhooks.text(from, wamid, 1768466400, "hello")))
                .then().statusCode(200);
        assertThat(Sql.count("select count(*) from " + SCHEMA + ".whatsapp_messages where message_id = ?", wamid))
                .isEqualTo(1);
        given().header("Authorization", Conversations.admin()).queryParam("phoneNumber", from).get("/api/v1/sessions")
                .then().statusCode(200).body("items[0].phoneNumber", equalTo(from));
        // public may hold the module too (other tests' application, same database) or nothing at all.
        assertThat(Sql.count("""
                select case when to_regclass('public.whatsapp_messages') is null then 0 else (xpath('/row/c/text()',
                    query_to_xml(format('select count(*) as c from public.whatsapp_messages where message_id = %L', ?::text),
                    false, true, '')))[1]::text::int end
                """, wamid)).as("nothing written to public").isZero();
    }
}
