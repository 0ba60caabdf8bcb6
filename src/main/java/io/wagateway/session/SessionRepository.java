package io.wagateway.session;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

@ApplicationScoped
public class SessionRepository implements PanacheRepositoryBase<WhatsAppSession, UUID> {
}
