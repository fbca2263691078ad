package dev.wavoice.cluster;

import static dev.wavoice.ConfigValues.text;

import dev.wavoice.call.DatabaseSettings;
import java.util.Optional;
import java.util.function.Function;

/**
 * Whether this wavoice is one member of a cluster ({@code wavoice.cluster.enabled}, default
 * {@code false}: one instance on its own, as Payara Micro runs with {@code --nocluster}). Clustered
 * members share Payara Micro's data grid and one PostgreSQL: the embedded H2 file belongs to one
 * process, so a cluster on it is refused at start, naming {@code wavoice.db.url}.
 */
public record ClusterSettings(boolean enabled) {

  public static final String ENABLED = "wavoice.cluster.enabled";

  public static ClusterSettings from(Function<String, Optional<String>> lookup) {
    String enabled = text(lookup, ENABLED).orElse("false");
    if (!enabled.equals("true") && !enabled.equals("false")) {
      throw new IllegalArgumentException(ENABLED + " must be true or false, was '" + enabled + "'");
    }
    return new ClusterSettings(enabled.equals("true"));
  }

  /** Fails start-up when clustered on a database only this process can open. */
  public void checkDatabase(DatabaseSettings database) {
    if (enabled && database.url().startsWith("jdbc:h2:")) {
      throw new IllegalArgumentException(ENABLED + "=true needs a database every member shares: set "
          + DatabaseSettings.URL + " to a jdbc:postgresql: URL (the embedded H2 file is this instance's alone)");
    }
  }
}
