package dev.wavoice.realtime;

import dev.wavoice.realtime.RealtimeWire.Item;
import dev.wavoice.realtime.RealtimeWire.ResponseParams;
import dev.wavoice.realtime.RealtimeWire.Session;

/**
 * The events wavoice sends to OpenAI Realtime (GA), as JSON-B records. Each carries an {@code event_id}
 * of ours, so that an {@code error} naming it can be traced back to what caused it.
 */
public sealed interface ClientEvent {

  String type();

  String eventId();

  record SessionUpdate(String type, String eventId, Session session) implements ClientEvent {
    public SessionUpdate(String eventId, Session session) {
      this("session.update", eventId, session);
    }
  }

  /** Caller audio, base64, in the session's input format. OpenAI does not acknowledge it. */
  record InputAudioBufferAppend(String type, String eventId, String audio) implements ClientEvent {
    public InputAudioBufferAppend(String eventId, String audio) {
      this("input_audio_buffer.append", eventId, audio);
    }

    @Override
    public String toString() {
      // caller audio is never logged
      return "InputAudioBufferAppend[eventId=" + eventId + ", base64Chars=" + (audio == null ? 0 : audio.length()) + "]";
    }
  }

  record ConversationItemCreate(String type, String eventId, String previousItemId, Item item) implements ClientEvent {
    public ConversationItemCreate(String eventId, Item item) {
      this("conversation.item.create", eventId, null, item);
    }
  }

  /** Cuts the unplayed part of an assistant audio item; {@code audio_end_ms} is what the caller heard. */
  record ConversationItemTruncate(String type, String eventId, String itemId, int contentIndex, int audioEndMs)
      implements ClientEvent {
    public ConversationItemTruncate(String eventId, String itemId, int contentIndex, int audioEndMs) {
      this("conversation.item.truncate", eventId, itemId, contentIndex, audioEndMs);
    }
  }

  record ResponseCreate(String type, String eventId, ResponseParams response) implements ClientEvent {
    public ResponseCreate(String eventId, ResponseParams response) {
      this("response.create", eventId, response);
    }
  }

  record ResponseCancel(String type, String eventId, String responseId) implements ClientEvent {
    public ResponseCancel(String eventId, String responseId) {
      this("response.cancel", eventId, responseId);
    }
  }
}
