package dev.wavoice.realtime;

import dev.wavoice.realtime.RealtimeWire.ContentPart;
import dev.wavoice.realtime.RealtimeWire.ErrorInfo;
import dev.wavoice.realtime.RealtimeWire.Item;
import dev.wavoice.realtime.RealtimeWire.RateLimit;
import dev.wavoice.realtime.RealtimeWire.Response;
import dev.wavoice.realtime.RealtimeWire.Session;
import dev.wavoice.realtime.RealtimeWire.TranscriptionUsage;
import java.util.List;
import java.util.Map;

/**
 * The events OpenAI Realtime (GA) sends over the WebSocket, as JSON-B records. {@link #TYPES} maps each
 * wire {@code type} to its record; a type not in it is logged at debug and ignored.
 */
public sealed interface ServerEvent {

  record SessionCreated(String eventId, Session session) implements ServerEvent {}

  record SessionUpdated(String eventId, Session session) implements ServerEvent {}

  record ErrorEvent(String eventId, ErrorInfo error) implements ServerEvent {}

  record RateLimitsUpdated(String eventId, List<RateLimit> rateLimits) implements ServerEvent {}

  record ConversationCreated(String eventId) implements ServerEvent {}

  record ConversationItemAdded(String eventId, String previousItemId, Item item) implements ServerEvent {}

  record ConversationItemCreated(String eventId, String previousItemId, Item item) implements ServerEvent {}

  record ConversationItemDone(String eventId, String previousItemId, Item item) implements ServerEvent {}

  record ConversationItemDeleted(String eventId, String itemId) implements ServerEvent {}

  record ConversationItemRetrieved(String eventId, Item item) implements ServerEvent {}

  record ConversationItemTruncated(String eventId, String itemId, int contentIndex, int audioEndMs) implements ServerEvent {}

  record InputTranscriptionDelta(String eventId, String itemId, Integer contentIndex, String delta) implements ServerEvent {}

  record InputTranscriptionCompleted(
      String eventId, String itemId, int contentIndex, String transcript, TranscriptionUsage usage) implements ServerEvent {}

  record InputTranscriptionFailed(String eventId, String itemId, int contentIndex, ErrorInfo error) implements ServerEvent {}

  record InputTranscriptionSegment(String eventId, String itemId, String text) implements ServerEvent {}

  /** Barge-in trigger; {@code audio_start_ms} is on the input timeline and includes the prefix padding. */
  record SpeechStarted(String eventId, int audioStartMs, String itemId) implements ServerEvent {}

  record SpeechStopped(String eventId, int audioEndMs, String itemId) implements ServerEvent {}

  record InputAudioCommitted(String eventId, String previousItemId, String itemId) implements ServerEvent {}

  record InputAudioCleared(String eventId) implements ServerEvent {}

  record InputAudioTimeoutTriggered(String eventId, int audioStartMs, int audioEndMs, String itemId) implements ServerEvent {}

  /** SIP only; listed so it is recognised, never expected over WebSocket. */
  record DtmfEventReceived(String event, Long receivedAt) implements ServerEvent {}

  record ResponseCreated(String eventId, Response response) implements ServerEvent {}

  record ResponseDone(String eventId, Response response) implements ServerEvent {}

  record OutputItemAdded(String eventId, String responseId, int outputIndex, Item item) implements ServerEvent {}

  record OutputItemDone(String eventId, String responseId, int outputIndex, Item item) implements ServerEvent {}

  record ContentPartAdded(
      String eventId, String responseId, String itemId, int outputIndex, int contentIndex, ContentPart part)
      implements ServerEvent {}

  record ContentPartDone(
      String eventId, String responseId, String itemId, int outputIndex, int contentIndex, ContentPart part)
      implements ServerEvent {}

  /** Bot audio, base64 in the session's output format, faster than real time and of varying length. */
  record OutputAudioDelta(
      String eventId, String responseId, String itemId, int outputIndex, int contentIndex, String delta)
      implements ServerEvent {
    @Override
    public String toString() {
      return "OutputAudioDelta[responseId=" + responseId + ", itemId=" + itemId + ", base64Chars="
          + (delta == null ? 0 : delta.length()) + "]";
    }
  }

  record OutputAudioDone(String eventId, String responseId, String itemId, int outputIndex, int contentIndex)
      implements ServerEvent {}

