package dev.wavoice.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code docker-compose.yml} as the README runs it: {@code docker compose config} (which needs no Docker
 * engine) validates the file with a {@code .env} made from {@code .env.example}, with and without the
 * {@code monitoring} profile, and the resolved file is checked: every setting of {@code .env.example}
 * reaches its service, the app's call records go to the {@code postgres} service and its volume, every
 * service has a health check and a restart policy, the monitoring services read the files kept in
 * {@code payara/monitoring}, and the {@code cluster} profile runs two members of one grid behind nginx.
 */
class ComposeFileTest {

  private static final Path ENV_EXAMPLE = Path.of(".env.example");
  private static final Pattern WAVOICE_KEY = Pattern.compile("\\bWAVOICE_[A-Z0-9_]+\\b");
  /** Settings of the test runs, not of the app. */
  private static final Set<String> TEST_ONLY = Set.of("WAVOICE_KMS_RUN", "WAVOICE_CALLER");

  @TempDir
  Path dir;

  @Test
  void everySettingOfTheEnvFileReachesItsService() throws IOException {
    Map<String, String> env = testEnv();
    Map<String, Object> services = services(config(env, List.of()));
    Map<String, Object> app = map(services.get("app"));
    Map<String, Object> appEnv = environment(app);
    Map<String, Object> kmsEnv = environment(map(services.get("kms")));

    Set<String> documented = keys(Files.readString(Path.of("docs/configuration.md")));
    for (Map.Entry<String, String> e : env.entrySet()) {
      String key = e.getKey();
      if (key.startsWith("WAVOICE_")) {
        assertThat(documented).as(key + " in docs/configuration.md").contains(key);
        assertThat(appEnv).as("the app's environment").containsEntry(key, e.getValue());
      } else if (key.startsWith("KMS_")) {
        assertThat(kmsEnv).as("Kurento's environment").containsEntry(key, e.getValue());
      }
    }
    // what the README tells an operator to set is in .env.example
    Set<String> named = keys(Files.readString(Path.of("README.md")));
    named.removeAll(TEST_ONLY);
    assertThat(named).isNotEmpty();
    assertThat(env.keySet()).containsAll(named);
    assertThat(documented).containsAll(named);
  }

  @Test
  void callRecordsGoToThePostgresServiceAndItsVolume() throws IOException {
    Map<String, String> env = testEnv();
    Map<String, Object> config = config(env, List.of());
    Map<String, Object> services = services(config);
    Map<String, Object> postgres = map(services.get("postgres"));
    assertThat((String) postgres.get("image")).startsWith("postgres:");
    assertThat(environment(postgres)).containsEntry("POSTGRES_DB", "wavoice").containsEntry("POSTGRES_USER", "wavoice")
        .containsEntry("POSTGRES_PASSWORD", env.get("POSTGRES_PASSWORD"));
    assertThat(volumeMounts(postgres)).contains("postgres-data:/var/lib/postgresql/data");
    assertThat(map(config.get("volumes"))).containsKeys("postgres-data", "app-data");
    assertThat(ports(postgres)).containsExactly("127.0.0.1:" + env.get("POSTGRES_PORT") + "->5432");

    Map<String, Object> app = map(services.get("app"));
    assertThat(environment(app))
        .containsEntry("WAVOICE_DB_URL", "jdbc:postgresql://127.0.0.1:" + env.get("POSTGRES_PORT") + "/wavoice")
        .containsEntry("WAVOICE_DB_USER", "wavoice")
        .containsEntry("WAVOICE_DB_PASSWORD", env.get("POSTGRES_PASSWORD"))
        .containsEntry("WAVOICE_DATA_DIR", "/opt/payara/data");
    assertThat(volumeMounts(app)).contains("app-data:/opt/payara/data");
    assertThat(map(map(app.get("depends_on")).get("postgres"))).containsEntry("condition", "service_healthy");
  }

  @Test
  void aMissingDatabasePasswordIsRefusedByName() throws IOException {
    Map<String, String> env = testEnv();
    env.put("POSTGRES_PASSWORD", "");
    Run run = compose(env, List.of(), "config");
    assertThat(run.exit).isNotZero();
    assertThat(run.output).contains("POSTGRES_PASSWORD").contains(".env");
  }

