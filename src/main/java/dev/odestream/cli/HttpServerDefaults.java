package dev.odestream.cli;

import java.util.Properties;

/**
 * Bounds on the JDK HTTP server that both commands serve on, which it reads from system properties once per JVM,
 * when the first server starts; each is set only when the command line ({@code JAVA_OPTS}) has not set it.
 * <ul>
 *   <li>at most {@value #MAX_CONNECTIONS} open connections ({@code jdk.httpserver.maxConnections}): one beyond is
 *       closed as it is accepted;</li>
 *   <li>a connection without a request for {@value #IDLE_SECONDS} s is closed
 *       ({@code sun.net.httpserver.idleInterval});</li>
 *   <li>a request whose line and headers take more than {@value #REQUEST_SECONDS} s from its first byte is cut off
 *       ({@code sun.net.httpserver.maxReqTime}). The engine's query server enforces its own header timeout as well
 *       ({@code HttpLimits}), which does not depend on the JVM's settings.</li>
 * </ul>
 */
final class HttpServerDefaults {

    static final int MAX_CONNECTIONS = 1024;
    static final int IDLE_SECONDS = 10;
    static final int REQUEST_SECONDS = 10;

    private HttpServerDefaults() {
    }

    /** @param system the system properties. Modified. */
    static void apply(Properties system) {
        system.putIfAbsent("jdk.httpserver.maxConnections", Integer.toString(MAX_CONNECTIONS));
        system.putIfAbsent("sun.net.httpserver.idleInterval", Integer.toString(IDLE_SECONDS));
        system.putIfAbsent("sun.net.httpserver.maxReqTime", Integer.toString(REQUEST_SECONDS));
    }
}
