package io.wagateway.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;
import java.time.Instant;
import java.util.UUID;

import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ext.ParamConverter;

import org.junit.jupiter.api.Test;

import io.wagateway.conversation.MessageDirection;
import io.wagateway.conversation.SessionState;

/** Query parameters as typed values; what does not convert names the parameter. */
class ParamConvertersTest {

    private final ParamConverters provider = new ParamConverters();

    @Test
    void instantsAreIso8601WithAnOffsetWithinTheYearsPostgresqlHolds() {
        ParamConverter<Instant> since = converter(Instant.class, "updatedSince");
        assertThat(since.fromString("2026-11-25T14:00:00+01:00")).isEqualTo(Instant.parse("2026-11-25T13:00:00Z"));
        assertThat(since.fromString("9999-12-31T23:59:59Z")).isEqualTo(Instant.parse("9999-12-31T23:59:59Z"));
        assertThat(since.fromString("  ")).isNull();
        assertRefused(() -> since.fromString("yesterday"), "updatedSince", "ISO-8601");
        assertRefused(() -> since.fromString("2026-11-25T13:00:00"), "updatedSince", "offset");
        assertRefused(() -> since.fromString("+100000-01-01T00:00:00Z"), "updatedSince", "between years 0001 and 9999");
        assertRefused(() -> since.fromString("-4714-01-01T00:00:00Z"), "updatedSince", "between years 0001 and 9999");
    }

    @Test
    void enumsIgnoreCaseAndListTheirValues() {
        ParamConverter<SessionState> state = converter(SessionState.class, "state");
        assertThat(state.fromString("CHECKOUT")).isEqualTo(SessionState.CHECKOUT);
        assertThat(converter(MessageDirection.class, "direction").fromString("inbound"))
                .isEqualTo(MessageDirection.INBOUND);
        assertRefused(() -> state.fromString("SHOPPING"), "state", "HUMAN_HANDOFF");
    }

    @Test
    void cursorsRoundTripAndGarbageIsRefused() {
        ParamConverter<Cursor> cursor = converter(Cursor.class, "cursor");
        Cursor key = new Cursor(Instant.parse("2026-11-25T13:00:00.123456Z"), UUID.randomUUID());
        assertThat(cursor.fromString(key.encode())).isEqualTo(key);
        assertThat(cursor.toString(key)).isEqualTo(key.encode());
        assertRefused(() -> cursor.fromString("nope"), "cursor", "nextCursor");
        // a well-formed cursor whose instant PostgreSQL cannot compare
        Cursor far = new Cursor(Instant.parse("+100000-01-01T00:00:00Z"), UUID.randomUUID());
        assertRefused(() -> cursor.fromString(far.encode()), "cursor", "nextCursor");
    }

    @Test
    void integersAreRefusedByName() {
        ParamConverter<Integer> limit = converter(Integer.class, "limit");
        assertThat(limit.fromString(" 20 ")).isEqualTo(20);
        assertRefused(() -> limit.fromString("abc"), "limit", "integer");
    }

    @Test
    void onlyQueryParametersOfKnownTypesAreConverted() {
        assertThat(provider.getConverter(Instant.class, Instant.class, new Annotation[0])).isNull();
        assertThat(provider.getConverter(String.class, String.class, new Annotation[] { query("q") })).isNull();
        assertThat(provider.getConverter(UUID.class, UUID.class, new Annotation[] { query("q") })).isNull();
    }

    private <T> ParamConverter<T> converter(Class<T> type, String name) {
        ParamConverter<T> converter = provider.getConverter(type, type, new Annotation[] { query(name) });
        assertThat(converter).isNotNull();
        return converter;
    }

    private static void assertRefused(Runnable conversion, String field, String messagePart) {
        assertThatThrownBy(conversion::run).isInstanceOfSatisfying(InvalidInputException.class, e -> {
            assertThat(e.errors()).singleElement().satisfies(error -> {
                assertThat(error.field()).isEqualTo(field);
                assertThat(error.message()).contains(messagePart);
            });
            assertThat(e.detail()).startsWith(field + ": ");
        });
    }

    private static QueryParam query(String name) {
        return new QueryParam() {
            @Override
            public String value() {
                return name;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return QueryParam.class;
            }
        };
    }
}
