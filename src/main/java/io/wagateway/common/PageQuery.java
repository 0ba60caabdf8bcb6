package io.wagateway.common;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** The paging parameters of every list endpoint ({@code @Valid @BeanParam}): where to start and how many. */
public class PageQuery {

    /** The message of a page size out of range (also for the lists with their own cursor). */
    public static final String LIMIT_RANGE = "must be between 1 and " + Cursor.MAX_LIMIT;

    @QueryParam("cursor")
    @Parameter(description = "nextCursor of the previous page", schema = @Schema(type = SchemaType.STRING))
    Cursor cursor;

    @QueryParam("limit")
    @Parameter(description = "Page size, 1-200 (default 50)")
    @Min(value = 1, message = LIMIT_RANGE)
    @Max(value = Cursor.MAX_LIMIT, message = LIMIT_RANGE)
    Integer limit;

    public PageQuery() {
    }

    public PageQuery(Cursor cursor, Integer limit) {
        this.cursor = cursor;
        this.limit = limit;
    }

    /** The key of the previous page's last row; null for the first page. */
    public Cursor after() {
        return cursor;
    }

    /** Rows per page: as requested, else the default. */
    public int size() {
        return limit == null ? Cursor.DEFAULT_LIMIT : limit;
    }
}
