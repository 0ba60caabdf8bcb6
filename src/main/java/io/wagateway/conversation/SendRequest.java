package io.wagateway.conversation;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wagateway.common.FieldError;
import io.wagateway.common.InvalidInputException;

/**
 * A validated send request: Meta's object as received, the recipient as digits ({@code to}) or as a BSUID
 * ({@code recipient}; exactly one of the two is set), the type, the chosen number.
 */
record SendRequest(ObjectNode body, String to, String type, String phoneNumberId, String recipient) {

    /** A BSUID: a two-letter country code, a period, then letters and digits (a parent BSUID has ENT. in it). */
    static final String BSUID = "[A-Za-z]{2}\\.[A-Za-z0-9.]{1,200}";

    SendRequest(ObjectNode body, String to, String type, String phoneNumberId) {
        this(body, to, type, phoneNumberId, null);
    }

    static final int MAX_TEXT_LENGTH = 4096;

    boolean isTemplate() {
        return "template".equals(type);
    }

    /**
     * Checks what Meta needs to accept the message (the body stays Meta's free-form object, so this is the one
     * place its type-specific fields are checked); every invalid field is reported at once.
     */
    static SendRequest validate(JsonNode request) {
        if (request == null || !request.isObject()) {
            throw new InvalidInputException("The body must be a JSON object.");
        }
        ObjectNode body = (ObjectNode) request;
        List<FieldError> errors = new ArrayList<>();
        String to = text(body, "to");
        String digits = SessionService.normalizePhone(to);
        String recipient = text(body, "recipient");
        recipient = recipient == null ? null : recipient.strip();
        if (recipient != null && !recipient.isEmpty()) {
            // a business-scoped user id instead of the phone (Meta's recipient field)
            if (to != null && !to.isBlank()) {
                errors.add(new FieldError("recipient", "give either to (a phone number) or recipient (a BSUID), not both"));
            } else if (!recipient.matches(BSUID)) {
                errors.add(new FieldError("recipient", "must be a business-scoped user id (e.g. US.13491208655302741918)"));
            }
            digits = null;
        } else if (to == null || to.isBlank()) {
            errors.add(new FieldError("to", "must not be blank (or give recipient, a BSUID)"));
            recipient = null;
        } else if (!digits.matches("\\d{6,20}")) {
            errors.add(new FieldError("to", "must be a phone number with country code"));
            recipient = null;
        } else {
            recipient = null;
        }
        String type = text(body, "type");
        if (type == null || type.isBlank()) {
            errors.add(new FieldError("type", "must not be blank"));
        } else if (!type.matches("[a-z_]{1,40}")) {
            errors.add(new FieldError("type", "must be a Meta message type such as text or template"));
        } else {
            JsonNode object = body.get(type);
            boolean present = "contacts".equals(type) ? object != null && object.isArray()
                    : object != null && object.isObject();
            if (!present) {
                errors.add(new FieldError(type, "is required for type " + type));
            } else {
                checkType(type, object, errors);
            }
        }
        String phoneNumberId = null;
        JsonNode pnid = body.get("phoneNumberId");
        if (pnid != null && !pnid.isNull()) {
            if (!pnid.isTextual() || !pnid.asText().matches("\\d{1,32}")) {
                errors.add(new FieldError("phoneNumberId", "must contain only digits"));
            } else {
                phoneNumberId = pnid.asText();
            }
        }
        controlCharacters(body, "", errors);
        JsonNode context = body.get("context");
        if (context != null && !(context.isObject() && context.path("message_id").isTextual())) {
            errors.add(new FieldError("context.message_id", "must be the wamid of the message to quote"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new SendRequest(body, digits, type, phoneNumberId, recipient);
    }

    private static void checkType(String type, JsonNode object, List<FieldError> errors) {
        switch (type) {
            case "text" -> {
                JsonNode text = object.get("body");
                if (text == null || !text.isTextual() || text.asText().isBlank()) {
                    errors.add(new FieldError("text.body", "must not be blank"));
                } else if (text.asText().length() > MAX_TEXT_LENGTH) {
                    errors.add(new FieldError("text.body", "must be at most " + MAX_TEXT_LENGTH + " characters"));
                }
            }
            case "template" -> {
                if (!object.path("name").isTextual() || object.path("name").asText().isBlank()) {
                    errors.add(new FieldError("template.name", "must not be blank"));
                }
                if (!object.path("language").path("code").isTextual()) {
                    errors.add(new FieldError("template.language.code", "must not be blank"));
                }
            }
            case "interactive" -> {
                if (!object.path("type").isTextual()) {
                    errors.add(new FieldError("interactive.type", "must not be blank (button, list, ...)"));
                }
                if (!object.path("action").isObject()) {
                    errors.add(new FieldError("interactive.action", "is required"));
                }
            }
            case "reaction" -> {
                if (!object.path("message_id").isTextual()) {
                    errors.add(new FieldError("reaction.message_id", "must be the wamid to react to"));
                }
            }
            default -> {
                // Other Meta types (image, document, location, ...) are passed through for Meta to check.
            }
        }
    }

    /**
     * Reports every text value (and field name) holding a C0 control other than tab, line feed and carriage
     * return: PostgreSQL refuses U+0000 after Meta has already sent the message, and the others are no text a
     * customer should receive. Checked before anything is sent.
     */
    static void controlCharacters(JsonNode node, String path, List<FieldError> errors) {
        if (node.isTextual()) {
            if (hasControl(node.textValue())) {
                errors.add(new FieldError(path, "must not contain control characters (other than \\t \\n \\r)"));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                controlCharacters(node.get(i), path + "[" + i + "]", errors);
            }
        } else if (node.isObject()) {
            for (var field : node.properties()) {
                String name = hasControl(field.getKey()) ? field.getKey().replaceAll("\\p{Cntrl}", "?") : field.getKey();
                String child = path.isEmpty() ? name : path + "." + name;
                if (name != field.getKey()) {
                    errors.add(new FieldError(child, "field name must not contain control characters"));
                }
                controlCharacters(field.getValue(), child, errors);
            }
        }
    }

    private static boolean hasControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                return true;
            }
        }
        return false;
    }

    private static String text(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
