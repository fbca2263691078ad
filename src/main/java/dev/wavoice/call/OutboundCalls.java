package dev.wavoice.call;

import dev.wavoice.AppExecutors;
import dev.wavoice.ConfigValues;
import dev.wavoice.whatsapp.CallPermissionReplyReceived;
import dev.wavoice.whatsapp.GraphApi;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Business-initiated call requests in the application: {@link PermissionFirstDialer} with the orchestrator as
 * dialer, fed with the permission replies the webhook dispatches.
 */
@ApplicationScoped
public class OutboundCalls {

  public static final String REPLY_TIMEOUT_SECONDS = "wavoice.calls.permission-reply-timeout-seconds";
  public static final String REQUEST_TEXT = "wavoice.calls.permission-request-text";

  @Resource(lookup = AppExecutors.TIMERS) private ManagedScheduledExecutorService scheduler;

  private GraphApi graph;
  private CallOrchestrator calls;
  private Config config;
  private Clock clock;
  private PermissionFirstDialer requests;

  protected OutboundCalls() {}

  @Inject
  public OutboundCalls(GraphApi graph, CallOrchestrator calls, Config config, Clock clock) {
    this.graph = graph;
    this.calls = calls;
    this.config = config;
    this.clock = clock;
  }

  @PostConstruct
  void init() {
    PermissionFirstDialer.Settings settings = new PermissionFirstDialer.Settings(
        Duration.ofSeconds(ConfigValues.atLeast(ConfigValues.lookup(config), REPLY_TIMEOUT_SECONDS, 900, 1)),
        ConfigValues.text(config, REQUEST_TEXT).orElse("May we call you on WhatsApp?"),
        1000);
    requests = new PermissionFirstDialer(graph, calls::dial, clock, scheduler, settings);
  }

  /** Creates the dialer at deploy, so a bad setting fails the deploy naming its key. */
  void checkAtDeploy(@Observes @Initialized(ApplicationScoped.class) Object started) {
    requests.recent();
  }

  /** @see PermissionFirstDialer#submit */
  public OutboundCallRequest submit(String to, String bizOpaqueCallbackData, String requestText) {
    return requests.submit(to, bizOpaqueCallbackData, requestText);
  }

  public Optional<OutboundCallRequest> find(String id) {
    return requests.find(id);
  }

  public List<OutboundCallRequest> recent() {
    return requests.recent();
  }

  void onPermissionReply(@ObservesAsync CallPermissionReplyReceived event) {
    requests.onReply(event);
  }
}
