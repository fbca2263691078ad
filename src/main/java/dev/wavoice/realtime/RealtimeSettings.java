package dev.wavoice.realtime;

import dev.wavoice.realtime.RealtimeTypes.Audio;
import dev.wavoice.realtime.RealtimeTypes.AudioFormat;
import dev.wavoice.realtime.RealtimeTypes.AudioInput;
import dev.wavoice.realtime.RealtimeTypes.AudioOutput;
import dev.wavoice.realtime.RealtimeTypes.FunctionTool;
import dev.wavoice.realtime.RealtimeTypes.NoiseReduction;
import dev.wavoice.realtime.RealtimeTypes.Session;
import dev.wavoice.realtime.RealtimeTypes.Transcription;
import dev.wavoice.realtime.RealtimeTypes.TurnDetection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a Realtime session is opened and configured with, checked and immutable. Built by
 * {@link RealtimeConfig} from MicroProfile Config; tests build it directly. {@link #toString()} never
 * shows the API key.
 *
 * @param instructions null for OpenAI's default
 * @param transcriptionModel null when input transcription is off
 * @param noiseReduction {@code near_field}, {@code far_field} or null (off)
 * @param greeting what the agent says first, or null for no greeting
 * @param rolloverAfter when a new session is prepared to replace the current one (OpenAI ends sessions at 60 minutes)
 * @param keepalive a WebSocket ping goes out this often; no pong by the next one means the connection is dead
 */
public record RealtimeSettings(
    URI url,
    String apiKey,
    String model,
    Duration connectTimeout,
    Duration rolloverAfter,
    Duration keepalive,
    String instructions,
    String voice,
    double speed,
    TurnDetection turnDetection,
    String transcriptionModel,
    String transcriptionLanguage,
    String noiseReduction,
    String greeting,
    Prices prices,
    ToolCatalog tools) {

  /** OpenAI's hard limit on one Realtime session. */
  public static final Duration MAX_SESSION = Duration.ofMinutes(60);

  public RealtimeSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(rolloverAfter, "rolloverAfter");
    Objects.requireNonNull(keepalive, "keepalive");
    Objects.requireNonNull(voice, "voice");
    Objects.requireNonNull(turnDetection, "turnDetection");
    Objects.requireNonNull(prices, "prices");
    Objects.requireNonNull(tools, "tools");
    if (rolloverAfter.isNegative() || rolloverAfter.isZero() || rolloverAfter.compareTo(MAX_SESSION) >= 0) {
      throw new IllegalArgumentException("rolloverAfter must be between 0 and 60 minutes, was " + rolloverAfter);
    }
  }

  /** {@code <url>?model=<model>}. */
  public URI endpoint() {
    String separator = url.getRawQuery() == null ? "?" : "&";
    return URI.create(url + separator + "model=" + URLEncoder.encode(model, StandardCharsets.UTF_8));
  }

  /**
   * The {@code session} of the {@code session.update} wavoice sends (GA shape).
   *
   * @param format the audio format both ways (the call's RTP leg decides it)
   * @param callTools the tools the session's opener adds
   */
  public Session sessionUpdate(AudioFormat format, List<ToolHandler> callTools) {
    List<FunctionTool> declared = tools.declarations(callTools);
    var input = new AudioInput(
        format,
        transcriptionModel == null ? null : new Transcription(transcriptionModel, transcriptionLanguage),
        noiseReduction == null ? null : new NoiseReduction(noiseReduction),
        turnDetection);
    var output = new AudioOutput(format, voice, speed);
    return Session.update(instructions, new Audio(input, output), declared);
  }

  public RealtimeSettings withUrl(URI newUrl) {
    return new RealtimeSettings(newUrl, apiKey, model, connectTimeout, rolloverAfter, keepalive, instructions, voice,
        speed, turnDetection, transcriptionModel, transcriptionLanguage, noiseReduction, greeting, prices, tools);
  }

  public RealtimeSettings withKeepalive(Duration every) {
    return new RealtimeSettings(url, apiKey, model, connectTimeout, rolloverAfter, every, instructions, voice,
        speed, turnDetection, transcriptionModel, transcriptionLanguage, noiseReduction, greeting, prices, tools);
  }

  public RealtimeSettings withRolloverAfter(Duration after) {
    return new RealtimeSettings(url, apiKey, model, connectTimeout, after, keepalive, instructions, voice,
        speed, turnDetection, transcriptionModel, transcriptionLanguage, noiseReduction, greeting, prices, tools);
  }

  public RealtimeSettings withApiKey(String key) {
    return new RealtimeSettings(url, key, model, connectTimeout, rolloverAfter, keepalive, instructions, voice,
        speed, turnDetection, transcriptionModel, transcriptionLanguage, noiseReduction, greeting, prices, tools);
  }

  public RealtimeSettings withGreeting(String text) {
    return new RealtimeSettings(url, apiKey, model, connectTimeout, rolloverAfter, keepalive, instructions, voice,
        speed, turnDetection, transcriptionModel, transcriptionLanguage, noiseReduction, text, prices, tools);
  }

  public RealtimeSettings withTools(ToolCatalog catalog) {
    return new RealtimeSettings(url, apiKey, model, connectTimeout, rolloverAfter, keepalive, instructions, voice,
        speed, turnDetection, transcriptionModel, transcriptionLanguage, noiseReduction, greeting, prices, catalog);
  }

  @Override
  public String toString() {
    return "RealtimeSettings[url=" + url + ", apiKey=" + (apiKey == null || apiKey.isEmpty() ? "(unset)" : "(set)")
        + ", model=" + model + ", voice=" + voice + ", turnDetection=" + turnDetection.type()
        + ", transcriptionModel=" + transcriptionModel + ", noiseReduction=" + noiseReduction
        + ", rolloverAfter=" + rolloverAfter + ", tools=" + tools.httpTools().size() + " HTTP]";
  }
}
