package dev.wavoice.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.media.MediaEvent;
import dev.wavoice.media.MediaEvent.Kind;
import dev.wavoice.media.MediaEvent.Leg;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A call's timeline: each event once, at its first occurrence, in time order; Kurento's events named. */
class CallTimelineTest {

  private static final Instant START = Instant.parse("2026-01-05T10:00:00Z");

  @Test
  void eachEventIsNotedOnceInTheOrderItHappened() {
    CallTimeline timeline = new CallTimeline(START);
    timeline.mark(CallTimeline.PRE_ACCEPT_SENT, START.plusMillis(300));
    timeline.mark(CallTimeline.ICE_CONNECTED, START.plusMillis(120)); // noted later than it happened
    timeline.mark(CallTimeline.ICE_CONNECTED, START.plusMillis(500)); // again: the first counts
    timeline.mark(CallTimeline.END, START.plusMillis(900));
    assertThat(timeline.events()).extracting(TimelineEvent::event, TimelineEvent::atMs).containsExactly(
        org.assertj.core.groups.Tuple.tuple("ice_connected", 120L),
        org.assertj.core.groups.Tuple.tuple("pre_accept_sent", 300L),
        org.assertj.core.groups.Tuple.tuple("end", 900L));
  }

  @Test
  void kurentoEventsOfTheCallersLegAreNamed() {
    assertThat(CallTimeline.nameOf(new MediaEvent(Leg.WEBRTC, Kind.ICE_COMPONENT, "CONNECTING", "component 1"))).isEqualTo("ice_checking");
    assertThat(CallTimeline.nameOf(new MediaEvent(Leg.WEBRTC, Kind.ICE_COMPONENT, "READY", "component 1"))).isEqualTo("ice_connected");
    assertThat(CallTimeline.nameOf(new MediaEvent(Leg.WEBRTC, Kind.ICE_COMPONENT, "FAILED", "component 1"))).isEqualTo("ice_failed");
    assertThat(CallTimeline.nameOf(new MediaEvent(Leg.WEBRTC, Kind.DTLS, "CONNECTED", "component x"))).isEqualTo("dtls_connected");
    assertThat(CallTimeline.nameOf(new MediaEvent(Leg.RTP, Kind.ERROR, "X", "y"))).isEqualTo("media_error");
    assertThat(CallTimeline.nameOf(new MediaEvent(Leg.WEBRTC, Kind.ICE_COMPONENT, "GATHERING", "component 1"))).isNull();
    assertThat(CallTimeline.nameOf(new MediaEvent(Leg.RTP, Kind.MEDIA_FLOW_IN, "FLOWING", "AUDIO"))).isNull();
  }
}
