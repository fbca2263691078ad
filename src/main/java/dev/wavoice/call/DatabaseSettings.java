package dev.wavoice.call;

import static dev.wavoice.ConfigValues.check;
import static dev.wavoice.ConfigValues.number;

import dev.wavoice.ConfigValues;
import dev.wavoice.DataDirectory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Where call records live. By default an embedded H2 database in a file under {@code wavoice.data-dir}
 * (default {@code ./data}), so records survive a restart; {@code wavoice.db.url} (with
 * {@code wavoice.db.user} and {@code wavoice.db.password}) points at PostgreSQL or any other JDBC URL.
 * Writes wait in a queue of at most {@code wavoice.db.max-pending-writes} while the database is away, and
 * get {@code wavoice.db.shutdown-drain-seconds} to land when wavoice stops. When other wavoice instances
 * write the same database ({@code wavoice.cluster.enabled}), records are always read from the database: a
 * copy cached in this process would miss the others' writes.
 */
public record DatabaseSettings(String url, Optional<String> user, Optional<String> password, int maxPendingWrites,
    Duration shutdownDrain, boolean sharedWithOthers) {

  public static final String URL = "wavoice.db.url";
  public static final String USER = "wavoice.db.user";
  public static final String PASSWORD = "wavoice.db.password";
  public static final String MAX_PENDING_WRITES = "wavoice.db.max-pending-writes";
  public static final String SHUTDOWN_DRAIN_SECONDS = "wavoice.db.shutdown-drain-seconds";
  /**
   * Room for a long outage: at 50 live calls, each writing about one change every 2 s (transcript so far,
   * set-up steps), 20,000 writes last over 13 minutes; a pending write holds a few kilobytes at most.
   */
  static final long DEFAULT_MAX_PENDING_WRITES = 20_000;
  static final long DEFAULT_SHUTDOWN_DRAIN_SECONDS = 10;
  /** {@code dev.wavoice.cluster.ClusterSettings#ENABLED}, read here too (records sit below the cluster). */
  static final String CLUSTERED = "wavoice.cluster.enabled";

  public static DatabaseSettings from(Config config) {
    Optional<String> url = ConfigValues.text(config, URL);
    // WRITE_DELAY=0: a commit reaches the file at once (H2 otherwise holds it up to 500 ms), so a crash of
    // the process keeps every committed write — the transcript so far, the last alive mark
    String h2 = "jdbc:h2:file:" + DataDirectory.of(ConfigValues.lookup(config)).resolve("wavoice")
        + ";DB_CLOSE_ON_EXIT=FALSE;TRACE_LEVEL_FILE=0;WRITE_DELAY=0";
    long maxPending = number(ConfigValues.lookup(config), MAX_PENDING_WRITES, DEFAULT_MAX_PENDING_WRITES);
    check(maxPending >= 100 && maxPending <= 10_000_000, MAX_PENDING_WRITES, "100 to 10000000", maxPending);
    long drain = number(ConfigValues.lookup(config), SHUTDOWN_DRAIN_SECONDS, DEFAULT_SHUTDOWN_DRAIN_SECONDS);
    check(drain >= 0 && drain <= 600, SHUTDOWN_DRAIN_SECONDS, "0 to 600", drain);
    DatabaseSettings settings = new DatabaseSettings(
        url.orElse(h2),
        config.getOptionalValue(USER, String.class),
        config.getOptionalValue(PASSWORD, String.class),
        (int) maxPending,
        Duration.ofSeconds(drain),
        config.getOptionalValue(CLUSTERED, String.class).map(String::strip).filter("true"::equals).isPresent());
    settings.driver(); // an unknown kind of database fails here, naming the key, not at the first write
    return settings;
  }

  /** The JDBC driver class for the URL (the drivers for H2 and PostgreSQL ship in the WAR). */
  public String driver() {
    if (url.startsWith("jdbc:h2:")) {
      return "org.h2.Driver";
    }
    if (url.startsWith("jdbc:postgresql:")) {
      return "org.postgresql.Driver";
    }
    throw new IllegalArgumentException(URL + " must be a jdbc:h2: or jdbc:postgresql: URL");
  }

  /** JPA properties for this database; the password stays out of {@link #toString()}. */
  Map<String, Object> jpaProperties() {
    Map<String, Object> properties = new HashMap<>();
    properties.put("jakarta.persistence.jdbc.url", url);
    properties.put("jakarta.persistence.jdbc.driver", driver());
    properties.put("jakarta.persistence.jdbc.user", user.orElse(url.startsWith("jdbc:h2:") ? "sa" : ""));
    properties.put("jakarta.persistence.jdbc.password", password.orElse(""));
    if (sharedWithOthers) {
      // EclipseLink's shared (per-process) cache would serve a record as this instance last saw it
      properties.put("eclipselink.cache.shared.default", "false");
    }
    return properties;
  }

  @Override
  public String toString() {
    return "DatabaseSettings[" + url.replaceAll("password=[^;&]*", "password=***") + ", user=" + user.orElse("") + "]";
  }
}