  @Test
  void everyServiceHasAHealthCheckAndARestartPolicy() throws IOException {
    Map<String, Object> services = services(config(testEnv(), List.of("monitoring", "cluster")));
    assertThat(services).containsOnlyKeys("kms", "postgres", "app", "prometheus", "grafana", "app-2", "lb");
    for (Map.Entry<String, Object> service : services.entrySet()) {
      Map<String, Object> s = map(service.getValue());
      assertThat(s.get("restart")).as(service.getKey()).isEqualTo("unless-stopped");
      if (!service.getKey().equals("kms")) { // the Kurento image brings its own health check
        assertThat(map(s.get("healthcheck"))).as(service.getKey()).containsKey("test");
      }
    }
    // liveness for the container: readiness is DOWN while a setting is missing, which no restart fixes
    assertThat(String.join(" ", strings(map(map(services.get("app")).get("healthcheck")).get("test")))).contains("/health/live");
  }

  @Test
  void theMonitoringProfileScrapesTheAppAndProvisionsTheDashboard() throws IOException {
    Map<String, String> env = testEnv();
    Map<String, Object> plain = services(config(env, List.of()));
    for (String name : List.of("kms", "postgres", "app")) {
      assertThat(map(plain.get(name))).as(name).doesNotContainKey("profiles");
    }
    for (String name : List.of("prometheus", "grafana")) {
      // Compose 2 leaves services of profiles not asked for out of `config`; Compose 1 lists them with their profiles
      if (plain.containsKey(name)) {
        assertThat(strings(map(plain.get(name)).get("profiles"))).containsExactly("monitoring");
      }
    }

    Map<String, Object> services = services(config(env, List.of("monitoring")));
    Map<String, Object> prometheus = map(services.get("prometheus"));
    Map<String, Object> grafana = map(services.get("grafana"));
    assertThat((String) prometheus.get("image")).startsWith("prom/prometheus:");
    assertThat((String) grafana.get("image")).startsWith("grafana/grafana:");
    assertThat(strings(prometheus.get("profiles"))).containsExactly("monitoring");
    assertThat(strings(grafana.get("profiles"))).containsExactly("monitoring");
    assertThat(environment(grafana)).containsEntry("GF_SERVER_HTTP_PORT", env.get("GRAFANA_PORT"))
        .containsEntry("GF_SECURITY_ADMIN_PASSWORD", env.get("GRAFANA_ADMIN_PASSWORD"));
    assertThat(strings(prometheus.get("command"))).contains("--storage.tsdb.retention.time=" + env.get("PROMETHEUS_RETENTION"));

    // Prometheus scrapes the app's /metrics where the app listens (both on the host's network)
    Map<String, Path> prometheusMounts = bindMounts(prometheus);
    Path prometheusYml = prometheusMounts.get("/etc/prometheus/prometheus.yml");
    assertThat(prometheusYml).isRegularFile();
    Map<String, Object> scrape = map(list(yaml(Files.readString(prometheusYml)).get("scrape_configs")).get(0));
    assertThat(scrape).containsEntry("metrics_path", "/metrics");
    assertThat(strings(map(list(scrape.get("static_configs")).get(0)).get("targets"))).containsExactly("127.0.0.1:8080");
    String listen = strings(prometheus.get("command")).stream().filter(a -> a.startsWith("--web.listen-address="))
        .findFirst().orElseThrow().substring("--web.listen-address=".length());

    // Grafana: its data source is that Prometheus, its dashboards provider reads the mounted dashboard folder
    Map<String, Path> grafanaMounts = bindMounts(grafana);
    Path provisioning = grafanaMounts.get("/etc/grafana/provisioning");
    Map<String, Object> datasource = map(list(yaml(Files.readString(provisioning.resolve("datasources/prometheus.yml")))
        .get("datasources")).get(0));
    assertThat(datasource).containsEntry("type", "prometheus").containsEntry("url", "http://" + listen);
    Map<String, Object> provider = map(list(yaml(Files.readString(provisioning.resolve("dashboards/wavoice.yml")))
        .get("providers")).get(0));
    String dashboardsAt = (String) map(provider.get("options")).get("path");
    Path dashboards = grafanaMounts.get(dashboardsAt);
    assertThat(dashboards).as("the folder mounted at " + dashboardsAt).isDirectory();
    assertThat(dashboards.resolve("wavoice.json")).isEqualTo(DashboardMetricsIT.DASHBOARD.toAbsolutePath());
    String dashboard = Files.readString(dashboards.resolve("wavoice.json"));
    assertThat(DashboardMetricsIT.expressions(Fixtures.parse(dashboard))).hasSizeGreaterThan(10);
    assertThat(dashboard).contains("\"uid\": \"" + datasource.get("uid") + "\"").doesNotContain("${DS_");
  }

