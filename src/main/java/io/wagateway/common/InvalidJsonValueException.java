package io.wagateway.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonMappingException;

/** A JSON value of the right type that the service refuses (e.g. NUL in a string); a 400 naming the field. */
public class InvalidJsonValueException extends JsonMappingException {

    private static final long serialVersionUID = 1L;

    public InvalidJsonValueException(JsonParser parser, String message) {
        super(parser, message);
    }
}
