package io.wagateway.security;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** OpenAPI document header and the admin API's bearer security scheme. */
@OpenAPIDefinition(info = @Info(title = "whatsapp-gateway", version = "1.0.0", description = "WhatsApp Business Cloud API webhook receiver, conversation store and sender."), tags = {
        @Tag(name = "Settings", description = "WhatsApp Business numbers and their credentials"),
        @Tag(name = "Sessions", description = "Conversations with customers"),
        @Tag(name = "Messages", description = "Sending messages through the Graph API"),
        @Tag(name = "Webhook", description = "Meta's webhook endpoint (signed, not for admin use)") })
@SecurityScheme(securitySchemeName = OpenApiDefinition.ADMIN_SCHEME, type = SecuritySchemeType.HTTP, scheme = "bearer", description = "An admin API key from gateway.admin.api-keys, sent as 'Authorization: Bearer <key>'.")
public class OpenApiDefinition extends Application {

    public static final String ADMIN_SCHEME = "adminApiKey";
}
