package dev.wavoice.cluster;

import com.hazelcast.core.HazelcastInstance;
import dev.wavoice.ConfigValues;
import dev.wavoice.call.DatabaseSettings;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.eclipse.microprofile.config.Config;

/**
 * The data grid this member shares with the others: Payara Micro's own Hazelcast, looked up at JNDI
 * {@value #JNDI} when {@code wavoice.cluster.enabled} is true (absent otherwise). Fails start-up when
 * clustering is asked for on the embedded H2 file or when Payara Micro runs without its grid
 * ({@code --nocluster}).
 */
@ApplicationScoped
public class Grid {

  /** Where Payara Micro binds its Hazelcast instance. */
  static final String JNDI = "payara/Hazelcast";
  private static final Logger LOG = Logger.getLogger(Grid.class.getName());

  private Config config;
  private ClusterSettings settings;
  private HazelcastInstance hazelcast;

  protected Grid() {}

  @Inject
  public Grid(Config config) {
    this.config = config;
  }

  @PostConstruct
  void init() {
    settings = ClusterSettings.from(ConfigValues.lookup(config));
    if (!settings.enabled()) {
      return;
    }
    settings.checkDatabase(DatabaseSettings.from(config));
    hazelcast = lookup();
    LOG.info(() -> "clustered: member " + localMember() + " of " + hazelcast.getCluster().getMembers().size()
        + " in the data grid '" + hazelcast.getConfig().getClusterName() + "'");
  }

  /** Application start: look the grid up now, so a wrong setting fails start-up instead of the first call. */
  void onStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
    // the observer alone makes the container create this bean at start
  }

  private static HazelcastInstance lookup() {
    try {
      Object found = new InitialContext().lookup(JNDI);
      if (found instanceof HazelcastInstance instance && instance.getLifecycleService().isRunning()) {
        return instance;
      }
      throw new IllegalArgumentException(ClusterSettings.ENABLED + "=true, but Payara Micro's data grid is not running"
          + " (start it without --nocluster, with --clustername and --clustermode)");
    } catch (NamingException e) {
      throw new IllegalArgumentException(ClusterSettings.ENABLED + "=true, but Payara Micro's data grid is not at "
          + JNDI + " (start it without --nocluster, with --clustername and --clustermode): " + e.getMessage(), e);
    }
  }

  public boolean clustered() {
    return hazelcast != null;
  }

  /** The grid, when clustered. */
  public Optional<HazelcastInstance> hazelcast() {
    return Optional.ofNullable(hazelcast);
  }

  /** True when {@code member} is in the grid now. */
  public boolean isMember(String member) {
    return hazelcast != null && hazelcast.getCluster().getMembers().stream().anyMatch(m -> m.getUuid().toString().equals(member));
  }

  /** This member's id in the grid; {@code "local"} when not clustered. */
  public String localMember() {
    return hazelcast == null ? "local" : hazelcast.getCluster().getLocalMember().getUuid().toString();
  }
}
