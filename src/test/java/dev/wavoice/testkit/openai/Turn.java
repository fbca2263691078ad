package dev.wavoice.testkit.openai;

import java.util.ArrayList;
import java.util.List;

/**
 * A scripted response of the OpenAI double: its output in order (audio items with a tone and a
 * transcript, function calls, error events, an abrupt close), whether it stays active until released
 * ({@code hold}), its final status and, if set, the usage it reports (else usage is derived from the
 * audio and text). A record, so it can also be sent to a double in its own process as JSON.
 */
public record Turn(List<Step> steps, boolean hold, String status, Tokens usage) {

  /**
   * One piece of a response. {@code kind}: {@code audio} (ms, frequency_hz, transcript), {@code
   * function_call} (name, arguments), {@code error} (code, message), {@code close} (close_code, message:
   * a close frame), {@code drop} (the TCP connection is cut without a close frame).
   */
  public record Step(
      String kind, Integer ms, Double frequencyHz, String transcript, String name, String arguments, String code,
      String message, Integer closeCode) {}

  /** Token counts to report in {@code response.done} instead of derived ones. */
  public record Tokens(int inputText, int inputAudio, int cachedText, int cachedAudio, int outputText, int outputAudio) {}

  public Turn {
    steps = steps == null ? List.of() : List.copyOf(steps);
  }

  public static Turn of() {
    return new Turn(List.of(), false, null, null);
  }

  /** The answer of the double when nothing is scripted: a short tone saying "Okay.". */
  public static Turn defaultTurn() {
    return of().audio(400, 440, "Okay.");
  }

  private Turn with(Step step) {
    List<Step> more = new ArrayList<>(steps);
    more.add(step);
    return new Turn(more, hold, status, usage);
  }

  public Turn audio(int ms, double frequencyHz, String transcript) {
    return with(new Step("audio", ms, frequencyHz, transcript, null, null, null, null, null));
  }

  public Turn functionCall(String name, String argumentsJson) {
    return with(new Step("function_call", null, null, null, name, argumentsJson, null, null, null));
  }

  /** An {@code error} event in the middle of the response; the response goes on. */
  public Turn error(String code, String message) {
    return with(new Step("error", null, null, null, null, null, code, message, null));
  }

  /** The server closes the WebSocket with this code at this point. */
  public Turn closeWith(int closeCode, String reason) {
    return with(new Step("close", null, null, null, null, null, null, reason, closeCode));
  }

  /** The TCP connection is cut at this point, without a close frame. */
  public Turn drop() {
    return with(new Step("drop", null, null, null, null, null, null, null, null));
  }

  /** The response stays active after its output until released or cancelled. */
  public Turn held() {
    return new Turn(steps, true, status, usage);
  }

  /** Ends with {@code failed} or {@code incomplete} instead of {@code completed}. */
  public Turn status(String finalStatus) {
    return new Turn(steps, hold, finalStatus, usage);
  }

  public Turn usage(Tokens tokens) {
    return new Turn(steps, hold, status, tokens);
  }
}