  record OutputAudioTranscriptDelta(
      String eventId, String responseId, String itemId, int outputIndex, int contentIndex, String delta)
      implements ServerEvent {}

  record OutputAudioTranscriptDone(
      String eventId, String responseId, String itemId, int outputIndex, int contentIndex, String transcript)
      implements ServerEvent {}

  record OutputTextDelta(
      String eventId, String responseId, String itemId, int outputIndex, int contentIndex, String delta)
      implements ServerEvent {}

  record OutputTextDone(String eventId, String responseId, String itemId, int outputIndex, int contentIndex, String text)
      implements ServerEvent {}

  /** Also sent for cancelled and incomplete responses: run tools only after a completed {@code response.done}. */
  record FunctionCallArgumentsDelta(
      String eventId, String responseId, String itemId, int outputIndex, String callId, String delta)
      implements ServerEvent {}

  record FunctionCallArgumentsDone(
      String eventId, String responseId, String itemId, int outputIndex, String callId, String name, String arguments)
      implements ServerEvent {}

  /** WebRTC and SIP only; listed so they are recognised. */
  record OutputAudioBufferStarted(String eventId, String responseId) implements ServerEvent {}

  record OutputAudioBufferStopped(String eventId, String responseId) implements ServerEvent {}

  record OutputAudioBufferCleared(String eventId, String responseId) implements ServerEvent {}

  Map<String, Class<? extends ServerEvent>> TYPES =
      Map.ofEntries(
          Map.entry("session.created", SessionCreated.class),
          Map.entry("session.updated", SessionUpdated.class),
          Map.entry("error", ErrorEvent.class),
          Map.entry("rate_limits.updated", RateLimitsUpdated.class),
          Map.entry("conversation.created", ConversationCreated.class),
          Map.entry("conversation.item.added", ConversationItemAdded.class),
          Map.entry("conversation.item.created", ConversationItemCreated.class),
          Map.entry("conversation.item.done", ConversationItemDone.class),
          Map.entry("conversation.item.deleted", ConversationItemDeleted.class),
          Map.entry("conversation.item.retrieved", ConversationItemRetrieved.class),
          Map.entry("conversation.item.truncated", ConversationItemTruncated.class),
          Map.entry("conversation.item.input_audio_transcription.delta", InputTranscriptionDelta.class),
          Map.entry("conversation.item.input_audio_transcription.completed", InputTranscriptionCompleted.class),
          Map.entry("conversation.item.input_audio_transcription.failed", InputTranscriptionFailed.class),
          Map.entry("conversation.item.input_audio_transcription.segment", InputTranscriptionSegment.class),
          Map.entry("input_audio_buffer.speech_started", SpeechStarted.class),
          Map.entry("input_audio_buffer.speech_stopped", SpeechStopped.class),
          Map.entry("input_audio_buffer.committed", InputAudioCommitted.class),
          Map.entry("input_audio_buffer.cleared", InputAudioCleared.class),
          Map.entry("input_audio_buffer.timeout_triggered", InputAudioTimeoutTriggered.class),
          Map.entry("input_audio_buffer.dtmf_event_received", DtmfEventReceived.class),
          Map.entry("response.created", ResponseCreated.class),
          Map.entry("response.done", ResponseDone.class),
          Map.entry("response.output_item.added", OutputItemAdded.class),
          Map.entry("response.output_item.done", OutputItemDone.class),
          Map.entry("response.content_part.added", ContentPartAdded.class),
          Map.entry("response.content_part.done", ContentPartDone.class),
          Map.entry("response.output_audio.delta", OutputAudioDelta.class),
          Map.entry("response.output_audio.done", OutputAudioDone.class),
          Map.entry("response.output_audio_transcript.delta", OutputAudioTranscriptDelta.class),
          Map.entry("response.output_audio_transcript.done", OutputAudioTranscriptDone.class),
          Map.entry("response.output_text.delta", OutputTextDelta.class),
          Map.entry("response.output_text.done", OutputTextDone.class),
          Map.entry("response.function_call_arguments.delta", FunctionCallArgumentsDelta.class),
          Map.entry("response.function_call_arguments.done", FunctionCallArgumentsDone.class),
          Map.entry("output_audio_buffer.started", OutputAudioBufferStarted.class),
          Map.entry("output_audio_buffer.stopped", OutputAudioBufferStopped.class),
          Map.entry("output_audio_buffer.cleared", OutputAudioBufferCleared.class));
}
