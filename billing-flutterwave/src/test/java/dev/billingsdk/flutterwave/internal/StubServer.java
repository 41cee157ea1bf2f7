package dev.billingsdk.flutterwave.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A scripted HTTP server on the loopback interface for the transport's and the provider's tests:
 * each route ({@code "GET /v3/balances"}) answers its replies in order, the last one again and
 * again; a route without replies answers 404 with Flutterwave's envelope. Every request is
 * recorded.
 */
public final class StubServer implements AutoCloseable {

  /** One recorded request. */
  public record Received(
      String method, String path, String query, Map<String, List<String>> headers, String body) {
    public Optional<String> header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
          return Optional.of(e.getValue().get(0));
        }
      }
      return Optional.empty();
    }
  }

  /** One scripted answer: a status and a body, after a delay; or the connection dropped. */
  public record Reply(int status, String body, Duration delay, boolean drop) {
    public static Reply of(int status, String body) {
      return new Reply(status, body, Duration.ZERO, false);
    }

    public static Reply success(String dataJson) {
      return of(200, "{\"status\":\"success\",\"message\":\"ok\",\"data\":" + dataJson + "}");
    }

    public static Reply error(int status, String message) {
      return of(status, "{\"status\":\"error\",\"message\":\"" + message + "\",\"data\":null}");
    }

    /** Closes the connection without an answer: the client sees an I/O error. */
    public static Reply dropped() {
      return new Reply(0, "", Duration.ZERO, true);
    }

    public Reply after(Duration delay) {
      return new Reply(status, body, delay, drop);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, List<Reply>> routes = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();

  private StubServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "stub-server");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  public static StubServer start() {
    try {
      return new StubServer();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Scripts a route's answers: in order, the last one repeated. */
  public void on(String method, String path, Reply... replies) {
    routes.put(method.toUpperCase(Locale.ROOT) + " " + path, new ArrayList<>(List.of(replies)));
  }

  public List<Received> requests() {
    return List.copyOf(received);
  }

  public List<Received> requests(String method, String path) {
    return received.stream().filter(r -> r.method.equals(method) && r.path.equals(path)).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      URI uri = exchange.getRequestURI();
      String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
      received.add(
          new Received(
              exchange.getRequestMethod(),
              uri.getPath(),
              query,
              Map.copyOf(exchange.getRequestHeaders()),
              body));
      Reply reply = next(exchange.getRequestMethod() + " " + uri.getPath());
      if (!reply.delay.isZero()) {
        try {
          Thread.sleep(reply.delay.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (reply.drop) {
        return; // closed without a status line
      }
      byte[] bytes = reply.body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(reply.status, bytes.length == 0 ? -1 : bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private Reply next(String route) {
    List<Reply> replies = routes.get(route);
    if (replies == null || replies.isEmpty()) {
      return Reply.error(404, "No transaction was found for this id");
    }
    synchronized (replies) {
      return replies.size() > 1 ? replies.remove(0) : replies.get(0);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
