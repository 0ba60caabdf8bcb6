package io.wagateway.common;

import java.io.IOException;
import java.util.Collection;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * The application's ObjectMapper, used by the REST layer, the webhook (DeliveryReader, InboundRows) and the Graph API client:
 * strict UTF-8, nothing after the JSON value, bounded nesting. For admin request bodies (the records of the
 * {@code *.dto} packages) also: unknown fields and NUL in string fields are refused, not ignored or passed to
 * PostgreSQL (which cannot store U+0000).
 */
@Singleton
public class JsonCustomizer implements ObjectMapperCustomizer {

    private final ApiConfig config;

    public JsonCustomizer(ApiConfig config) {
        this.config = config;
    }

    @Override
    @SuppressWarnings("deprecation") // JsonFactory.setInputDecorator: the mapper's factory is built by Quarkus
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.getFactory().setInputDecorator(new StrictUtf8());
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(config.jsonMaxDepth()).build());
        mapper.addHandler(new UnknownAdminFields());
        mapper.registerModule(new SimpleModule("admin-strings").addDeserializer(String.class, new NoNulStrings()));
    }

    /** True for the request records of the admin API (io.wagateway.*.dto). */
    static boolean isAdminDto(Class<?> type) {
        String name = type.getName();
        return name.startsWith("io.wagateway.") && type.getPackageName().endsWith(".dto");
    }

    /** Unknown fields of admin bodies fail; elsewhere (Graph API answers) they stay ignored. */
    static final class UnknownAdminFields extends DeserializationProblemHandler {
        @Override
        public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
                Object beanOrClass, String propertyName) throws IOException {
            Class<?> type = beanOrClass instanceof Class<?> c ? c : beanOrClass.getClass();
            if (isAdminDto(type)) {
                Collection<Object> known = deserializer == null ? null : deserializer.getKnownPropertyNames();
                throw UnrecognizedPropertyException.from(p, beanOrClass, propertyName, known);
            }
            return false;
        }
    }

    /**
     * String fields of admin DTOs refuse U+0000; every other String (maps, Graph API answers) keeps Jackson's own
     * deserializer, and trees (JsonNode, the webhook's parse) are not affected.
     */
    static final class NoNulStrings extends StdScalarDeserializer<String> implements ContextualDeserializer {
        private static final long serialVersionUID = 1L;

        NoNulStrings() {
            super(String.class);
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
            boolean adminField = property != null && property.getMember() != null
                    && isAdminDto(property.getMember().getDeclaringClass());
            return adminField ? this : StringDeserializer.instance;
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = StringDeserializer.instance.deserialize(p, ctxt);
            if (value != null && value.indexOf('\0') >= 0) {
                throw new InvalidJsonValueException(p, "must not contain U+0000 (NUL)");
            }
            return value;
        }
    }
}
