package io.wagateway.message;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

@ApplicationScoped
public class MessageRepository implements PanacheRepositoryBase<WhatsAppMessage, UUID> {
}
