package io.wagateway.media;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 for S3 requests (header authorization), small enough to read: the canonical request, the
 * string to sign, the derived key, the Authorization header. The payload is {@code UNSIGNED-PAYLOAD} for streamed
 * uploads (S3 allows it over HTTPS and on S3-compatible servers), else the hash the caller gives. Verified against
 * AWS's published examples in SigV4Test.
 */
final class SigV4 {

    static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final String accessKey;
    private final String secretKey;
    private final String region;
    private final String service;

    SigV4(String accessKey, String secretKey, String region, String service) {
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.region = region;
        this.service = service;
    }

    static String amzDate(Instant at) {
        return AMZ_DATE.format(at);
    }

    /**
     * The Authorization header of a request. {@code path} is the raw (unencoded) absolute path; {@code query}
     * the raw parameters; {@code headers} every header to sign (host, x-amz-date and x-amz-content-sha256
     * included), names in any case.
     */
    String authorization(String method, String path, Map<String, String> query, Map<String, String> headers,
            String payloadHash) {
        TreeMap<String, String> canonicalHeaders = new TreeMap<>();
        headers.forEach((name, value) -> canonicalHeaders.put(name.toLowerCase(Locale.ROOT),
                value.trim().replaceAll(" +", " ")));
        String amzDate = canonicalHeaders.get("x-amz-date");
        if (amzDate == null) {
            throw new IllegalArgumentException("x-amz-date must be signed");
        }
        String date = amzDate.substring(0, 8);
        StringBuilder headerLines = new StringBuilder();
        canonicalHeaders.forEach((name, value) -> headerLines.append(name).append(':').append(value).append('\n'));
        String signedHeaders = String.join(";", canonicalHeaders.keySet());
        TreeMap<String, String> encodedQuery = new TreeMap<>();
        query.forEach((k, v) -> encodedQuery.put(encode(k, true), encode(v == null ? "" : v, true)));
        StringBuilder queryString = new StringBuilder();
        encodedQuery.forEach((k, v) -> queryString.append(queryString.isEmpty() ? "" : "&").append(k).append('=')
                .append(v));
        String canonicalRequest = method + "\n" + encode(path, false) + "\n" + queryString + "\n" + headerLines + "\n"
                + signedHeaders + "\n" + payloadHash;
        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + Sha256.hex(Sha256.digest().digest(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        String signature = Sha256.hex(hmac(key, stringToSign));
        return "AWS4-HMAC-SHA256 Credential=" + accessKey + "/" + scope + ",SignedHeaders=" + signedHeaders
                + ",Signature=" + signature;
    }

    /** RFC 3986 encoding as SigV4 wants it: unreserved characters kept, '/' kept in paths. */
    static String encode(String value, boolean slash) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~' || (c == '/' && !slash)) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
