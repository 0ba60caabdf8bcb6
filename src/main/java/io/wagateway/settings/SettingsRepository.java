package io.wagateway.settings;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import io.wagateway.common.Cursor;

@ApplicationScoped
public class SettingsRepository implements PanacheRepositoryBase<WhatsAppSettings, UUID> {

    /** Name of the partial unique index that allows one active row per phone_number_id (V2). */
    public static final String ACTIVE_PHONE_NUMBER_INDEX = "whatsapp_settings_active_phone_number_id_key";

    /** One page ordered by (created_at, id), starting after {@code after} when given. */
    public Uni<List<WhatsAppSettings>> page(Cursor after, int limit) {
        if (after == null) {
            return find("order by createdAt, id").page(0, limit).list();
        }
        return find("(createdAt, id) > (:at, :id) order by createdAt, id",
                Parameters.with("at", after.at()).and("id", after.id())).page(0, limit).list();
    }

    public Uni<List<WhatsAppSettings>> listActive() {
        return list("isActive = true order by createdAt, id");
    }

    public Uni<WhatsAppSettings> findActiveByPhoneNumberId(String phoneNumberId) {
        return find("phoneNumberId = ?1 and isActive = true", phoneNumberId).firstResult();
    }
}
