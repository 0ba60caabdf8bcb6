package io.wagateway.common;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A page of a keyset-paged list: pass {@code nextCursor} back as {@code cursor} for the next page. */
@RegisterForReflection
public record PageResponse<T>(
        List<T> items,
        @Schema(description = "Opaque cursor of the next page; null on the last page", nullable = true) String nextCursor) {
}