  @Test
  void aloneTheAppRunsWithoutTheGrid() throws IOException {
    Map<String, Object> services = services(config(testEnv(), List.of()));
    assertThat(args(map(services.get("app")))).contains("--nocluster").doesNotContain("--clustermode");
    for (String name : List.of("app-2", "lb")) {
      // Compose 2 leaves services of profiles not asked for out of `config`; Compose 1 lists them with their profiles
      if (services.containsKey(name)) {
        assertThat(strings(map(services.get(name)).get("profiles"))).containsExactly("cluster");
      }
    }
  }

  @Test
  void theClusterProfileRunsTwoMembersOfOneGridOnPostgresBehindNginx() throws IOException {
    Map<String, String> env = testEnv();
    env.put("WAVOICE_CLUSTER_ENABLED", "true");
    env.put("APP_CLUSTER_FLAGS", "--clustername wavoice --clustermode tcpip:127.0.0.1:6900,127.0.0.1:6901 --startport 6900"
        + " --interfaces 127.0.0.1 --nohostaware");
    Map<String, Object> services = services(config(env, List.of("cluster")));
    Map<String, Object> first = map(services.get("app"));
    Map<String, Object> second = map(services.get("app-2"));
    Map<String, Object> lb = map(services.get("lb"));

    // one grid: the same name and member list, each member on its own grid and HTTP port
    List<String> firstArgs = args(first);
    List<String> secondArgs = args(second);
    for (List<String> member : List.of(firstArgs, secondArgs)) {
      assertThat(member).doesNotContain("--nocluster").contains("--nohostaware");
      assertThat(flag(member, "--clustername")).isEqualTo("wavoice");
      assertThat(flag(member, "--clustermode")).isEqualTo("tcpip:127.0.0.1:6900,127.0.0.1:6901");
    }
    assertThat(List.of(flag(firstArgs, "--startport"), flag(secondArgs, "--startport"))).containsExactly("6900", "6901");
    assertThat(flag(secondArgs, "--port")).isEqualTo("8081");

    // both clustered on the one PostgreSQL, each with its own instance tag, RTP ports and data volume
    Map<String, Object> firstEnv = environment(first);
    Map<String, Object> secondEnv = environment(second);
    assertThat(firstEnv).containsEntry("WAVOICE_CLUSTER_ENABLED", "true");
    assertThat(secondEnv).containsEntry("WAVOICE_CLUSTER_ENABLED", "true")
        .containsEntry("WAVOICE_DB_URL", firstEnv.get("WAVOICE_DB_URL"))
        .containsEntry("WAVOICE_OPENAI_API_KEY", env.get("WAVOICE_OPENAI_API_KEY"))
        .containsEntry("WAVOICE_WHATSAPP_APP_SECRET", env.get("WAVOICE_WHATSAPP_APP_SECRET"))
        .containsEntry("WAVOICE_KURENTO_INSTANCE_TAG", env.get("APP_2_INSTANCE_TAG"));
    assertThat((String) firstEnv.get("WAVOICE_DB_URL")).startsWith("jdbc:postgresql:");
    assertThat(secondEnv.get("WAVOICE_KURENTO_INSTANCE_TAG")).isNotEqualTo(firstEnv.get("WAVOICE_KURENTO_INSTANCE_TAG"));
    assertThat(secondEnv.get("WAVOICE_MEDIA_RTP_PORT_RANGE")).isNotEqualTo(firstEnv.get("WAVOICE_MEDIA_RTP_PORT_RANGE"));
    assertThat(secondEnv.keySet()).containsAll(firstEnv.keySet());
    assertThat(volumeMounts(second)).contains("app-2-data:/opt/payara/data");
    assertThat(map(map(second.get("depends_on")).get("postgres"))).containsEntry("condition", "service_healthy");

    // nginx, an official image, takes /webhook on LB_PORT and spreads it over both members' HTTP ports
    assertThat((String) lb.get("image")).startsWith("nginx:");
    assertThat(environment(lb)).containsEntry("LB_PORT", env.get("LB_PORT"));
    Path template = bindMounts(lb).get("/etc/nginx/templates/default.conf.template");
    assertThat(template).isRegularFile();
    String conf = Files.readString(template);
    assertThat(conf).contains("listen ${LB_PORT};", "location /webhook", "server 127.0.0.1:8080 ", "server 127.0.0.1:8081 ");
    for (Map.Entry<String, Object> service : services.entrySet()) {
      assertThat(map(service.getValue()).get("restart")).as(service.getKey()).isEqualTo("unless-stopped");
    }
    assertThat(map(lb.get("healthcheck"))).containsKey("test");
    assertThat(map(second.get("healthcheck"))).containsKey("test");
  }

