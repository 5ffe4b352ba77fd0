package dev.odestream.query;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP response: status, content type, body and extra headers.
 *
 * @param status the HTTP status
 * @param contentType the content type
 * @param body the body
 * @param headers extra headers, such as {@code Retry-After}
 */
record Response(int status, String contentType, byte[] body, Map<String, String> headers) {

    static final String JSON = "application/json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static Response json(int status, byte[] body) {
        return new Response(status, JSON, body, Map.of());
    }

    static Response json(int status, Object tree) {
        try {
            return json(status, MAPPER.writeValueAsBytes(tree));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot render " + tree, e);
        }
    }

    /** @return a JSON error body {@code {"status": ..., "error": ...}}. */
    static Response error(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", message);
        return json(status, body);
    }

    /** @return a 503 that asks the client to retry after a second. */
    static Response unavailable(String message) {
        Response r = error(503, message);
        return new Response(503, JSON, r.body, Map.of("Retry-After", "1"));
    }

    static Response text(int status, String contentType, String body) {
        return new Response(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }
}
