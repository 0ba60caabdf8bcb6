package io.wagateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.wagateway.support.Sql;

/**
 * The seed's schema, column by column, read back from PostgreSQL's catalog after Flyway ran: a change to
 * V1 or a later migration that drifts from the seed fails here.
 */
@QuarkusTest
class SchemaTest {

    /** column -> "type|nullable|default" as information_schema reports them. */
    private static Map<String, String> columns(String table) {
        return Sql.rows("""
                select column_name, udt_name, is_nullable, coalesce(column_default, '') as def
                from information_schema.columns where table_schema = 'public' and table_name = ?
                """, table).stream().collect(Collectors.toMap(r -> (String) r.get("column_name"),
                r -> r.get("udt_name") + "|" + r.get("is_nullable") + "|" + r.get("def")));
    }

    @Test
    void enumsHaveTheSeedsValuesInOrder() {
        assertThat(enumValues("whatsapp_session_state")).containsExactly("IDLE", "BROWSING_CATEGORIES",
                "BROWSING_PRODUCTS", "VIEWING_PRODUCT", "VIEWING_CART", "CHECKOUT", "AWAITING_PAYMENT", "HUMAN_HANDOFF");
        assertThat(enumValues("whatsapp_message_direction")).containsExactly("INBOUND", "OUTBOUND");
    }

    @Test
    void customerProfiles() {
        assertThat(columns("customer_profiles")).containsAllEntriesOf(Map.of(
                "id", "uuid|NO|gen_random_uuid()",
                "wa_id", "text|NO|",
                "display_name", "text|YES|",
                "created_at", "timestamptz|NO|now()",
                "updated_at", "timestamptz|NO|"));
        assertThat(uniqueColumns("customer_profiles")).contains("wa_id");
    }

    @Test
    void whatsappSettings() {
        Map<String, String> columns = columns("whatsapp_settings");
        assertThat(columns).containsAllEntriesOf(Map.of(
                "id", "uuid|NO|gen_random_uuid()",
                "api_key", "text|NO|",
                "phone_number_id", "text|NO|",
                "business_id", "text|NO|",
                "access_token", "text|NO|",
                "webhook_token", "text|NO|",
                "webhook_url", "text|YES|",
                "is_active", "bool|NO|true",
                "last_updated_at", "timestamptz|NO|",
                "created_at", "timestamptz|NO|now()"));
        // V2: the app secret, encrypted like the other secrets.
        assertThat(columns).containsEntry("app_secret", "text|YES|");
        assertThat(primaryKey("whatsapp_settings")).containsExactly("id");
    }

    @Test
    void whatsappSessions() {
        assertThat(columns("whatsapp_sessions")).containsAllEntriesOf(Map.of(
                "id", "uuid|NO|gen_random_uuid()",
                "phone_number", "text|NO|",
                "customer_profile_id", "uuid|YES|",
                "state", "whatsapp_session_state|NO|'IDLE'::whatsapp_session_state",
                "context_data", "jsonb|YES|",
                "last_message_at", "timestamptz|NO|now()",
                "created_at", "timestamptz|NO|now()",
                "updated_at", "timestamptz|NO|"));
        assertThat(uniqueColumns("whatsapp_sessions")).contains("phone_number");
        assertThat(foreignKey("whatsapp_sessions", "customer_profile_id"))
                .isEqualTo("customer_profiles.id on delete SET NULL");
    }

    @Test
    void whatsappMessages() {
        assertThat(columns("whatsapp_messages")).containsAllEntriesOf(Map.of(
                "id", "uuid|NO|gen_random_uuid()",
                "session_id", "uuid|NO|",
                "message_id", "text|NO|",
                "direction", "whatsapp_message_direction|NO|",
                "content", "text|NO|",
                "message_type", "text|NO|'text'::text",
                "metadata", "jsonb|YES|",
                "created_at", "timestamptz|NO|now()"));
        assertThat(uniqueColumns("whatsapp_messages")).contains("message_id");
        assertThat(foreignKey("whatsapp_messages", "session_id")).isEqualTo("whatsapp_sessions.id on delete CASCADE");
    }

    @Test
    void oneActiveSettingsRowPerPhoneNumber() {
        String index = (String) Sql.row("select indexdef from pg_indexes where indexname = ?",
                "whatsapp_settings_active_phone_number_id_key").get("indexdef");
        assertThat(index).contains("UNIQUE").contains("(phone_number_id)").contains("WHERE is_active");
    }

    @Test
    void flywayAppliedEveryMigration() {
        List<String> versions = Sql.rows("select version from flyway_schema_history where success order by installed_rank")
                .stream().map(r -> (String) r.get("version")).toList();
        assertThat(versions).startsWith("1", "2", "3");
    }

    private static List<String> enumValues(String type) {
        return Sql.rows("""
                select e.enumlabel from pg_enum e join pg_type t on t.oid = e.enumtypid
                where t.typname = ? order by e.enumsortorder
                """, type).stream().map(r -> (String) r.get("enumlabel")).toList();
    }

    /** Columns that carry a single-column UNIQUE constraint. */
    private static List<String> uniqueColumns(String table) {
        return Sql.rows("""
                select a.attname from pg_constraint c
                join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
                where c.conrelid = ?::regclass and c.contype = 'u' and array_length(c.conkey, 1) = 1
                """, table).stream().map(r -> (String) r.get("attname")).toList();
    }

    private static List<String> primaryKey(String table) {
        return Sql.rows("""
                select a.attname from pg_constraint c
                join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)
                where c.conrelid = ?::regclass and c.contype = 'p'
                """, table).stream().map(r -> (String) r.get("attname")).toList();
    }

    /** "table.column on delete RULE" of the foreign key on {@code column}. */
    private static String foreignKey(String table, String column) {
        Map<String, Object> fk = Sql.row("""
                select ccu.table_name as ref_table, ccu.column_name as ref_column, rc.delete_rule
                from information_schema.table_constraints tc
                join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name
                join information_schema.referential_constraints rc on rc.constraint_name = tc.constraint_name
                join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name
                where tc.table_name = ? and tc.constraint_type = 'FOREIGN KEY' and kcu.column_name = ?
                """, table, column);
        return fk.get("ref_table") + "." + fk.get("ref_column") + " on delete " + fk.get("delete_rule");
    }
}
