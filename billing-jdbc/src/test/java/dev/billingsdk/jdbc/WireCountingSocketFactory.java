package dev.billingsdk.jdbc;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.SocketFactory;

/**
 * A socket factory for the JDBC drivers ({@code socketFactory=} of pgjdbc and of MariaDB
 * Connector/J) whose sockets count round trips on the wire: an exchange is counted when the client
 * reads after having written, however many writes and reads it takes. {@link
 * CountingRulesMatchTheWireTest} checks {@link CountingDataSource}'s rules against it.
 *
 * <p>The drivers make the factory by its class name, so the count is one for the whole JVM: only
 * the connections of that test use it.
 */
public final class WireCountingSocketFactory extends SocketFactory {
  private static final AtomicLong EXCHANGES = new AtomicLong();

  /** For the drivers, which make it by name. */
  public WireCountingSocketFactory() {}

  /**
   * For pgjdbc, which passes {@code socketFactoryArg} when there is a constructor that takes it.
   */
  public WireCountingSocketFactory(String ignored) {}

  /** The round trips of every counting socket since the last {@link #reset()}. */
  static long exchanges() {
    return EXCHANGES.get();
  }

  static void reset() {
    EXCHANGES.set(0);
  }

  @Override
  public Socket createSocket() {
    return new CountingSocket();
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    Socket s = new CountingSocket();
    s.connect(new java.net.InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    Socket s = new CountingSocket();
    s.bind(new java.net.InetSocketAddress(localHost, localPort));
    s.connect(new java.net.InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    Socket s = new CountingSocket();
    s.connect(new java.net.InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    Socket s = new CountingSocket();
    s.bind(new java.net.InetSocketAddress(localAddress, localPort));
    s.connect(new java.net.InetSocketAddress(address, port));
    return s;
  }

  /** A plain socket whose streams note when the client turns from sending to waiting. */
  private static final class CountingSocket extends Socket {
    /** Written since the last read: the next read completes an exchange. */
    private volatile boolean sent;

    private InputStream input;
    private OutputStream output;

    @Override
    public synchronized InputStream getInputStream() throws IOException {
      if (input == null) {
        input =
            new FilterInputStream(super.getInputStream()) {
              @Override
              public int read() throws IOException {
                int b = super.read();
                received();
                return b;
              }

              @Override
              public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                received();
                return n;
              }
            };
      }
      return input;
    }

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
      if (output == null) {
        output =
            new FilterOutputStream(super.getOutputStream()) {
              @Override
              public void write(int b) throws IOException {
                sent = true;
                super.write(b);
              }

              @Override
              public void write(byte[] buffer, int offset, int length) throws IOException {
                sent = true;
                out.write(buffer, offset, length); // FilterOutputStream's would go byte by byte
              }
            };
      }
      return output;
    }

    private void received() {
      if (sent) {
        sent = false;
        EXCHANGES.incrementAndGet();
      }
    }
  }
}
