package dev.wavoice.call;

import dev.wavoice.media.MediaEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What happened when during one call's set-up and end, for the record: each event once (its first
 * occurrence), in milliseconds since the call started. Used on the call's executor only; the moments are
 * taken where the events happen (Kurento's, the audio plane's threads) and handed in with them.
 * The names are listed in docs/operations.md.
 */
final class CallTimeline {

  static final String PRE_ACCEPT_SENT = "pre_accept_sent";
  static final String ACCEPT_SENT = "accept_sent";
  static final String CONNECT_SENT = "connect_sent";
  static final String ANSWER_RECEIVED = "answer_received";
  static final String ANSWER_SENT = "answer_sent";
  static final String ICE_CHECKING = "ice_checking";
  static final String ICE_CONNECTED = "ice_connected";
  static final String ICE_FAILED = "ice_failed";
  static final String DTLS_CONNECTING = "dtls_connecting";
  static final String DTLS_CONNECTED = "dtls_connected";
  static final String DTLS_FAILED = "dtls_failed";
  static final String MEDIA_ERROR = "media_error";
  static final String MEDIA_CONNECTED = "media_connected";
  static final String FIRST_CALLER_RTP = "first_caller_rtp";
  static final String BRIDGE_STARTED = "bridge_started";
  static final String FIRST_BOT_AUDIO = "first_bot_audio";
  static final String END = "end";

  private final Instant start;
  private final Map<String, Long> firsts = new LinkedHashMap<>();

  CallTimeline(Instant start) {
    this.start = start;
  }

  /** Notes the event at this moment, unless it was noted before. */
  void mark(String event, Instant at) {
    firsts.putIfAbsent(event, Math.max(0, Duration.between(start, at).toMillis()));
  }

  /** The events so far, in the order they happened. */
  List<TimelineEvent> events() {
    List<TimelineEvent> events = new ArrayList<>(firsts.size());
    firsts.forEach((event, atMs) -> events.add(new TimelineEvent(event, atMs)));
    events.sort(Comparator.comparingLong(TimelineEvent::atMs)); // stable: equal times keep the order noted
    return events;
  }

  /** The timeline's name for a media event of the WebRTC leg (the one facing the caller), or null if it has none. */
  static String nameOf(MediaEvent event) {
    if (event.kind() == MediaEvent.Kind.ERROR) {
      return MEDIA_ERROR;
    }
    if (event.leg() != MediaEvent.Leg.WEBRTC) {
      return null;
    }
    return switch (event.kind()) {
      case ICE_COMPONENT -> switch (event.state()) {
        case "CONNECTING" -> ICE_CHECKING;
        case "CONNECTED", "READY" -> ICE_CONNECTED;
        case "FAILED" -> ICE_FAILED;
        default -> null;
      };
      case DTLS -> switch (event.state()) {
        case "CONNECTING" -> DTLS_CONNECTING;
        case "CONNECTED" -> DTLS_CONNECTED;
        case "FAILED" -> DTLS_FAILED;
        default -> null;
      };
      default -> null;
    };
  }
}
