package dev.wavoice.bridge;

import dev.wavoice.audio.MonotonicClock;
import dev.wavoice.audio.OutboundAudio;
import dev.wavoice.audio.Playhead;
import dev.wavoice.realtime.AudioDelta;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The bot's side of one call and the one owner of barge-in. OpenAI's audio deltas go into the call's
 * {@link OutboundAudio} (which cuts them into 20 ms frames for the pacer) tagged with their item id;
 * here is kept what the audio plane does not know: which responses are under way, which were cut by a
 * barge-in, and per item its content index and the audio received. The deltas of a cut response that
 * still arrive (OpenAI had them in flight) are dropped at the door until that response's
 * {@code response.done}.
 *
 * <p>Barge-in ({@link #bargeIn()}), following the design's recipe: flush the queue at once (the next
 * tick sends silence), then truncate the item that was playing, only if it was partly played, at the
 * audio actually sent minus what is still in Kurento's jitter buffer ({@code playoutDelayMs}), clamped
 * to what was received and to zero. Nothing is truncated when nothing was playing.
 *
 * <p>Driven by the WebSocket's thread; its monitor is held only for queueing, never for I/O.
 */
final class BotPlayback {

  /** What a barge-in did. */
  record BargeIn(boolean interruptedBot, Optional<Truncation> truncation) {}

  /** What became of a delta. */
  enum Accepted { DROPPED, QUEUED, QUEUED_NEW_ITEM }

  /** Only the latest items can still be playing; older ones are forgotten. */
  private static final int REMEMBERED_ITEMS = 64;

  /** An item's audio as received from OpenAI. */
  private static final class Item {
    final int contentIndex;
    long receivedBytes;

    Item(int contentIndex) {
      this.contentIndex = contentIndex;
    }
  }

  private final OutboundAudio out;
  private final int bytesPerMs;
  private final int playoutDelayMs;
  private final MonotonicClock clock;
  private final BridgeTimings timings;
  private final Set<String> active = new LinkedHashSet<>();
  private final Set<String> discarded = new HashSet<>();
  private final Map<String, Item> items = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Item> eldest) {
      return size() > REMEMBERED_ITEMS;
    }
  };
  /** Benchmarks only: when the first delta of an item that found the queue empty came and was queued. */
  private final Map<String, long[]> firstDeltaNanos = new HashMap<>();
  private boolean open;
  /** The item whose audio came last. */
  private String receiving;
  private long droppedBytes;
  /** Barge-ins that stopped the bot: each starts a new generation of bot audio. */
  private int generation;

  BotPlayback(OutboundAudio out, int bytesPerMs, int playoutDelayMs, MonotonicClock clock, BridgeTimings timings) {
    this.out = out;
    this.bytesPerMs = bytesPerMs;
    this.playoutDelayMs = playoutDelayMs;
    this.clock = clock;
    this.timings = timings;
  }

  /** The call was accepted: bot audio may play from now on. */
  synchronized void open() {
    open = true;
  }

  synchronized void responseStarted(String responseId) {
    if (responseId != null) {
      active.add(responseId);
    }
  }

  /** Queues a delta unless the call is not playing yet or its response was cut by a barge-in. */
  Accepted delta(AudioDelta delta) {
    long arrived = timings == BridgeTimings.NONE ? 0 : clock.nanoTime();
    synchronized (this) {
      if (!open || discarded.contains(delta.responseId())) {
        droppedBytes += delta.audio().length;
        return Accepted.DROPPED;
      }
      Item item = items.get(delta.itemId());
      boolean newItem = item == null;
      if (newItem) {
        item = new Item(delta.contentIndex());
        items.put(delta.itemId(), item);
      }
      item.receivedBytes += delta.audio().length;
      receiving = delta.itemId();
      boolean idle = newItem && timings != BridgeTimings.NONE && out.queuedMs() == 0;
      out.enqueue(delta.itemId(), delta.audio());
      if (idle) {
        firstDeltaNanos.put(delta.itemId(), new long[] {arrived, clock.nanoTime()});
      }
      return newItem ? Accepted.QUEUED_NEW_ITEM : Accepted.QUEUED;
    }
  }

  /** All audio of the item has come: its last partial frame is padded and queued. */
  synchronized void audioDone(String responseId, String itemId) {
    if (open && !discarded.contains(responseId)) {
      out.end(itemId);
    }
  }

  /** The response is over: no more deltas of it can come. */
  synchronized void responseDone(String responseId) {
    active.remove(responseId);
    discarded.remove(responseId);
  }

  /**
   * The OpenAI connection was replaced mid-call: the responses under way on it, cut or not, will never
   * see their {@code response.done} nor their items their {@code output_audio.done} (the fresh session
   * knows nothing of them), so they are over. What came of them still plays out, the last partial frame
   * padded.
   */
  synchronized void connectionReplaced() {
    active.clear();
    discarded.clear();
    if (open && receiving != null) {
      out.end(receiving);
    }
  }

  /** The item's first frame went out (pacer thread): reports the latency to a benchmark. */
  void started(String itemId, long onWireNanos) {
    if (timings == BridgeTimings.NONE) {
      return;
    }
    long[] first;
    synchronized (this) {
      first = firstDeltaNanos.remove(itemId);
    }
    if (first != null) {
      timings.botAudioStarted(first[0], first[1], onWireNanos);
    }
  }

  /**
   * The caller started speaking: stops the bot at once. Returns whether the bot was talking (audio
   * queued or playing, or a response under way) and where to truncate the item that was playing.
   */
  synchronized BargeIn bargeIn() {
    boolean talking = !active.isEmpty() || out.queuedMs() > 0 || out.playing().isPresent();
    Optional<Playhead> cut = out.flush();
    discarded.addAll(active);
    firstDeltaNanos.clear();
    if (talking) {
      generation++;
    }
    return new BargeIn(talking, cut.flatMap(this::truncation));
  }

  /** Barge-ins that stopped the bot so far (counted before OpenAI hears of one: whoever sees the truncate sees the count). */
  synchronized int generation() {
    return generation;
  }

  /** Audio dropped because its response had been cut, or because the call was not playing yet. */
  synchronized long droppedBytes() {
    return droppedBytes;
  }

  private Optional<Truncation> truncation(Playhead cut) {
    Item item = items.get(cut.tag());
    if (item == null) {
      return Optional.empty(); // forgotten: only the latest items are remembered, and this one is far older
    }
    long heard = Math.min(cut.sentMs(), item.receivedBytes / bytesPerMs);
    return Optional.of(new Truncation(cut.tag(), item.contentIndex, Math.max(0, heard - playoutDelayMs)));
  }
}
