package io.wagateway.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The signer against AWS's published Signature Version 4 examples (S3 developer guide and the SigV4 test suite). */
class SigV4Test {

    @Test
    void s3GetObjectExampleOfTheDeveloperGuide() {
        // "Example: GET Object": the first 10 bytes of examplebucket/test.txt, signed with the empty payload's hash.
        SigV4 signer = new SigV4("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1", "s3");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", "examplebucket.s3.amazonaws.com");
        headers.put("Range", "bytes=0-9");
        headers.put("x-amz-content-sha256", SigV4.EMPTY_SHA256);
        headers.put("x-amz-date", "20130524T000000Z");
        assertThat(signer.authorization("GET", "/test.txt", Map.of(), headers, SigV4.EMPTY_SHA256)).isEqualTo(
                "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                        + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
                        + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    }

    @Test
    void getVanillaOfTheTestSuite() {
        // get-vanilla: GET / of service "service" with only host and x-amz-date signed.
        SigV4 signer = new SigV4("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", "service");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", "example.amazonaws.com");
        headers.put("X-Amz-Date", "20150830T123600Z");
        assertThat(signer.authorization("GET", "/", Map.of(), headers, SigV4.EMPTY_SHA256)).isEqualTo(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,"
                        + "SignedHeaders=host;x-amz-date,"
                        + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    }

    @Test
    void pathsAndQueriesAreEncodedAsSigV4Wants() {
        assertThat(SigV4.encode("/tmp/a b:c~d", false)).isEqualTo("/tmp/a%20b%3Ac~d");
        assertThat(SigV4.encode("a/b", true)).isEqualTo("a%2Fb");
    }
}