  /** A service's command as arguments, in either form compose prints. */
  private static List<String> args(Map<String, Object> service) {
    Object command = service.get("command");
    return command instanceof String text ? List.of(text.trim().split("\\s+")) : strings(command);
  }

  private static String flag(List<String> args, String name) {
    int at = args.indexOf(name);
    assertThat(at).as(name + " in " + args).isNotNegative();
    return args.get(at + 1);
  }

  // ---- running compose

  /** A .env with every key of .env.example set to a value of its own (a test value, never a real one). */
  private static Map<String, String> testEnv() throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    int port = 15000;
    for (String line : Files.readAllLines(ENV_EXAMPLE)) {
      int eq = line.indexOf('=');
      if (line.isBlank() || line.startsWith("#") || eq < 0) {
        continue;
      }
      String key = line.substring(0, eq);
      String value = switch (key) {
        case "WAVOICE_MEDIA_CODEC" -> "opus";
        case "KMS_MIN_PORT", "KMS_MAX_PORT", "KMS_STUN_PORT", "POSTGRES_PORT", "GRAFANA_PORT", "LB_PORT" -> Integer.toString(port++);
        // alone unless a test makes it a member
        case "WAVOICE_CLUSTER_ENABLED", "APP_CLUSTER_FLAGS" -> "";
        default -> "test-" + key.toLowerCase().replace('_', '-');
      };
      env.put(key, value);
    }
    assertThat(env).isNotEmpty();
    return env;
  }

  private Map<String, Object> config(Map<String, String> env, List<String> profiles) throws IOException {
    Run run = compose(env, profiles, "config");
    assertThat(run.exit).as("compose config:\n" + run.output).isZero();
    return yaml(run.output);
  }

  private record Run(int exit, String output) {}

  /** Runs compose on the repository's file with this .env, in an environment without the caller's settings. */
  private Run compose(Map<String, String> env, List<String> profiles, String... args) throws IOException {
    Path envFile = dir.resolve("test.env");
    StringBuilder text = new StringBuilder();
    env.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    Files.writeString(envFile, text);
    List<String> command = new ArrayList<>(composeCommand());
    command.addAll(List.of("--project-name", "wavoice-test", "--file", Path.of("docker-compose.yml").toAbsolutePath().toString(),
        "--env-file", envFile.toString()));
    for (String profile : profiles) {
      command.addAll(List.of("--profile", profile));
    }
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("out").toFile());
    Map<String, String> processEnv = builder.environment();
    String path = processEnv.get("PATH");
    processEnv.clear(); // a WAVOICE_* or POSTGRES_* of the caller's shell would win over the .env
    processEnv.put("PATH", path);
    processEnv.put("HOME", dir.toString());
    Process process = builder.start();
    try {
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("compose finished").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      process.destroyForcibly();
    }
    return new Run(process.exitValue(), Files.readString(dir.resolve("out"), StandardCharsets.UTF_8));
  }

  /** {@code docker-compose} (Compose 1, Debian's package, as .ci/run installs it), else the {@code docker compose} plugin. */
  private static List<String> composeCommand() {
    for (List<String> candidate : List.of(List.of("docker-compose"), List.of("docker", "compose"))) {
      try {
        Process p = new ProcessBuilder(append(candidate, "version")).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return candidate;
        }
        p.destroyForcibly();
      } catch (IOException e) {
        // not installed: try the next
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("neither docker-compose nor the docker compose plugin is installed (.ci/run installs docker-compose)");
  }

  private static List<String> append(List<String> list, String arg) {
    List<String> more = new ArrayList<>(list);
    more.add(arg);
    return more;
  }

  // ---- reading the resolved file

  private static Map<String, Object> yaml(String text) {
    return map(new Yaml(new SafeConstructor(new LoaderOptions())).load(text));
  }

  private static Map<String, Object> services(Map<String, Object> config) {
    return map(config.get("services"));
  }

  private static Map<String, Object> environment(Map<String, Object> service) {
    Map<String, Object> env = new LinkedHashMap<>();
    Object raw = service.get("environment");
    if (raw instanceof Map<?, ?> m) {
      m.forEach((k, v) -> env.put((String) k, v == null ? "" : v.toString()));
    } else if (raw instanceof List<?> l) {
      for (Object item : l) {
        String s = item.toString();
        int eq = s.indexOf('=');
        env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
      }
    }
    return env;
  }

  /** Volume mounts as {@code source:target}, in either syntax compose prints. */
  private static List<String> volumeMounts(Map<String, Object> service) {
    List<String> mounts = new ArrayList<>();
    for (Object volume : list(service.getOrDefault("volumes", List.of()))) {
      if (volume instanceof Map<?, ?> m) {
        mounts.add(m.get("source") + ":" + m.get("target"));
      } else {
        String[] parts = volume.toString().split(":");
        mounts.add(parts[0] + ":" + parts[1]);
      }
    }
    return mounts;
  }

  /** Bind mounts: container path → the host path (absolute, as compose resolves it). */
  private static Map<String, Path> bindMounts(Map<String, Object> service) {
    Map<String, Path> binds = new LinkedHashMap<>();
    for (String mount : volumeMounts(service)) {
      int colon = mount.lastIndexOf(':');
      String source = mount.substring(0, colon);
      if (source.startsWith("/")) {
        binds.put(mount.substring(colon + 1), Path.of(source));
      }
    }
    return binds;
  }

  /** Published ports as {@code host_ip:published->target}, in either syntax compose prints. */
  private static List<String> ports(Map<String, Object> service) {
    List<String> ports = new ArrayList<>();
    for (Object port : list(service.getOrDefault("ports", List.of()))) {
      if (port instanceof Map<?, ?> m) {
        ports.add(m.get("host_ip") + ":" + m.get("published") + "->" + m.get("target"));
      } else {
        String[] parts = port.toString().split(":");
        ports.add(parts[0] + ":" + parts[1] + "->" + parts[2].replaceFirst("/tcp$", ""));
      }
    }
    return ports;
  }

  private static Set<String> keys(String text) {
    Set<String> keys = new TreeSet<>();
    Matcher m = WAVOICE_KEY.matcher(text);
    while (m.find()) {
      keys.add(m.group());
    }
    return keys;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    assertThat(o).isInstanceOf(Map.class);
    return (Map<String, Object>) o;
  }

  private static List<?> list(Object o) {
    assertThat(o).isInstanceOf(List.class);
    return (List<?>) o;
  }

  private static List<String> strings(Object o) {
    return list(o).stream().map(Object::toString).toList();
  }
}
