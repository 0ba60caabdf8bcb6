package io.wagateway.common;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;

import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;

/**
 * Query parameters as typed values (cursor, instant, integer, enum), so resources hand services no strings to
 * parse. A value that does not convert is an {@link InvalidInputException} naming the parameter (400; JAX-RS
 * would answer 404); a blank value counts as absent.
 */
@Provider
public class ParamConverters implements ParamConverterProvider {

    @Override
    @SuppressWarnings({ "unchecked", "rawtypes" })
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        String name = queryName(annotations);
        if (name == null) {
            return null;
        }
        if (rawType == Cursor.class) {
            return (ParamConverter<T>) of(name, ParamConverters::cursor);
        }
        if (rawType == Instant.class) {
            return (ParamConverter<T>) of(name, ParamConverters::instant);
        }
        if (rawType == Integer.class) {
            return (ParamConverter<T>) of(name, ParamConverters::integer);
        }
        if (rawType.isEnum()) {
            return (ParamConverter<T>) of(name, value -> enumValue((Class<? extends Enum>) rawType, value));
        }
        return null;
    }

    /** A converter of one parameter: blank is null, an IllegalArgumentException's message names what is wrong. */
    static <T> ParamConverter<T> of(String name, Function<String, T> parse) {
        return new ParamConverter<>() {
            @Override
            public T fromString(String value) {
                if (value == null || value.isBlank()) {
                    return null;
                }
                try {
                    return parse.apply(value.trim());
                } catch (IllegalArgumentException e) {
                    throw InvalidInputException.field(name, e.getMessage());
                }
            }

            @Override
            public String toString(T value) {
                return value == null ? null : value instanceof Cursor c ? c.encode() : value.toString();
            }
        };
    }

    static Cursor cursor(String value) {
        return Cursor.decode(value);
    }

    /** An ISO-8601 date-time with offset that PostgreSQL's timestamptz can compare with. */
    static Instant instant(String value) {
        Instant at;
        try {
            at = OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("must be an ISO-8601 date-time with offset, e.g. 2026-11-25T13:00:00Z");
        }
        if (!Cursor.storable(at)) {
            throw new IllegalArgumentException("must lie between years 0001 and 9999");
        }
        return at;
    }

    static Integer integer(String value) {
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be an integer");
        }
    }

    /** The constant of that name; case is ignored, as clients type INBOUND and inbound alike. */
    static <E extends Enum<E>> E enumValue(Class<E> type, String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("unknown value '" + value + "'; one of "
                + Arrays.toString(type.getEnumConstants()).toUpperCase(Locale.ROOT));
    }

    private static String queryName(Annotation[] annotations) {
        if (annotations != null) {
            for (Annotation annotation : annotations) {
                if (annotation instanceof QueryParam query) {
                    return query.value();
                }
            }
        }
        return null;
    }
}
