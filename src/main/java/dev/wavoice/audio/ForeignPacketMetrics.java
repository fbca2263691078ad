package dev.wavoice.audio;

import dev.wavoice.RegisteredMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.Map;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.Tag;

/**
 * {@code wavoice_rtp_foreign_packets_dropped_total{reason}} at {@code /metrics}: datagrams the RTP leg
 * dropped because they did not come from the call's RtpEndpoint. Every reason exists from the start at 0,
 * so a dashboard's increase() sees the first one.
 */
@ApplicationScoped
public class ForeignPacketMetrics implements ForeignPackets {

  static final String NAME = "wavoice_rtp_foreign_packets_dropped";

  private final Map<Reason, Counter> counters = new EnumMap<>(Reason.class);

  protected ForeignPacketMetrics() {}

  @Inject
  public ForeignPacketMetrics(RegisteredMetrics registry) {
    Metadata metadata = Metadata.builder().withName(NAME)
        .withDescription("datagrams on a call's RTP or RTCP port dropped for not coming from its RtpEndpoint, by reason").build();
    for (Reason reason : Reason.values()) {
      counters.put(reason, registry.counter(metadata, new Tag("reason", reason.tag())));
    }
  }

  /** Made at start rather than at the first drop, so that the counters are exported from the start. */
  void onStart(@Observes @Initialized(ApplicationScoped.class) Object started) {}

  @Override
  public void dropped(Reason reason) {
    counters.get(reason).inc();
  }
}
