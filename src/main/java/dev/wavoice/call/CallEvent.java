package dev.wavoice.call;

import dev.wavoice.CallId;
import dev.wavoice.bridge.TranscriptLine;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A step in a call's life, as the call core publishes it (CDI events in the application): the call
 * record's writer, the metrics and the console's live feed observe them. The core never waits on what an
 * observer does with them beyond handing the event over, and an observer's failure never reaches the call.
 * Events that change the record carry the call's timeline so far, which the record keeps.
 */
public sealed interface CallEvent {

  CallId callId();

  /** The call exists (admitted or refused): the record starts here. */
  record Started(CallId callId, String channel, ActiveCall.Direction direction, String remoteNumber,
      String callerName, String codec, Instant at) implements CallEvent {}

  /** The call's state changed (the console shows it); {@code ENDED} comes as {@link Ended}. */
  record StateChanged(CallId callId, String state) implements CallEvent {}

  /** The call's media runs on this Kurento Media Server. */
  record MediaPlaced(CallId callId, String kmsUrl, List<TimelineEvent> timeline) implements CallEvent {}

  /** The other side has our provisional answer (WhatsApp's {@code pre_accept}); {@code sinceStart} counts from the call's start. */
  record PreAccepted(CallId callId, String channel, Instant at, Duration sinceStart, List<TimelineEvent> timeline)
      implements CallEvent {}

  /** The caller's media connected (ICE and DTLS done). */
  record MediaConnected(CallId callId, Instant at) implements CallEvent {}

  /** The call counts as answered from now ({@code withMedia}: its media had connected by then). */
  record Accepted(CallId callId, String channel, ActiveCall.Direction direction, Instant at, boolean withMedia,
      Duration sinceStart, List<TimelineEvent> timeline) implements CallEvent {}

  /** The agent's first audio went to the caller. */
  record FirstBotAudio(CallId callId, String channel, Instant at, Duration sinceStart, List<TimelineEvent> timeline)
      implements CallEvent {}

  /** A final transcript line, as it is heard. */
  record TranscriptLineHeard(CallId callId, TranscriptLine line) implements CallEvent {}

  /** The transcript so far (at most one a second per call), so a crash keeps what was said. */
  record TranscriptSoFar(CallId callId, List<TranscriptEntry> lines, List<TimelineEvent> timeline) implements CallEvent {}

  /** Something went wrong that the record must show; the call may go on. */
  record Problem(CallId callId, CallProblem problem, List<TimelineEvent> timeline) implements CallEvent {}

  /**
   * The call is over and everything it held is released (media, bridge, slot, the other side told):
   * why, what it used and what was said. The last event of a call.
   */
  record Ended(CallId callId, String channel, Instant at, EndReason reason, String detail, CallUsage usage,
      List<TranscriptEntry> transcript, int bargeIns, String recordingProblem, List<TimelineEvent> timeline)
      implements CallEvent {}
}
