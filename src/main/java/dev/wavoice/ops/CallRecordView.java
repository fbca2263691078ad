package dev.wavoice.ops;

import dev.wavoice.call.CallRecord;
import dev.wavoice.call.CallUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A call record as the admin API returns it; the transcript and the timeline only for one call's record. */
public record CallRecordView(
    String callId,
    String channel,
    String direction,
    String from,
    String to,
    String callerName,
    String codec,
    String outcome,
    String endReason,
    String endDetail,
    Instant startedAt,
    Instant preAcceptedAt,
    Instant acceptedAt,
    Instant firstBotAudioAt,
    Instant endedAt,
    Instant lastAliveAt,
    Long talkTimeMs,
    Boolean mediaAtAccept,
    CallUsage usage,
    long totalTokens,
    int bargeIns,
    String kmsUrl,
    List<String> errors,
    List<Line> transcript,
    List<Step> timeline) {

  /** One transcript line. */
  public record Line(String speaker, Instant at, String text) {}

  /** One timeline event: what, in milliseconds since the call started (the connect webhook's arrival). */
  public record Step(String event, long atMs) {}

  static CallRecordView of(CallRecord r, boolean withTranscript) {
    Duration talk = r.talkTime();
    return new CallRecordView(r.callId(), r.channel(), r.direction(), r.fromNumber(), r.toNumber(), r.callerName(),
        r.codec(), r.outcome().name(), r.endReason() == null ? null : r.endReason().name(), r.endDetail(),
        r.startedAt(), r.preAcceptedAt(), r.acceptedAt(), r.firstBotAudioAt(), r.endedAt(), r.lastAliveAt(),
        talk == null ? null : talk.toMillis(), r.mediaAtAccept(), r.usage(), r.usage().totalTokens(), r.bargeIns(), r.kmsUrl(), r.errors(),
        withTranscript ? r.transcript().stream().map(t -> new Line(t.speaker(), t.at(), t.text())).toList() : List.of(),
        withTranscript ? r.timeline().stream().map(e -> new Step(e.event(), e.atMs())).toList() : List.of());
  }
}
