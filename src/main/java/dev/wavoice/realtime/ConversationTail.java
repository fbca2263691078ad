package dev.wavoice.realtime;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The last lines of the conversation, kept so a new session can pick up where the old one stopped
 * (OpenAI ends a session at 60 minutes, and assistant audio cannot be re-added to a new one).
 */
final class ConversationTail {

  static final int MAX_LINES = 24;
  static final int MAX_CHARS = 6_000;

  private final Deque<String> lines = new ArrayDeque<>();
  private int chars;

  synchronized void caller(String text) {
    add("Caller: " + text.strip());
  }

  synchronized void agent(String text) {
    add("Agent: " + text.strip());
  }

  private void add(String line) {
    if (line.endsWith(": ")) {
      return;
    }
    lines.addLast(line);
    chars += line.length();
    while (lines.size() > MAX_LINES || (chars > MAX_CHARS && lines.size() > 1)) {
      chars -= lines.removeFirst().length();
    }
  }

  synchronized boolean isEmpty() {
    return lines.isEmpty();
  }

  /** The text of the system message that opens the new session. */
  synchronized String render() {
    StringBuilder text = new StringBuilder(
        "The phone call continues from an earlier session. The last lines of the conversation so far were:\n");
    for (String line : lines) {
      text.append(line).append('\n');
    }
    text.append("Carry on from here without greeting the caller again.");
    return text.toString();
  }
}
