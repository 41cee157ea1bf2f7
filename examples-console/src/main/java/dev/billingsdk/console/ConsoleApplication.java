package dev.billingsdk.console;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The finance console of seed 000 and the statement pages of seed 002, on the billing library
 * through its Spring Boot starter, on an embedded H2 database with demo data. Start it with the
 * console command in README.md and open http://127.0.0.1:8080/ (every demo user signs in from the
 * login page; the tokens are signed by a key made at start-up, for this demo only).
 */
@SpringBootApplication
public class ConsoleApplication {

  public static void main(String[] args) {
    SpringApplication.run(ConsoleApplication.class, args);
  }
}
