package io.wagateway.media;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static io.wagateway.support.Conversations.ACCESS_TOKEN;
import static io.wagateway.support.Conversations.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.wagateway.support.Conversations;
import io.wagateway.support.GraphApiMock;
import io.wagateway.support.S3rverResource;
import io.wagateway.support.Sql;
import io.wagateway.support.Webhooks;

/**
 * The S3 store against a real S3-compatible server (s3rver, which verifies the SigV4 signatures): a download is
 * streamed into a staging object, copied to its hash and served back with ranges.
 */
@QuarkusTest
@TestProfile(S3StoreTest.OnS3.class)
class S3StoreTest {

    public static class OnS3 implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.media.retry-first-delay", "100ms", "gateway.media.retry-max-delay", "300ms",
                    "gateway.media.poll-interval", "200ms");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(S3rverResource.class));
        }
    }

    WireMock graph;
    String number;

    @BeforeEach
    void setUp() {
        graph = GraphApiMock.resetClient();
        number = Conversations.activeBusinessNumber();
    }

    @Test
    void aDownloadIsStoredInTheBucketUnderItsHashAndServedBack() throws Exception {
        byte[] image = MediaDownloadTest.bytes(2_500_000, 42);
        String hex = MediaDownloadTest.hex(image);
        String mediaId = "s3" + System.nanoTime();
        String fileUrl = "http://127.0.0.1:" + System.getProperty("wagateway.test.graph-api-port") + "/lookaside/"
                + mediaId;
        graph.register(get(urlPathEqualTo("/v25.0/" + mediaId)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(
                        """
                                {"messaging_product":"whatsapp","url":"%s","mime_type":"image/jpeg","sha256":"%s","file_size":%d,"id":"%s"}"""
                                .formatted(fileUrl, hex, image.length, mediaId))));
        graph.register(get(urlPathEqualTo("/lookaside/" + mediaId)).withHeader("Authorization",
                equalTo("Bearer " + ACCESS_TOKEN)).willReturn(aResponse().withStatus(200).withBody(image)));
        String from = Conversations.newCustomerPhone();
        String wamid = "wamid.s3-" + UUID.randomUUID();
        byte[] delivery = ("""
                {"object":"whatsapp_business_account","entry":[{"id":"204567891234567","changes":[{"value":{
                "messaging_product":"whatsapp","metadata":{"display_phone_number":"15557654321","phone_number_id":"%s"},
                "contacts":[{"profile":{"name":"Ada"},"wa_id":"%s"}],"messages":[{"from":"%s","id":"%s","timestamp":"%d",
                "type":"image","image":{"mime_type":"image/jpeg","sha256":"%s","id":"%s"}}]},"field":"messages"}]}]}"""
                .formatted(number, from, from, wamid, Instant.now().getEpochSecond(),
                        MediaDownloadTest.base64Sha(image), mediaId))
                .getBytes(StandardCharsets.UTF_8);
        Webhooks.post(delivery).then().statusCode(200);
        String id = String.valueOf(Sql.row("select id from whatsapp_messages where message_id = ?", wamid).get("id"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> "stored".equals(
                Sql.row("select status from gateway_media where message_id = ?::uuid", id).get("status")));
        assertThat(Sql.row("select store from gateway_media_files where sha256 = ?", hex).get("store")).isEqualTo("s3");
        assertThat(Sql.count("select count(*) from gateway_media_chunks where file_key = ?", hex)).isZero();

        // Served back through the gateway (signed, ranged GETs); the bucket holds the hash and no staging object.
        Response whole = given().header("Authorization", admin()).get("/api/v1/messages/" + id + "/media");
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(MediaDownloadTest.hex(whole.asByteArray())).isEqualTo(hex);
        Response part = given().header("Authorization", admin()).header("Range", "bytes=1000000-1000099")
                .get("/api/v1/messages/" + id + "/media");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(MediaDownloadTest.hex(part.asByteArray()))
                .isEqualTo(MediaDownloadTest.hex(java.util.Arrays.copyOfRange(image, 1_000_000, 1_000_100)));

        HttpResponse<String> listing = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + S3rverResource.port() + "/" + S3rverResource.BUCKET + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(listing.body()).contains("<Key>" + hex + "</Key>").doesNotContain("<Key>tmp/");
    }
}
