package dev.billingsdk.flutterwave.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The fake's HTTP layer: reads a request, logs it, applies a queued {@link Fault}, checks the
 * bearer key and the JSON content type, hands the request to the {@link Api} and writes the answer.
 * Hosted pages ({@code GET /v3/hosted/...}) skip all of that but the answer.
 */
final class FakeHttp {
  private static final String HOSTED = "/v3/hosted/";

  /** Serves an authenticated API request; a {@link Rejection} becomes an error envelope. */
  @FunctionalInterface
  interface Api {
    Reply serve(String method, String path, Map<String, List<String>> query, ObjectNode body);
  }

  /** Serves a hosted page: the path after {@code /v3/hosted/}. */
  @FunctionalInterface
  interface Pages {
    Reply page(String rest, Map<String, List<String>> query);
  }

  private static final AtomicInteger THREADS = new AtomicInteger();

  private final String secretKey;
  private final Api api;
  private final Pages pages;
  private final AtomicBoolean stopped = new AtomicBoolean();
  // Counted down on stop: releases the requests a delay holds.
  private final CountDownLatch released = new CountDownLatch(1);
  private final ExecutorService workers = Executors.newCachedThreadPool(FakeHttp::daemon);
  private final HttpServer server;

  // Guarded by `this`.
  private final Deque<Fault> faults = new ArrayDeque<>();
  private final List<ReceivedRequest> requests = new ArrayList<>();

  /** Binds 127.0.0.1 on an ephemeral port and starts serving. */
  FakeHttp(String secretKey, Api api, Pages pages) throws IOException {
    this.secretKey = secretKey;
    this.api = api;
    this.pages = pages;
    InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    HttpServer bound = HttpServer.create();
    bound.bind(new InetSocketAddress(loopback, 0), 0);
    bound.createContext("/", this::handle);
    bound.setExecutor(workers);
    bound.start();
    this.server = bound;
  }

  private static Thread daemon(Runnable task) {
    Thread thread = new Thread(task);
    thread.setName("fake-flutterwave-http-" + THREADS.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  }

  URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Stops serving, once; held requests are released first. */
  void stop() {
    if (stopped.compareAndSet(false, true)) {
      released.countDown();
      server.stop(0);
      workers.shutdownNow();
    }
  }

  synchronized List<ReceivedRequest> requests() {
    return List.copyOf(requests);
  }

  synchronized void clearRequests() {
    requests.clear();
  }

  synchronized void inject(Fault... more) {
    for (Fault fault : more) {
      faults.add(Objects.requireNonNull(fault, "fault"));
    }
  }

  synchronized int pendingFaults() {
    return faults.size();
  }

  void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
      String path = exchange.getRequestURI().getRawPath();
      Map<String, List<String>> query = decodeQuery(exchange.getRequestURI().getRawQuery());
      String body;
      try (InputStream in = exchange.getRequestBody()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (method.equals("GET") && path.startsWith(HOSTED)) {
        send(exchange, pages.page(path.substring(HOSTED.length()), query));
        return;
      }
      Map<String, List<String>> headers = new TreeMap<>();
      for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
        headers
            .computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT), n -> new ArrayList<>())
            .addAll(header.getValue());
      }
      ObjectNode json = FakeJson.object(body);
      Fault fault;
      synchronized (this) {
        requests.add(
            new ReceivedRequest(
                method, path, query, headers, body, json == null ? null : FakeJson.plain(json)));
        fault = faults.poll();
      }
      if (fault instanceof Fault.DropConnection) {
        // Closing the exchange before any response header closes the connection.
        return;
      }
      if (fault instanceof Fault.Status) {
        Fault.Status status = (Fault.Status) fault;
        send(exchange, Reply.json(status.status(), status.body()));
        return;
      }
      if (fault instanceof Fault.Delay) {
        hold(((Fault.Delay) fault).duration().toMillis());
      }
      send(exchange, serve(method, path, query, headers, body));
    }
  }

  private Reply serve(
      String method,
      String path,
      Map<String, List<String>> query,
      Map<String, List<String>> headers,
      String body) {
    if (!authorized(first(headers, "authorization"))) {
      return Reply.json(401, FakeJson.error("Invalid authorization key"));
    }
    try {
      ObjectNode object = FakeJson.NODES.objectNode();
      if (method.equals("POST")) {
        String type = first(headers, "content-type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
          throw Rejection.invalid("Content-Type must be application/json");
        }
        object = FakeJson.requestObject(body);
      }
      return api.serve(method, path, query, object);
    } catch (Rejection e) {
      return Reply.json(e.status, FakeJson.error(String.valueOf(e.getMessage())));
    }
  }

  private boolean authorized(@Nullable String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] presented = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(presented, secretKey.getBytes(StandardCharsets.UTF_8));
  }

  private void hold(long millis) {
    try {
      released.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static @Nullable String first(Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  static Map<String, List<String>> decodeQuery(@Nullable String rawQuery) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return query;
    }
    for (String pair : rawQuery.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      query.computeIfAbsent(decode(name), n -> new ArrayList<>()).add(decode(value));
    }
    return query;
  }

  private static String decode(String part) {
    try {
      return URLDecoder.decode(part, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return part;
    }
  }

  private static void send(HttpExchange exchange, Reply reply) throws IOException {
    byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
    Headers headers = exchange.getResponseHeaders();
    headers.set("Content-Type", reply.contentType());
    reply.headers().forEach(headers::set);
    exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
