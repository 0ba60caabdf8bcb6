package io.wagateway.graph;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

/**
 * Reads a business account's templates from the Graph API, page after page ({@code paging.cursors.after} while
 * {@code paging.next} is given). A failed page fails the account's read; the next sync reads it again.
 */
@ApplicationScoped
public class GraphTemplates {

    /** The fields of a template the gateway keeps. */
    static final String FIELDS = "id,name,language,category,status,quality_score,components,rejected_reason";
    /** Templates per page asked of Meta. */
    static final int PAGE_SIZE = 100;
    /** Pages per account and sync: a bound on what one answer can make the service hold and loop on. */
    static final int MAX_PAGES = 200;

    private final GraphApiClient client;
    private final GraphConfig config;

    public GraphTemplates(@RestClient GraphApiClient client, GraphConfig config) {
        this.client = client;
        this.config = config;
    }

    /** Every template of {@code wabaId} (the objects of each page's {@code data}), in Meta's order. */
    public Uni<List<JsonNode>> all(String wabaId, String accessToken) {
        List<JsonNode> out = new ArrayList<>();
        return next(wabaId, accessToken, null, 0, out).map(done -> out);
    }

    private Uni<Void> next(String wabaId, String accessToken, String after, int pages, List<JsonNode> out) {
        if (pages >= MAX_PAGES) {
            return Uni.createFrom().voidItem();
        }
        return page(wabaId, accessToken, after).chain(page -> {
            page.path("data").forEach(out::add);
            JsonNode paging = page.path("paging");
            String cursor = paging.path("cursors").path("after").asText(null);
            boolean more = paging.hasNonNull("next") && cursor != null && !cursor.isBlank() && !cursor.equals(after);
            return more ? next(wabaId, accessToken, cursor, pages + 1, out) : Uni.createFrom().voidItem();
        });
    }

    Uni<JsonNode> page(String wabaId, String accessToken, String after) {
        return client.messageTemplates(config.apiVersion(), wabaId, FIELDS, PAGE_SIZE, after, "Bearer " + accessToken);
    }
}
