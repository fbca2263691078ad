package dev.wavoice.bridge;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The conversation of one call as the caller lived it. Caller lines come from the input transcription
 * and are dated when the caller began to speak ({@code speech_started}). Bot lines come from the output
 * transcript and are dated when their audio began to play on the call; a bot line is final only once
 * its audio has finished playing or was cut (barge-in, end of the call), because only then is it known
 * whether the caller heard all of it. Bot audio that never reached the wire leaves no line: the caller
 * never heard it.
 *
 * <p>Events come from several threads (WebSocket, pacer hand-off, the call layer's close) and in any
 * order; each method returns the lines that became final with it.
 */
final class Transcript {

  /** Caller items whose transcript has not come yet; older ones are forgotten beyond this. */
  private static final int MAX_PENDING_CALLER = 64;

  private static final class BotLine {
    String text;
    Instant startedAt;
    boolean finished;
    boolean interrupted;
  }

  private final List<TranscriptLine> lines = new ArrayList<>();
  private final Map<String, Instant> callerStarts = new LinkedHashMap<>();
  private final Map<String, BotLine> bot = new LinkedHashMap<>();
  private boolean closed;

  /** {@code speech_started} of the caller's item {@code itemId}. */
  synchronized void callerSpeechStarted(String itemId, Instant at) {
    if (itemId == null || closed) {
      return;
    }
    callerStarts.putIfAbsent(itemId, at);
    if (callerStarts.size() > MAX_PENDING_CALLER) {
      Iterator<String> oldest = callerStarts.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
  }

  /** The caller's words of item {@code itemId}; dated when they began to speak, else {@code now}. */
  synchronized List<TranscriptLine> callerText(String itemId, String text, Instant now) {
    Instant started = itemId == null ? null : callerStarts.remove(itemId);
    if (closed || text == null || text.isBlank()) {
      return List.of();
    }
    return add(new TranscriptLine(TranscriptLine.CALLER, started == null ? now : started, text.strip(), false));
  }

  /** The caller's item could not be transcribed: forget its start. */
  synchronized void callerFailed(String itemId) {
    if (itemId != null) {
      callerStarts.remove(itemId);
    }
  }

  /** Audio of bot item {@code itemId} was queued for the call. */
  synchronized void botAudio(String itemId) {
    if (!closed) {
      bot.putIfAbsent(itemId, new BotLine());
    }
  }

  /** The model's full words for bot item {@code itemId}. Ignored for an item with no audio queued. */
  synchronized List<TranscriptLine> botText(String itemId, String text) {
    BotLine line = bot.get(itemId);
    if (line == null || closed) {
      return List.of();
    }
    line.text = text == null ? "" : text.strip();
    return settle(itemId, line);
  }

  /**
   * The first frame of bot item {@code itemId} went out on the call at {@code at}. The pacer may send
   * it before the bridge's thread has told {@link #botAudio} (it queues, then tells): the item played,
   * so its line is made here if need be.
   */
  synchronized List<TranscriptLine> botStarted(String itemId, Instant at) {
    if (closed) {
      return List.of();
    }
    BotLine line = bot.computeIfAbsent(itemId, id -> new BotLine());
    if (line.startedAt == null) {
      line.startedAt = at;
    }
    return settle(itemId, line);
  }

  /** All of bot item {@code itemId} went out. */
  synchronized List<TranscriptLine> botFinished(String itemId) {
    BotLine line = bot.get(itemId);
    if (line == null || closed) {
      return List.of();
    }
    line.finished = true;
    return settle(itemId, line);
  }

  /**
   * Barge-in: {@code cutItemId} (null if none) was playing and was cut; bot items that had not begun to
   * play never will, and leave no line.
   */
  synchronized List<TranscriptLine> bargeIn(String cutItemId) {
    BotLine cut = null;
    for (Iterator<Map.Entry<String, BotLine>> it = bot.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, BotLine> entry = it.next();
      BotLine line = entry.getValue();
      if (entry.getKey().equals(cutItemId)) {
        line.interrupted = true;
        cut = line;
      } else if (line.startedAt == null) {
        it.remove();
      }
    }
    // settled after the walk: settling removes the line from the map
    return cut == null ? List.of() : settle(cutItemId, cut);
  }

  /**
   * The call ended: a bot line still playing was cut off by the end (interrupted); lines that never
   * played are dropped. Returns every line of the call, in time order.
   */
  synchronized List<TranscriptLine> close() {
    if (!closed) {
      closed = true;
      for (BotLine line : bot.values()) {
        if (line.text != null && line.startedAt != null && !line.text.isEmpty()) {
          lines.add(new TranscriptLine(TranscriptLine.BOT, line.startedAt, line.text, !line.finished || line.interrupted));
        }
      }
      bot.clear();
      callerStarts.clear();
      lines.sort(Comparator.comparing(TranscriptLine::at));
    }
    return List.copyOf(lines);
  }

  private List<TranscriptLine> settle(String itemId, BotLine line) {
    if (line.text == null || line.startedAt == null || !(line.finished || line.interrupted)) {
      return List.of();
    }
    bot.remove(itemId);
    if (line.text.isEmpty()) {
      return List.of();
    }
    return add(new TranscriptLine(TranscriptLine.BOT, line.startedAt, line.text, line.interrupted && !line.finished));
  }

  private List<TranscriptLine> add(TranscriptLine line) {
    lines.add(line);
    return List.of(line);
  }
}
