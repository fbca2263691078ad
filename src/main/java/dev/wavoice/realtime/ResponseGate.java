package dev.wavoice.realtime;

import dev.wavoice.realtime.RealtimeWire.ResponseParams;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * One response at a time: OpenAI refuses a {@code response.create} while a response is active
 * ({@code conversation_already_has_active_response}), so requests wait here until the active one is
 * done. Turn detection may start a response on its own at any moment; a request that lost that race
 * is refused by OpenAI and queued again at the front. Not thread-safe: the session calls it under its
 * lock, and sends what it returns.
 */
final class ResponseGate {

  private final Deque<ResponseParams> queue = new ArrayDeque<>();
  /** The request sent and not yet seen as {@code response.created}. */
  private ResponseParams awaiting;
  private String awaitingEventId;
  /** Requests sent during the current response, by event id, so a refusal can queue them again. */
  private final Map<String, ResponseParams> sent = new HashMap<>();
  private String activeResponseId;

  /** Queues a request; returns the params to send now, or null when it has to wait. */
  ResponseParams request(ResponseParams params) {
    queue.addLast(params);
    return next();
  }

  /** The params to send now (null if busy or nothing waits); the caller then reports the event id with {@link #sent}. */
  ResponseParams next() {
    if (awaiting != null || activeResponseId != null || queue.isEmpty()) {
      return null;
    }
    awaiting = queue.pollFirst();
    return awaiting;
  }

  /** The event id the request returned by {@link #next()} was sent with (null: it could not be sent). */
  void sent(ResponseParams params, String eventId) {
    if (eventId == null) {
      if (awaiting == params) {
        awaiting = null;
      }
      return;
    }
    awaitingEventId = eventId;
    sent.put(eventId, params);
  }

  void created(String responseId) {
    activeResponseId = responseId;
    // whether this is ours or one turn detection made, our request is no longer pending
    awaiting = null;
    awaitingEventId = null;
  }

  void done(String responseId) {
    if (responseId != null && responseId.equals(activeResponseId)) {
      activeResponseId = null;
      sent.clear();
    }
  }

  /**
   * An {@code error} arrived; if it names a request of ours, that request is queued again (active
   * response) or dropped (any other refusal). Returns true when the error was about a request.
   */
  boolean refused(String eventId, String code) {
    if (eventId == null) {
      return false;
    }
    ResponseParams params = sent.remove(eventId);
    if (params == null) {
      return false;
    }
    if (eventId.equals(awaitingEventId)) {
      awaiting = null;
      awaitingEventId = null;
    }
    if (RealtimeErrors.ACTIVE_RESPONSE.equals(code)) {
      queue.addFirst(params);
    }
    return true;
  }

  boolean idle() {
    return awaiting == null && activeResponseId == null && queue.isEmpty();
  }

  int waiting() {
    return queue.size();
  }

  /** A new connection starts with nothing active; waiting requests stay queued. */
  void reset() {
    if (awaiting != null) {
      queue.addFirst(awaiting);
    }
    awaiting = null;
    awaitingEventId = null;
    activeResponseId = null;
    sent.clear();
  }
}
