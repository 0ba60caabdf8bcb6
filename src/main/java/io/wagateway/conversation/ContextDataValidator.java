package io.wagateway.conversation;

import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

import com.fasterxml.jackson.databind.JsonNode;

import io.wagateway.common.ApiConfig;

/** Checks {@link ContextData}: one violation, with the reason, per invalid value. */
@Singleton
public class ContextDataValidator implements ConstraintValidator<ContextData, JsonNode> {

    private final LongSupplier maxBytes;

    /** The limit is read on use: validators are created at startup, before configuration mappings exist. */
    @Inject
    public ContextDataValidator(Instance<ApiConfig> api) {
        this(() -> api.get().contextDataMaxSize().asLongValue());
    }

    ContextDataValidator(LongSupplier maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public boolean isValid(JsonNode node, ConstraintValidatorContext context) {
        String violation = violation(node);
        if (violation == null) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        // a literal message: the size figures must not be read as a message template
        context.buildConstraintViolationWithTemplate(violation.replace("\\", "\\\\").replace("{", "\\{")
                .replace("}", "\\}").replace("$", "\\$")).addConstraintViolation();
        return false;
    }

    /** What is wrong with {@code node}, or null when it may be stored. */
    String violation(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            return "must be a JSON object";
        }
        if (holdsNul(node)) {
            return "must not contain U+0000 (NUL) in a key or string (PostgreSQL cannot store it)";
        }
        int size = node.toString().getBytes(StandardCharsets.UTF_8).length; // compact JSON
        long max = maxBytes.getAsLong();
        if (size > max) {
            return "is " + size + " bytes as JSON; at most " + max + " (gateway.api.context-data-max-size)";
        }
        return null;
    }

    private static boolean holdsNul(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue().indexOf('\0') >= 0;
        }
        for (var fields = node.fields(); fields.hasNext();) {
            var entry = fields.next();
            if (entry.getKey().indexOf('\0') >= 0 || holdsNul(entry.getValue())) {
                return true;
            }
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (holdsNul(element)) {
                    return true;
                }
            }
        }
        return false;
    }
}
