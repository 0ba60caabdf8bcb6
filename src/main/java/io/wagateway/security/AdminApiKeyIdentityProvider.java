package io.wagateway.security;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Grants role {@value #ROLE} to a request bearing one of the configured admin keys; the principal is
 * {@code admin-key-N} (N the key's place in the configuration) and attribute {@value #KEY_FINGERPRINT} its fingerprint.
 */
@ApplicationScoped
public class AdminApiKeyIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    public static final String ROLE = "admin";
    /** Identity attribute: the fingerprint of the key that authenticated (see AdminKeyVerifier), never the key. */
    public static final String KEY_FINGERPRINT = "gateway.admin-key-fingerprint";

    private final AdminKeyVerifier verifier;

    public AdminApiKeyIdentityProvider(AdminKeyVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        int index = verifier.match(request.getToken().getToken());
        if (index < 0) {
            return Uni.createFrom().failure(new AuthenticationFailedException("invalid admin API key"));
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal("admin-key-" + (index + 1)))
                .addRole(ROLE)
                .addAttribute(KEY_FINGERPRINT, verifier.fingerprint(index))
                .build());
    }
}
