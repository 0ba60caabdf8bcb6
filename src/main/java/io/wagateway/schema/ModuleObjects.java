package io.wagateway.schema;

import java.util.List;

/**
 * The names of the database objects the migrations create (tables, indexes and constraints, sequences, types,
 * functions), the implicit ones (primary keys, identity sequences) included. Before the
 * first migration into a schema that already holds other objects, none of these may exist there: a clash is refused
 * by name instead of Flyway failing half-way through V1. MigrationLifecycleTest fails when a migration creates a name
 * missing here.
 */
final class ModuleObjects {

    static final List<String> NAMES = List.of(
            // V1
            "whatsapp_session_state", "whatsapp_message_direction", "customer_profiles", "customer_profiles_pkey",
            "customer_profiles_wa_id_key", "whatsapp_settings", "whatsapp_settings_pkey", "whatsapp_sessions",
            "whatsapp_sessions_pkey", "whatsapp_sessions_phone_number_key", "whatsapp_messages", "whatsapp_messages_pkey",
            "whatsapp_messages_message_id_key", "whatsapp_sessions_customer_profile_id_idx",
            "whatsapp_messages_session_id_idx",
            // V2
            "whatsapp_settings_active_phone_number_id_key",
            // V3
            "whatsapp_pending_statuses", "whatsapp_pending_statuses_pkey", "whatsapp_sessions_updated_at_id_idx",
            "whatsapp_messages_session_created_idx",
            // V4
            "whatsapp_dead_letters", "whatsapp_dead_letters_pkey", "whatsapp_dead_letters_id_seq",
            "whatsapp_dead_letters_received_at_idx",
            // V5
            "whatsapp_deleted_messages", "whatsapp_deleted_messages_pkey", "whatsapp_deleted_messages_deleted_at_idx",
            "customer_profiles_conversation_deleted_at_idx",
            // V6
            "gateway_events", "gateway_events_unsequenced", "gateway_events_retention", "gateway_event_sequencer",
            "gateway_subscriptions", "gateway_subscriptions_page", "gateway_event_deliveries",
            "gateway_event_deliveries_due", "gateway_event_deliveries_session", "gateway_event_deliveries_event",
            "gateway_delivery_attempts", "gateway_delivery_attempts_delivery", "gateway_events_pkey", "gateway_events_seq_seq",
            "gateway_events_id_key", "gateway_event_sequencer_pkey", "gateway_subscriptions_pkey",
            "gateway_event_deliveries_pkey", "gateway_event_deliveries_id_seq",
            "gateway_event_deliveries_subscription_id_event_id_key", "gateway_delivery_attempts_pkey",
            "gateway_delivery_attempts_id_seq",
            // V7
            "gateway_json_time", "gateway_event_message", "gateway_event_customer", "gateway_event_session",
            // V8
            "customer_profiles_created_at_id_idx", "gateway_erasure_hash", "whatsapp_erased_customers",
            "whatsapp_erased_customers_pkey", "whatsapp_erased_customers_erased_at_idx", "whatsapp_erased_messages",
            "whatsapp_erased_messages_pkey", "whatsapp_erased_messages_erased_at_idx",
            // V10
            "gateway_event_deliveries_unreleased", "gateway_delivery_attempts_subscription",
            // V9
            "gateway_retention_overrides", "gateway_retention_overrides_pkey", "whatsapp_messages_retention_idx",
            // V11
            "gateway_audit_log", "gateway_audit_log_pkey", "gateway_audit_log_id_seq", "gateway_audit_log_actor_idx",
            "gateway_audit_log_action_idx", "gateway_audit_log_resource_idx", "gateway_audit_log_occurred_at_idx",
            // V12
            "customer_profiles_user_id_key", "customer_profiles_username_idx", "gateway_customer_identity",
            "gateway_customer_user_id_change", "whatsapp_pending_edits", "whatsapp_pending_edits_pkey",
            "whatsapp_pending_edits_original_idx", "gateway_apply_edit",
            // V13
            "gateway_subscription_cursors", "gateway_subscription_cursors_pkey", "gateway_delivery_attempts_event",
            // V14
            "gateway_erasure_lock_key", "gateway_erased",
            // V15
            "whatsapp_templates", "whatsapp_templates_pkey", "whatsapp_templates_waba_id_template_id_key",
            "whatsapp_templates_name_idx", "whatsapp_templates_lookup_idx", "whatsapp_marketing_preferences",
            "whatsapp_marketing_preferences_pkey",
            // V16
            "whatsapp_account_events", "whatsapp_account_events_pkey", "whatsapp_account_events_id_seq",
            "whatsapp_account_events_settings_id_dedupe_key_key",
            "whatsapp_account_events_settings_idx", "whatsapp_webhook_events", "whatsapp_webhook_events_pkey",
            "whatsapp_webhook_events_id_seq", "whatsapp_webhook_events_dedupe_key_key",
            "whatsapp_webhook_events_field_idx", "whatsapp_webhook_events_received_at_idx",
            // V17
            "whatsapp_history_chunks", "whatsapp_history_chunks_pkey", "whatsapp_history_chunks_id_seq",
            "whatsapp_history_chunks_chunk_key", "whatsapp_history_chunks_pending_idx",
            "gateway_store_coexistence_message", "gateway_customer_phone_change",
            // V18
            "gateway_media", "gateway_media_pkey", "gateway_media_due_idx", "gateway_media_sha256_idx",
            "gateway_media_uploads", "gateway_media_uploads_pkey", "gateway_media_uploads_sha256_idx",
            "gateway_media_files", "gateway_media_files_pkey", "gateway_media_chunks", "gateway_media_chunks_pkey",
            // V19
            "gateway_apply_statuses",
            // V20
            "gateway_delivery_runs", "gateway_delivery_runs_pkey", "gateway_delivery_runs_subscription",
            "gateway_delivery_runs_events", "gateway_delivery_runs_attempted_at", "gateway_delivery_log");

    private ModuleObjects() {
    }
}
