package dev.billingsdk.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.billingsdk.TenantId;
import dev.billingsdk.jdbc.TwoProcessWorkload.Answer;
import dev.billingsdk.setup.Billing;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The second writer of {@link AbstractTwoProcessConcurrencyTest}, run in a JVM of its own: builds a
 * pool, a {@link JdbcBillingStore} and a {@link Billing} on the tables the test prepared, says
 * {@value TwoProcessWorkload#READY} on stdout, waits for {@value TwoProcessWorkload#GO} on stdin,
 * then runs side {@value TwoProcessWorkload#CHILD} of {@link TwoProcessWorkload} and prints every
 * answer as a line, a summary per operation, and {@value TwoProcessWorkload#DONE}.
 *
 * <p>Arguments: dialect ({@link Dialect} name), table prefix, tenant; the JDBC URL comes in the
 * environment variable {@value TwoProcessWorkload#URL_VARIABLE}, so that a password in it is not on
 * the command line. Exits 0 when the workload ran; 2 on any unexpected exception (its stack trace
 * on stderr), 3 on bad arguments or a closed stdin.
 */
public final class SecondWriterProcess {
  private SecondWriterProcess() {}

  public static void main(String[] args) {
    String url = System.getenv(TwoProcessWorkload.URL_VARIABLE);
    if (args.length != 3 || url == null || url.isBlank()) {
      System.err.println(
          "usage: "
              + TwoProcessWorkload.URL_VARIABLE
              + "=<jdbc-url> SecondWriterProcess <dialect> <table-prefix> <tenant>");
      System.exit(3);
    }
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    int status;
    try (HikariDataSource ds = TwoProcessWorkload.pool(url, "child", 2)) {
      JdbcBillingStore store =
          TwoProcessWorkload.store(ds, TestDatabases.Db.valueOf(args[0]).dialect, args[1], false);
      Billing billing = TwoProcessWorkload.billing(store);
      TenantId tenant = TenantId.of(args[2]);
      // Connect and read once before the barrier, so the race starts with both sides warm.
      store.loadAccount(tenant, TwoProcessWorkload.HOT).orElseThrow();
      out.println(TwoProcessWorkload.READY);
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String go = in.readLine();
      if (!TwoProcessWorkload.GO.equals(go)) {
        System.err.println("expected " + TwoProcessWorkload.GO + " on stdin, got " + go);
        System.exit(3);
      }
      List<Answer> answers = new ArrayList<>();
      TwoProcessWorkload.run(
          billing,
          tenant,
          TwoProcessWorkload.CHILD,
          a -> {
            answers.add(a);
            out.println(TwoProcessWorkload.line(a));
          });
      TwoProcessWorkload.printSummary(TwoProcessWorkload.CHILD, answers, out);
      out.println(TwoProcessWorkload.DONE);
      status = 0;
    } catch (Throwable e) {
      e.printStackTrace();
      status = 2;
    }
    out.flush();
    System.exit(status);
  }
}
