/**
 * The engine's HTTP API: forecasts, intensities and state summaries of single series, health and metrics.
 *
 * <h2>Design</h2>
 * <ul>
 *   <li><b>Queries read the engine's own stores</b> through interactive queries ({@link
 *       dev.odestream.query.StreamsBackend}); a series owned by another instance is fetched from it, found with
 *       {@code queryMetadataForKey} and {@code application.server}. Nothing is cached or copied.</li>
 *   <li><b>A query forecasts with the newest model</b>: each request thread has its own model instance following
 *       the global {@code models} store, and re-encodes a series from its ring in memory when the store's state was
 *       computed by an older version. The stored state is never written by a query.</li>
 *   <li><b>Errors are JSON with the right status</b>: 400 for a bad id or time, 404 for an unknown series, 503 with
 *       {@code Retry-After} while stores rebalance. Query times are bounded in number and in distance from the last
 *       event, since a forecast's cost grows with its span.</li>
 *   <li>The JDK's {@code com.sun.net.httpserver} is enough for small GET requests, with one addition: it reads a
 *       request's head on its executor's thread and has no read timeout of its own, so {@code ExchangeGuard} runs
 *       each request on a virtual thread and cuts off a client too slow to send its head or read its answer. Series
 *       queries run on a few query threads (each with its model) behind a bounded queue; health and metrics never
 *       wait for them, and the latency tag is a route from a fixed set.</li>
 * </ul>
 */
package dev.odestream.query;
