package dev.wavoice.call;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The record of one call: who, when (webhook received, pre_accept, accept, first bot audio, end), how
 * it ended and why, the codec, OpenAI usage and its estimated cost, errors, the transcript, whether media
 * was connected when the call was accepted and the set-up timeline. Written when the call starts, updated
 * at its main steps and completed when it ends.
 */
@Entity
@Table(name = "call_record", indexes = @Index(name = "call_record_started", columnList = "started_at"))
public class CallRecord {

  @Id
  @Column(name = "call_id", length = 200)
  private String callId;

  @Column(name = "channel", length = 16, nullable = false)
  private String channel;

  @Column(name = "direction", length = 16, nullable = false)
  private String direction;

  @Column(name = "from_number", length = 64)
  private String fromNumber;

  @Column(name = "to_number", length = 64)
  private String toNumber;

  @Column(name = "caller_name", length = 256)
  private String callerName;

  @Column(name = "codec", length = 16)
  private String codec;

  @Column(name = "kms_url", length = 512)
  private String kmsUrl;

  @Enumerated(EnumType.STRING)
  @Column(name = "outcome", length = 16, nullable = false)
  private CallOutcome outcome = CallOutcome.IN_PROGRESS;

  @Enumerated(EnumType.STRING)
  @Column(name = "end_reason", length = 32)
  private EndReason endReason;

  @Column(name = "end_detail", length = 2000)
  private String endDetail;

  @Column(name = "started_at", nullable = false)
  private Instant startedAt;

  @Column(name = "pre_accepted_at")
  private Instant preAcceptedAt;

  @Column(name = "accepted_at")
  private Instant acceptedAt;

  @Column(name = "first_bot_audio_at")
  private Instant firstBotAudioAt;

  @Column(name = "ended_at")
  private Instant endedAt;

  /** Set by a periodic sweep while the call is live: a crash leaves the record's end at about this moment. */
  @Column(name = "last_alive_at")
  private Instant lastAliveAt;

  /** The wavoice instance ({@code wavoice.kurento.instance-tag}) that runs the call: only it closes the record after a crash. */
  @Column(name = "instance_tag", length = 128)
  private String instance;

  /** Meta's error on this call (a terminate webhook's, or a refused call action's): code, subcode, {@code error_data.details}. */
  @Column(name = "meta_error_code")
  private Long metaErrorCode;

  @Column(name = "meta_error_subcode")
  private Long metaErrorSubcode;

  @Column(name = "meta_error_details", length = 2000)
  private String metaErrorDetails;

  @Column(name = "input_text_tokens")
  private long inputTextTokens;

  @Column(name = "input_audio_tokens")
  private long inputAudioTokens;

  @Column(name = "input_cached_tokens")
  private long inputCachedTokens;

  @Column(name = "output_text_tokens")
  private long outputTextTokens;

  @Column(name = "output_audio_tokens")
  private long outputAudioTokens;

  @Column(name = "estimated_cost_usd")
  private double estimatedCostUsd;

  @Column(name = "barge_ins")
  private int bargeIns;

  /** Null until the call is accepted; false when it was accepted before its media connected. */
  @Column(name = "media_at_accept")
  private Boolean mediaAtAccept;

  @ElementCollection(fetch = FetchType.EAGER)
  @CollectionTable(name = "call_error", joinColumns = @JoinColumn(name = "call_id"))
  @OrderColumn(name = "position")
  @Column(name = "error", length = 2000)
  private List<String> errors = new ArrayList<>();

  @ElementCollection(fetch = FetchType.EAGER)
  @CollectionTable(name = "call_transcript", joinColumns = @JoinColumn(name = "call_id"))
  @OrderColumn(name = "position")
  private List<TranscriptEntry> transcript = new ArrayList<>();

  @ElementCollection(fetch = FetchType.EAGER)
  @CollectionTable(name = "call_timeline", joinColumns = @JoinColumn(name = "call_id"))
  @OrderColumn(name = "position")
  private List<TimelineEvent> timeline = new ArrayList<>();

  protected CallRecord() {}

  public CallRecord(String callId, String channel, String direction, String fromNumber, String toNumber,
      String callerName, String codec, Instant startedAt) {
    this.callId = Objects.requireNonNull(callId, "callId");
    this.channel = Objects.requireNonNull(channel, "channel");
    this.direction = Objects.requireNonNull(direction, "direction");
    this.fromNumber = fromNumber;
    this.toNumber = toNumber;
    this.callerName = callerName;
    this.codec = codec;
    this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
  }

  /** The instance writing this record; set once, when it is first written. */
  public void instance(String tag) {
    if (instance == null) {
      instance = tag;
    }
  }

  /** The transcript so far, while the call is live (the end replaces it with the complete one). */
  public void transcriptSoFar(List<TranscriptEntry> lines) {
    if (outcome == CallOutcome.IN_PROGRESS && lines.size() > transcript.size()) {
      transcript.addAll(lines.subList(transcript.size(), lines.size()));
    }
  }

