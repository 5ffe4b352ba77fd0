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

    /** Longest text an error body repeats from a request; a longer one is cut and its length given. */
    static final int CLIP = 100;

    /**
     * @return the text itself if short, otherwise its first {@value #CLIP} characters and its length, so that an
     *     error about a 100 KB id does not send the id back
     */
    static String clip(String text) {
        if (text == null || text.length() <= CLIP + 20) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(CLIP - 1)) ? CLIP - 1 : CLIP;
        return text.substring(0, end) + "... (" + text.length() + " characters)";
    }

    static Response text(int status, String contentType, String body) {
        return new Response(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }
}
