package io.wagateway.settings;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same black-box tests against the packaged application (jar, or native binary with -Dnative). */
@QuarkusIntegrationTest
class SettingsResourceIT extends SettingsResourceTest {
}
