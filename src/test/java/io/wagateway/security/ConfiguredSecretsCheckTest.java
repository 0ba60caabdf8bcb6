package io.wagateway.security;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Configured app secrets (gateway.whatsapp.app-secrets) are checked at startup like admin keys. */
class ConfiguredSecretsCheckTest {

    @Test
    void metasThirtyTwoHexCharactersPass() {
        assertThatCode(() -> ConfiguredSecretsCheck.appSecrets(Optional.of(List.of("0123456789abcdef0123456789abcdef"))))
                .doesNotThrowAnyException();
        assertThatCode(() -> ConfiguredSecretsCheck.appSecrets(Optional.empty())).doesNotThrowAnyException();
    }

    @Test
    void shortOrSpacedAppSecretsRefuseTheStartAndNameNoSecret() {
        assertThatThrownBy(() -> ConfiguredSecretsCheck.appSecrets(Optional.of(List.of("dev-app-secret"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("gateway.whatsapp.app-secrets")
                .hasMessageContaining("32").hasMessageNotContaining("dev-app-secret");
        assertThatThrownBy(() -> ConfiguredSecretsCheck.appSecrets(
                Optional.of(List.of("0123456789abcdef0123456789abcdef", "0123456789abcdef\t0123456789abcdef"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("secret 2");
    }
}
