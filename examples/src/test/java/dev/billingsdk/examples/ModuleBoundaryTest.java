package dev.billingsdk.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingsdk.jdbc.JdbcBillingStore;
import dev.billingsdk.setup.Billing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.h2.jdbcx.JdbcDataSource;
import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module boundary as a host on the module path meets it. The tests of the library modules run
 * on the class path, where every public class is reachable; here a small host module is compiled
 * with javac and run in a {@link ModuleLayer}, both against the real compiled modules (their {@code
 * target/classes} or jars, whichever the build put on this test's class path) and their real
 * dependencies. Adding {@code exports dev.billingsdk.internal} (or {@code
 * dev.billingsdk.jdbc.internal}), or any other export, to a module-info.java fails these tests.
 */
class ModuleBoundaryTest {

  static final String CORE = "dev.billingsdk.core";
  static final String JDBC = "dev.billingsdk.jdbc";
  static final String TCK = "dev.billingsdk.tck";

  /** What each library module exports: its API and SPI, nothing else, and to everyone. */
  static final Map<String, Set<String>> EXPORTS =
      Map.of(
          CORE,
          Set.of(
              "dev.billingsdk",
              "dev.billingsdk.catalogue",
              "dev.billingsdk.credit",
              "dev.billingsdk.economy",
              "dev.billingsdk.event",
              "dev.billingsdk.ledger",
              "dev.billingsdk.memory",
              "dev.billingsdk.metering",
              "dev.billingsdk.payment",
              "dev.billingsdk.purchase",
              "dev.billingsdk.report",
              "dev.billingsdk.money",
              "dev.billingsdk.setup",
              "dev.billingsdk.spi",
              "dev.billingsdk.statement",
              "dev.billingsdk.subscription",
              "dev.billingsdk.topup"),
          JDBC,
          Set.of("dev.billingsdk.jdbc"),
          TCK,
          Set.of("dev.billingsdk.tck"),
          "dev.billingsdk.testkit",
          Set.of("dev.billingsdk.testkit"),
          // The payment adapters: each its API and its fake, a test double hosts may use.
          "dev.billingsdk.stripe",
          Set.of("dev.billingsdk.stripe", "dev.billingsdk.stripe.testing"),
          "dev.billingsdk.flutterwave",
          Set.of("dev.billingsdk.flutterwave", "dev.billingsdk.flutterwave.testing"),
          // The finance exports: the API only; value formatting and the charts stay inside.
          "dev.billingsdk.export",
          Set.of("dev.billingsdk.export"),
          // The metrics: BillingMetrics only.
          "dev.billingsdk.micrometer",
          Set.of("dev.billingsdk.micrometer"));

  /**
   * The module path of a host: core and jdbc, and what they need, found where this test found them.
   */
  static List<Path> modulePath;

  @TempDir Path work;

  @BeforeAll
  static void findTheModules() {
    modulePath =
        List.of(
            location(Billing.class),
            location(JdbcBillingStore.class),
            location(NullMarked.class),
            location(org.slf4j.Logger.class),
            location(ObjectMapper.class),
            location(JsonFactory.class),
            location(JsonProperty.class),
            // A logger for SLF4J, as a host would bring.
            location(org.slf4j.simple.SimpleLogger.class));
  }

  // ------------------------------------------------------------------ the descriptors

  @Test
  void everyLibraryModuleExportsItsApiAndSpiOnly() {
    List<Path> path = new ArrayList<>(modulePath);
    path.add(locationOf("dev.billingsdk.stripe.package-info"));
    path.add(locationOf("dev.billingsdk.flutterwave.package-info"));
    path.add(locationOf("dev.billingsdk.testkit.TestClock"));
    path.add(locationOf("dev.billingsdk.export.package-info"));
    path.add(locationOf("dev.billingsdk.micrometer.package-info"));
    ModuleFinder finder = ModuleFinder.of(path.toArray(Path[]::new));
    for (String module :
        List.of(
            CORE,
            JDBC,
            "dev.billingsdk.stripe",
            "dev.billingsdk.flutterwave",
            "dev.billingsdk.testkit",
            "dev.billingsdk.export",
            "dev.billingsdk.micrometer")) {
      ModuleDescriptor descriptor = finder.find(module).orElseThrow().descriptor();
      assertThat(descriptor.isAutomatic()).as(module + " has a module-info").isFalse();
      assertThat(unqualifiedExports(descriptor)).as(module).isEqualTo(EXPORTS.get(module));
    }
  }

  @Test
  void theInternalPackagesExistAndAreNeitherExportedNorOpened() {
    ModuleFinder finder = ModuleFinder.of(modulePath.toArray(Path[]::new));
    for (var internal :
        Map.of(CORE, "dev.billingsdk.internal.credit", JDBC, "dev.billingsdk.jdbc.internal")
            .entrySet()) {
      ModuleDescriptor d = finder.find(internal.getKey()).orElseThrow().descriptor();
      assertThat(d.packages()).as("the package is in the module").contains(internal.getValue());
      assertThat(d.exports()).noneMatch(e -> e.source().equals(internal.getValue()));
      assertThat(d.opens()).noneMatch(o -> o.source().equals(internal.getValue()));
      assertThat(d.isOpen()).isFalse();
    }
  }

  /**
   * NullAway checks only @NullMarked code, so a new package without the annotation in its
   * package-info.java would go unchecked: every package with classes in core and jdbc must carry
   * it.
   */
  @Test
  void everyPackageOfCoreAndJdbcIsNullMarked() throws ClassNotFoundException {
    ModuleFinder finder = ModuleFinder.of(modulePath.toArray(Path[]::new));
    for (String module : List.of(CORE, JDBC)) {
      for (String pkg : finder.find(module).orElseThrow().descriptor().packages()) {
        if (pkg.startsWith("db.")) {
          continue; // the JDBC module's migration scripts: resources, no classes
        }
        Class<?> info =
            Class.forName(pkg + ".package-info", false, ModuleBoundaryTest.class.getClassLoader());
        assertThat(info.isAnnotationPresent(NullMarked.class)).as(pkg + " is @NullMarked").isTrue();
      }
    }
  }

  @Test
  void theTckExportsItsSuitesAndOpensThemToTheTestEngines() {
    assumeTrue(
        onClassPath("dev.billingsdk.tck.BillingStoreTck"),
        "the TCK is on this class path only with the architecture-rules profile");
    ModuleDescriptor tck =
        ModuleFinder.of(locationOf("dev.billingsdk.tck.BillingStoreTck"))
            .find(TCK)
            .orElseThrow()
            .descriptor();
    assertThat(unqualifiedExports(tck)).isEqualTo(EXPORTS.get(TCK));
    assertThat(tck.opens()).extracting(ModuleDescriptor.Opens::source).contains(TCK);
  }

  // ------------------------------------------------------------------ compiling a host

  @Test
  void aHostCompilesAgainstTheApiOfCoreAndJdbc() throws IOException {
    // Requires only jdbc: core, java.sql and the JSpecify annotations come with it (transitive).
    Compilation c =
        compileHost(
            "requires " + JDBC + ";",
            """
            package host;

            import dev.billingsdk.AccountId;
            import dev.billingsdk.Actor;
            import dev.billingsdk.IdempotencyKey;
            import dev.billingsdk.Role;
            import dev.billingsdk.TenantId;
            import dev.billingsdk.setup.Billing;
            import dev.billingsdk.credit.Charge;
            import dev.billingsdk.credit.ChargeRequest;
            import dev.billingsdk.credit.Credits;
            import dev.billingsdk.jdbc.Dialect;
            import dev.billingsdk.jdbc.JdbcBillingStore;
            import dev.billingsdk.memory.InMemoryBillingStore;
            import dev.billingsdk.metering.Aggregation;
            import dev.billingsdk.metering.Meter;
            import dev.billingsdk.money.Amount;
            import dev.billingsdk.money.CreditUnit;
            import dev.billingsdk.spi.BillingStore;
            import java.util.Map;
            import javax.sql.DataSource;

            public final class Api {
              public static Credits inMemory() {
                return Billing.builder().store(InMemoryBillingStore.create()).build().credits();
              }

              public static BillingStore onJdbc(DataSource dataSource) {
                return JdbcBillingStore.builder(dataSource).dialect(Dialect.H2).build();
              }

              // idempotencyKey, actor and reason are inherited from a class the module does not
              // export; they chain as ChargeRequest.Builder, so references(..) follows them.
              public static ChargeRequest charge() {
                Amount one = Amount.of(CreditUnit.of("CREDIT", 2), 1);
                return ChargeRequest.builder(
                        TenantId.of("t1"), AccountId.of("a1"), Charge.usage("llm", one))
                    .idempotencyKey(IdempotencyKey.of("k1"))
                    .actor(Actor.of("ada", Role.ADMIN))
                    .reason("usage")
                    .references(Map.of("order", "o-1"))
                    .build();
              }

              public static Meter meter() {
                return Meter.builder(TenantId.of("t1"), "llm-tokens", Aggregation.SUM)
                    .unit("tokens")
                    .dimensions("model")
                    .build();
              }
            }
            """);
    assertThat(c.errors()).isEmpty();
    assertThat(c.succeeded()).isTrue();
  }

  @Test
  void aHostCannotCompileAgainstCoresInternalPackage() throws IOException {
    Compilation c =
        compileHost(
            "requires " + CORE + ";",
            """
            package host;

            import dev.billingsdk.internal.credit.CreditService;

            public final class Internal {
              public static String name() {
                return CreditService.class.getName();
              }
            }
            """);
    assertThat(c.succeeded()).isFalse();
    assertThat(c.errors())
        .isNotEmpty()
        .allSatisfy(
            e ->
                assertThat(e)
                    .contains("compiler.err.package.not.visible")
                    .contains("package dev.billingsdk.internal.credit is not visible")
                    .contains("does not export it"));
  }

  @Test
  void aHostCannotCompileAgainstJdbcsInternalPackage() throws IOException {
    Compilation c =
        compileHost(
            "requires " + JDBC + ";",
            """
            package host;

            import dev.billingsdk.jdbc.internal.JsonCodec;

            public final class Internal {
              public static String name() {
                return JsonCodec.class.getName();
              }
            }
            """);
    assertThat(c.succeeded()).isFalse();
    assertThat(c.errors())
        .isNotEmpty()
        .allSatisfy(
            e ->
                assertThat(e)
                    .contains("compiler.err.package.not.visible")
                    .contains("package dev.billingsdk.jdbc.internal is not visible")
                    .contains("does not export it"));
  }

  // ------------------------------------------------------------------ running a host

  /**
   * The host runs in a layer of its own, above the boot layer and beside this test's class path
   * (the layer's loader delegates to the platform loader, never to the class path), so every class
   * it touches comes from the module path.
   */
  @Test
  void atRunTimeAHostUsesTheApiButCannotReachTheInternalsByReflection() throws Exception {
    Compilation probe = compileHost("requires " + JDBC + ";", PROBE);
    assertThat(probe.errors()).isEmpty();

    List<Path> path = new ArrayList<>(modulePath);
    path.add(probe.output());
    ModuleLayer boot = ModuleLayer.boot();
    Configuration cf =
        boot.configuration()
            .resolve(
                ModuleFinder.of(path.toArray(Path[]::new)),
                ModuleFinder.of(),
                Set.of("host", "org.slf4j.simple"));
    ModuleLayer layer = boot.defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());

    Module core = layer.findModule(CORE).orElseThrow();
    Module jdbc = layer.findModule(JDBC).orElseThrow();
    Module host = layer.findModule("host").orElseThrow();
    assertThat(core.getPackages()).contains("dev.billingsdk.internal.credit");
    assertThat(core.isExported("dev.billingsdk.internal.credit")).isFalse();
    assertThat(core.isExported("dev.billingsdk.internal.credit", host)).isFalse();
    assertThat(core.isOpen("dev.billingsdk.internal.credit", host)).isFalse();
    assertThat(jdbc.isExported("dev.billingsdk.jdbc.internal")).isFalse();
    assertThat(core.isExported("dev.billingsdk.credit", host)).isTrue();

    Class<?> probeClass = layer.findLoader("host").loadClass("host.Probe");
    assertThat(probeClass.getModule()).isSameAs(host);
    // Ties the two worlds apart: the layer's Billing is not this test's.
    assertThat(layer.findLoader(CORE).loadClass(Billing.class.getName()))
        .isNotSameAs(Billing.class);

    // Positive control: the API works, on a JDBC store whose schema the store applies from the
    // scripts it ships (resources of the jdbc module). The database is H2 from this test's class
    // path, handed over as a javax.sql.DataSource (java.sql is the boot layer's, shared by both).
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:module-boundary;DB_CLOSE_DELAY=-1");
    assertThat(probeClass.getMethod("useTheApi", DataSource.class).invoke(null, h2))
        .isEqualTo(JDBC + " schema current, no account");
    // Setters a public builder inherits from a package-private class link and run.
    assertThat(probeClass.getMethod("buildARequest").invoke(null))
        .isEqualTo(
            "VoidGrantRequest[tenant=t1, account=a1, grant=g1, idempotencyKey=k1, actor=ada[ADMIN]]");

    // Every public class of the internal package: its public constructors and static methods (or,
    // for a class with neither, the class itself) refuse the host.
    Map<String, String> reflected = new TreeMap<>();
    for (String internal :
        publicClassesOf(layer, CORE, "dev.billingsdk.internal.credit").stream()
            .filter(n -> !n.contains("$"))
            .toList()) {
      reflected.put(internal, call(probeClass, "reflect", internal));
      assertThat(call(probeClass, "breakIn", internal))
          .as(internal)
          .startsWith("InaccessibleObjectException")
          // "exports" for a public member, "opens" for any other.
          .containsPattern(
              "module dev\\.billingsdk\\.core does not \"(exports|opens)"
                  + " dev\\.billingsdk\\.internal\\.credit\" to module host");
    }
    assertThat(reflected)
        .allSatisfy(
            (name, result) -> assertThat(result).as(name).startsWith("IllegalAccessException"));
    assertThat(reflected.values())
        .as("the reason, as Constructor.newInstance and Method.invoke give it")
        .anyMatch(
            result ->
                result.contains(
                    "module "
                        + CORE
                        + " does not export dev.billingsdk.internal.credit to module host"));
    assertThat(call(probeClass, "reflect", "dev.billingsdk.jdbc.internal.JsonCodec"))
        .startsWith("IllegalAccessException")
        .contains(
            "module " + JDBC + " does not export dev.billingsdk.jdbc.internal to module host");
    // The same reflection on an exported class goes through.
    assertThat(call(probeClass, "reflect", "dev.billingsdk.memory.InMemoryBillingStore"))
        .isEqualTo("accessible");
  }

  /** The host's probe: the API used plainly, and the internals tried by reflection. */
  static final String PROBE =
      """
      package host;

      import dev.billingsdk.AccountId;
      import dev.billingsdk.setup.Billing;
      import dev.billingsdk.TenantId;
      import dev.billingsdk.jdbc.Dialect;
      import dev.billingsdk.jdbc.JdbcBillingStore;
      import dev.billingsdk.jdbc.Schema;
      import java.lang.invoke.MethodHandles;
      import java.lang.reflect.Constructor;
      import java.lang.reflect.Executable;
      import java.lang.reflect.InvocationTargetException;
      import java.lang.reflect.Method;
      import java.lang.reflect.Modifier;
      import javax.sql.DataSource;

      public final class Probe {
        /** A JDBC store on H2 that applies its own schema, then a read through the API. */
        public static String useTheApi(DataSource h2) {
          JdbcBillingStore store =
              JdbcBillingStore.builder(h2).dialect(Dialect.H2).applySchema(true).build();
          Billing billing = Billing.builder().store(store).build();
          boolean found =
              billing.credits().findAccount(TenantId.of("t1"), AccountId.of("a1")).isPresent();
          int version = new Schema(Dialect.H2, Schema.DEFAULT_PREFIX).currentVersion(h2);
          return store.getClass().getModule().getName()
              + " schema "
              + (version == Schema.VERSION ? "current" : "at " + version)
              + (found ? ", account found" : ", no account");
        }

        /** A request whose builder's audit setters are inherited from a non-exported class. */
        public static String buildARequest() {
          return dev.billingsdk.credit.VoidGrantRequest.builder(
                  TenantId.of("t1"), AccountId.of("a1"), dev.billingsdk.GrantId.of("g1"))
              .idempotencyKey(dev.billingsdk.IdempotencyKey.of("k1"))
              .actor(dev.billingsdk.Actor.of("ada", dev.billingsdk.Role.ADMIN))
              .reason("void")
              .build()
              .toString();
        }

        /** Reflection as the language allows it: a public member of a public class. */
        public static String reflect(String className) {
          try {
            Class<?> c = Class.forName(className);
            for (Constructor<?> k : c.getConstructors()) {
              k.newInstance(new Object[k.getParameterCount()]);
            }
            for (Method m : c.getMethods()) {
              if (Modifier.isStatic(m.getModifiers()) && m.getDeclaringClass() == c) {
                m.invoke(null, new Object[m.getParameterCount()]);
              }
            }
            MethodHandles.publicLookup().accessClass(c);
            return "accessible";
          } catch (ReflectiveOperationException | RuntimeException e) {
            return describe(e);
          }
        }

        /** Reflection that asks for more: setAccessible on a declared member. */
        public static String breakIn(String className) {
          try {
            Class<?> c = Class.forName(className);
            for (Executable e : c.getDeclaredConstructors()) {
              e.setAccessible(true);
            }
            for (Executable e : c.getDeclaredMethods()) {
              e.setAccessible(true);
            }
            return "opened";
          } catch (ReflectiveOperationException | RuntimeException e) {
            return describe(e);
          }
        }

        private static String describe(Throwable e) {
          if (e instanceof InvocationTargetException) {
            // The call went through (the arguments were nulls): access was granted.
            return "accessible";
          }
          return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
      }
      """;

  // ------------------------------------------------------------------ helpers

  record Compilation(boolean succeeded, List<String> errors, Path output) {}

  private int compilations;

  /** Compiles module {@code host} (the given requires, {@code exports host}) with one class. */
  Compilation compileHost(String requires, String source) throws IOException {
    int n = ++compilations; // one pair of directories per compilation within this test's @TempDir
    Path src = Files.createDirectories(work.resolve("src-" + n));
    Path out = Files.createDirectories(work.resolve("out-" + n));
    List<Path> files = new ArrayList<>();
    files.add(
        Files.writeString(
            src.resolve("module-info.java"),
            "module host {\n  " + requires + "\n  exports host;\n}\n"));
    Path pkg = Files.createDirectories(src.resolve("host"));
    files.add(Files.writeString(pkg.resolve(className(source) + ".java"), source));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files0 =
        javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      List<String> options =
          List.of(
              "--release",
              "17",
              "-proc:none",
              "-XDrawDiagnostics",
              "-d",
              out.toString(),
              "--module-path",
              modulePath.stream().map(Path::toString).collect(Collectors.joining(pathSeparator())),
              // Nothing from this test's class path: javac would default to it.
              "--class-path",
              work.resolve("empty").toString());
      boolean ok =
          javac
              .getTask(
                  null,
                  files0,
                  diagnostics,
                  options,
                  null,
                  files0.getJavaFileObjectsFromPaths(files))
              .call();
      List<String> errors =
          diagnostics.getDiagnostics().stream()
              .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
              .map(d -> d.getCode() + " " + d.getMessage(Locale.ROOT))
              .toList();
      return new Compilation(ok, errors, out);
    }
  }

  static String className(String source) {
    int at = source.indexOf("public final class ") + "public final class ".length();
    return source.substring(at, source.indexOf(' ', at));
  }

  static String pathSeparator() {
    return System.getProperty("path.separator");
  }

  static Set<String> unqualifiedExports(ModuleDescriptor d) {
    assertThat(d.exports())
        .as(d.name() + " exports nothing to named modules only")
        .allMatch(e -> !e.isQualified());
    return d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
  }

  /** The public top-level and nested classes of one package of a module, by name. */
  static Set<String> publicClassesOf(ModuleLayer layer, String module, String pkg)
      throws IOException {
    ModuleReference ref = layer.configuration().findModule(module).orElseThrow().reference();
    Set<String> names = new TreeSet<>();
    try (var reader = ref.open();
        Stream<String> entries = reader.list()) {
      for (String entry : entries.toList()) {
        String name = entry.replace('/', '.');
        if (name.startsWith(pkg + ".")
            && name.endsWith(".class")
            && name.indexOf('.', pkg.length() + 1) == name.length() - ".class".length()) {
          String className = name.substring(0, name.length() - ".class".length());
          try {
            Class<?> c = Class.forName(className, false, layer.findLoader(module));
            if (java.lang.reflect.Modifier.isPublic(c.getModifiers())) {
              names.add(className);
            }
          } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
          }
        }
      }
    }
    assertThat(names).as("public classes in " + pkg).isNotEmpty();
    return names;
  }

  static String call(Class<?> probe, String method, Object... args) throws Exception {
    Class<?>[] types = new Class<?>[args.length];
    java.util.Arrays.fill(types, String.class);
    Method m = probe.getMethod(method, types);
    try {
      return (String) m.invoke(null, args);
    } catch (InvocationTargetException e) {
      throw new AssertionError("the probe failed", e.getCause());
    }
  }

  static boolean onClassPath(String className) {
    try {
      Class.forName(className, false, ModuleBoundaryTest.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  static Path locationOf(String className) {
    try {
      return location(Class.forName(className, false, ModuleBoundaryTest.class.getClassLoader()));
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(className + " is not on the test class path", e);
    }
  }

  /** The jar or class directory a class was loaded from. */
  static Path location(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new UncheckedIOException(new IOException(e));
    }
  }
}
