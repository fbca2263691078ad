package dev.wavoice.ops;

import dev.wavoice.AppExecutors;
import dev.wavoice.ConfigValues;
import dev.wavoice.media.KurentoLifecycle;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * One short block in the log at start-up that tells a newcomer what to do next: where the console is,
 * where the admin token is (never the token), what is missing for calls, and — when Kurento is not
 * reachable — the one command that starts it. Logged once Kurento's first connection attempt has an
 * outcome (at most {@link #KURENTO_WAIT_MS} after start), so "not reachable" is a fact, not a guess.
 */
@ApplicationScoped
public class StartupSummary {

  static final long KURENTO_WAIT_MS = 10_000;
  private static final long POLL_MS = 250;
  private static final Logger LOG = Logger.getLogger(StartupSummary.class.getName());

  @Resource(lookup = AppExecutors.TIMERS) private ManagedScheduledExecutorService scheduler;

  private Config config;
  private AdminToken token;
  private ReadinessFacts facts;
  private KurentoLifecycle kurento;

  protected StartupSummary() {}

  @Inject
  public StartupSummary(Config config, AdminToken token, ReadinessFacts facts, KurentoLifecycle kurento) {
    this.config = config;
    this.token = token;
    this.facts = facts;
    this.kurento = kurento;
  }

  void onStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
    String contextPath = started instanceof ServletContext context ? context.getContextPath() : "";
    AdminToken.Source source = token.source(); // generates the token now, not at the first request
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(KURENTO_WAIT_MS);
    scheduler.schedule(() -> logWhenKurentoKnown(contextPath, source, deadline), 0, TimeUnit.MILLISECONDS);
  }

  private void logWhenKurentoKnown(String contextPath, AdminToken.Source source, long deadline) {
    boolean known = kurento.configProblem() != null
        || kurento.status().stream().allMatch(k -> k.connected() || !k.problem().isEmpty());
    if (!known && System.nanoTime() < deadline) {
      scheduler.schedule(() -> logWhenKurentoKnown(contextPath, source, deadline), POLL_MS, TimeUnit.MILLISECONDS);
      return;
    }
    try {
      LOG.info(String.join("\n", block(contextPath, source, facts.now())));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "the start-up summary failed", e);
    }
  }

  List<String> block(String contextPath, AdminToken.Source source, ReadinessFacts.Status status) {
    List<String> lines = new ArrayList<>();
    lines.add("wavoice is running.");
    Optional<String> publicUrl = ConfigValues.text(config, "wavoice.public-url");
    String local = localUrl(contextPath);
    lines.add("  console:     " + local + publicUrl.map(p -> " (public: " + p + ")").orElse(""));
    if (source.configured()) {
      lines.add("  admin token: " + AdminToken.KEY + " (configured)");
    } else if (source.problem().isPresent()) {
      lines.add("  admin token: NONE — set " + AdminToken.KEY + " (" + source.file().map(Object::toString).orElse("?")
          + " could not be used)");
    } else {
      lines.add("  admin token: " + (source.generatedNow() ? "generated at this first start, " : "") + "in "
          + source.file().map(Object::toString).orElse("?") + " (set " + AdminToken.KEY + " to choose your own)");
    }
    if (status.ready()) {
      lines.add("  ready for calls.");
    } else {
      lines.add("  not ready for calls:");
      for (ReadinessFacts.Fact fact : status.notReady()) {
        lines.add("    - " + fact.what() + ": " + fact.fix() + " (" + fact.docs() + ")");
      }
    }
    lines.add("  more: docs/operations.md (first run), GET /api/doctor (the setup with Meta)");
    return lines;
  }

  /** Payara Micro knows its HTTP port; elsewhere the block names the path only. */
  private static String localUrl(String contextPath) {
    String path = (contextPath == null ? "" : contextPath) + "/";
    try {
      Class<?> micro = Class.forName("fish.payara.micro.PayaraMicro");
      Object instance = micro.getMethod("getInstance").invoke(null);
      Object port = micro.getMethod("getHttpPort").invoke(instance);
      if (port instanceof Integer p && p > 0) {
        return "http://localhost:" + p + path;
      }
    } catch (ReflectiveOperationException | LinkageError | RuntimeException notMicro) {
      // another server: the path is still right
    }
    return path + " on this server's HTTP port";
  }
}
