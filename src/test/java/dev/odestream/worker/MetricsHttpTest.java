package dev.odestream.worker;

import dev.odestream.metrics.Registries;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The worker's HTTP endpoint over real sockets. */
class MetricsHttpTest {

    @Test
    void shouldAnswerHealthAndMetricsWhileClientsSendTheirRequestsSlowly() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<Socket> slow = new ArrayList<>();
        try (MetricsHttp server = MetricsHttp.start(new InetSocketAddress("localhost", 0), Registries.prometheus())) {
            for (int i = 0; i < 4; i++) {
                Socket socket = new Socket("localhost", server.port());
                slow.add(socket);
                OutputStream out = socket.getOutputStream();
                Thread.ofVirtual().start(() -> {
                    try {
                        for (byte b : "GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes()) {
                            out.write(b);
                            out.flush();
                            Thread.sleep(200);
                        }
                    } catch (IOException | InterruptedException e) {
                        // closed
                    }
                });
            }
            Thread.sleep(300);
            for (String path : List.of("/health", "/metrics")) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                        + server.port() + path)).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), path);
                assertTrue(!r.body().isEmpty(), path);
            }
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }
}
