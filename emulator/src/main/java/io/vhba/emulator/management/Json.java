package io.vhba.emulator.management;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.vhba.emulator.config.ConfigException;
import java.io.IOException;
import java.util.stream.Collectors;

/** The API's JSON: strict on input (unknown fields refused, like the configuration file), plain on output. */
public final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {}

    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** {@code body} as {@code type}; a 400 naming the field at fault (or saying the body is missing or not JSON). */
    static <T> T read(byte[] body, Class<T> type) {
        if (body == null || body.length == 0) {
            throw ApiException.badRequest("a JSON body is required");
        }
        try {
            T v = MAPPER.readValue(body, type);
            if (v == null) {
                throw ApiException.badRequest("a JSON object is required, not null");
            }
            return v;
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.badRequest("unknown field '" + e.getPropertyName() + "'");
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof ConfigException ce) {
                throw ApiException.badRequest(ce.getMessage());
            }
            String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            // Jackson's own advice on configuring it means nothing to a client
            String why = e.getOriginalMessage().split("\n")[0].replaceFirst(" \\(set DeserializationConfig.*$", "");
            throw ApiException.badRequest(field.isEmpty() ? "the body is not a " + type.getSimpleName() + ": " + why
                    : field + ": " + why);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the body is not JSON: " + e.getOriginalMessage().split("\n")[0]);
        } catch (IOException e) {
            throw ApiException.badRequest("the body cannot be read: " + e.getMessage());
        }
    }

    /** {@code body} as a JSON tree (an object required). */
    static JsonNode tree(byte[] body) {
        JsonNode n = read(body, JsonNode.class);
        if (!n.isObject()) {
            throw ApiException.badRequest("a JSON object is required");
        }
        return n;
    }
}