  /**
   * The latest moment this record shows the call alive: the sweep's mark, or a later step or transcript
   * line written after it.
   */
  public Instant lastKnownAlive() {
    Instant latest = startedAt;
    List<Instant> seen = new ArrayList<>();
    seen.add(preAcceptedAt);
    seen.add(acceptedAt);
    seen.add(firstBotAudioAt);
    seen.add(lastAliveAt);
    transcript.forEach(t -> seen.add(t.at()));
    timeline.forEach(e -> seen.add(startedAt.plusMillis(e.atMs())));
    for (Instant at : seen) {
      if (at != null && at.isAfter(latest)) {
        latest = at;
      }
    }
    return latest;
  }

  /** Closes the record of a call whose process died: {@link EndReason#INTERRUPTED} at the last moment it was known alive. */
  public void interrupted(String detail) {
    if (outcome != CallOutcome.IN_PROGRESS) {
      return;
    }
    endedAt = lastKnownAlive();
    endReason = EndReason.INTERRUPTED;
    outcome = EndReason.INTERRUPTED.outcome();
    endDetail = detail;
  }

  public void preAccepted(Instant at) {
    preAcceptedAt = at;
  }

  /** The call was answered (WhatsApp: {@code accept} sent), with or without its media connected. */
  public void accepted(Instant at, boolean withMedia) {
    acceptedAt = at;
    mediaAtAccept = withMedia;
  }

  /** Replaces the timeline with the call's events so far. */
  public void timeline(List<TimelineEvent> events) {
    timeline.clear();
    timeline.addAll(events);
  }

  public void firstBotAudio(Instant at) {
    if (firstBotAudioAt == null) {
      firstBotAudioAt = at;
    }
  }

  public void onKms(String url) {
    kmsUrl = url;
  }

  /** Meta's error that ended or marked this call; the first one is kept (later ones follow from it). */
  public void metaError(long code, Long subcode, String details) {
    if (metaErrorCode == null) {
      metaErrorCode = code;
      metaErrorSubcode = subcode;
      metaErrorDetails = details == null ? null : details.length() > 2000 ? details.substring(0, 2000) : details;
    }
  }

  public void addError(String error) {
    errors.add(error.length() > 2000 ? error.substring(0, 2000) : error);
  }

  /** Completes the record: outcome from the reason, detail, usage, transcript. */
  public void ended(Instant at, EndReason reason, String detail, CallUsage usage, List<TranscriptEntry> lines, int bargeIns) {
    endedAt = at;
    endReason = reason;
    outcome = reason.outcome();
    endDetail = detail == null ? null : detail.length() > 2000 ? detail.substring(0, 2000) : detail;
    if (usage != null) {
      inputTextTokens = usage.inputTextTokens();
      inputAudioTokens = usage.inputAudioTokens();
      inputCachedTokens = usage.inputCachedTokens();
      outputTextTokens = usage.outputTextTokens();
      outputAudioTokens = usage.outputAudioTokens();
      estimatedCostUsd = usage.estimatedCostUsd();
    }
    transcript.clear();
    if (lines != null) {
      transcript.addAll(lines);
    }
    this.bargeIns = bargeIns;
  }

  public String callId() { return callId; }
  public String channel() { return channel; }
  public String direction() { return direction; }
  public String fromNumber() { return fromNumber; }
  public String toNumber() { return toNumber; }
  public String callerName() { return callerName; }
  public String codec() { return codec; }
  public String kmsUrl() { return kmsUrl; }
  public CallOutcome outcome() { return outcome; }
  public EndReason endReason() { return endReason; }
  public String endDetail() { return endDetail; }
  public Instant startedAt() { return startedAt; }
  public Instant preAcceptedAt() { return preAcceptedAt; }
  public Instant acceptedAt() { return acceptedAt; }
  public Instant firstBotAudioAt() { return firstBotAudioAt; }
  public Instant endedAt() { return endedAt; }
  public Instant lastAliveAt() { return lastAliveAt; }
  public String instance() { return instance; }
  public int bargeIns() { return bargeIns; }
  public Boolean mediaAtAccept() { return mediaAtAccept; }
  public List<TimelineEvent> timeline() { return List.copyOf(timeline); }
  public Long metaErrorCode() { return metaErrorCode; }
  public Long metaErrorSubcode() { return metaErrorSubcode; }
  public String metaErrorDetails() { return metaErrorDetails; }
  public List<String> errors() { return List.copyOf(errors); }
  public List<TranscriptEntry> transcript() { return List.copyOf(transcript); }

  public CallUsage usage() {
    return new CallUsage(inputTextTokens, inputAudioTokens, inputCachedTokens, outputTextTokens, outputAudioTokens, estimatedCostUsd);
  }

  /** From accept to end, or null when the call was never answered. */
  public Duration talkTime() {
    return acceptedAt == null || endedAt == null ? null : Duration.between(acceptedAt, endedAt);
  }
}
