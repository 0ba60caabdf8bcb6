package io.wagateway.support;

import static io.restassured.RestAssured.given;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads Prometheus series from the running application's {@code /q/metrics} (on the management interface). */
public final class Metrics {

    private Metrics() {
    }

    /** The metrics page as Prometheus scrapes it. */
    public static String scrape() {
        return given().get(ManagementPort.url("/q/metrics")).then().statusCode(200).extract().asString();
    }

    /**
     * A series' value; {@code label} is one {@code name="value"} pair it must carry, or "" for the first series of
     * that name with any labels. 0 while the series is not registered yet.
     */
    public static double value(String name, String label) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + (label.isEmpty() ? "(?:\\{[^}]*})?"
                : "\\{[^}]*" + Pattern.quote(label) + "[^}]*}") + " (\\S+)$").matcher(scrape());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** The value of one exact series, e.g. {@code name{label="x"}}; 0 while it is not registered yet. */
    public static double series(String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
