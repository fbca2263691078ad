package dev.wavoice.realtime;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.List;

/**
 * The shapes shared by OpenAI Realtime's client and server events (GA), as JSON-B records in the
 * wire's snake_case. Fields wavoice does not use are left out (unknown properties are ignored when
 * reading); null fields are left out when writing.
 */
public final class RealtimeWire {

  private RealtimeWire() {}

  /** {@code {type:"audio/pcmu"}} or {@code {type:"audio/pcm", rate:24000}}. */
  public record AudioFormat(String type, Integer rate) {

    public static final AudioFormat PCMU = new AudioFormat("audio/pcmu", null);
    public static final AudioFormat PCM_24K = new AudioFormat("audio/pcm", 24_000);

    /** True when {@code echoed} names the same format; a missing rate on audio/pcm means its only rate, 24 kHz. */
    public boolean sameAs(AudioFormat echoed) {
      if (echoed == null || !type.equals(echoed.type())) {
        return false;
      }
      int wanted = rate == null ? 24_000 : rate;
      int got = echoed.rate() == null ? 24_000 : echoed.rate();
      return !type.equals("audio/pcm") || wanted == got;
    }

    /** Bytes per millisecond of audio: 8 for G.711 at 8 kHz, 48 for 16-bit PCM at 24 kHz. */
    public int bytesPerMs() {
      return type.equals("audio/pcm") ? 48 : 8;
    }

    @Override
    public String toString() {
      return rate == null ? type : type + "@" + rate;
    }
  }

  /** The {@code session} object of {@code session.update}, {@code session.created} and {@code session.updated}. */
  public record Session(
      String type,
      String id,
      String object,
      String model,
      List<String> outputModalities,
      String instructions,
      Audio audio,
      List<FunctionTool> tools,
      JsonValue toolChoice,
      Long expiresAt) {

    /** What wavoice sends: {@code id}, {@code object}, {@code model} and {@code expires_at} are the server's. */
    public static Session update(String instructions, Audio audio, List<FunctionTool> tools) {
      return new Session(
          "realtime", null, null, null, List.of("audio"), instructions, audio, tools,
          tools.isEmpty() ? null : Json.createValue("auto"), null);
    }

    public AudioFormat inputFormat() {
      return audio == null || audio.input() == null ? null : audio.input().format();
    }

    public AudioFormat outputFormat() {
      return audio == null || audio.output() == null ? null : audio.output().format();
    }
  }

  public record Audio(AudioInput input, AudioOutput output) {}

  public record AudioInput(
      AudioFormat format, Transcription transcription, NoiseReduction noiseReduction, TurnDetection turnDetection) {}

  public record AudioOutput(AudioFormat format, String voice, Double speed) {}

  public record Transcription(String model, String language) {}

  public record NoiseReduction(String type) {}

  /**
   * {@code server_vad} (threshold, prefix padding, silence duration, idle timeout) or
   * {@code semantic_vad} (eagerness); both have {@code create_response} and {@code interrupt_response}.
   */
  public record TurnDetection(
      String type,
      Double threshold,
      Integer prefixPaddingMs,
      Integer silenceDurationMs,
      Integer idleTimeoutMs,
      String eagerness,
      Boolean createResponse,
      Boolean interruptResponse) {}

  /** A function the model may call; {@code parameters} is a JSON Schema object. */
  public record FunctionTool(String type, String name, String description, JsonObject parameters) {

    public static FunctionTool of(String name, String description, JsonObject parameters) {
      return new FunctionTool("function", name, description, parameters);
    }

    /** A function of one string argument, e.g. {@code end_call(reason)}. */
    public static FunctionTool ofText(String name, String description, String argument, String argumentDescription,
        boolean required) {
      var parameters = Json.createObjectBuilder()
          .add("type", "object")
          .add("properties", Json.createObjectBuilder()
              .add(argument, Json.createObjectBuilder()
                  .add("type", "string")
                  .add("description", argumentDescription)));
      if (required) {
        parameters.add("required", Json.createArrayBuilder().add(argument));
      }
      return of(name, description, parameters.build());
    }
  }

  /** A conversation item: a message, a function call or a function call output. */
  public record Item(
      String id,
      String object,
      String type,
      String status,
      String role,
      List<ContentPart> content,
      String callId,
      String name,
      String arguments,
      String output) {

    public static Item functionCallOutput(String callId, String output) {
      return new Item(null, null, "function_call_output", null, null, null, callId, null, null, output);
    }

    /** A system message with text, e.g. the recap carried into a new session. */
    public static Item systemText(String text) {
      return new Item(
          null, null, "message", null, "system", List.of(new ContentPart("input_text", text, null, null)),
          null, null, null, null);
    }
  }

  public record ContentPart(String type, String text, String audio, String transcript) {}

  /** The {@code response} of {@code response.created} and {@code response.done}. */
  public record Response(
      String id, String object, String status, StatusDetails statusDetails, List<Item> output, Usage usage) {}

  public record StatusDetails(String type, String reason, ErrorInfo error) {}

  /** Token usage of one response; {@code input_tokens} = text + audio (+ image), cached ones included. */
  public record Usage(
      Integer totalTokens,
      Integer inputTokens,
      Integer outputTokens,
      InputTokenDetails inputTokenDetails,
      OutputTokenDetails outputTokenDetails) {}

  public record InputTokenDetails(
      Integer cachedTokens, Integer textTokens, Integer imageTokens, Integer audioTokens, CachedTokenDetails cachedTokensDetails) {}

  public record CachedTokenDetails(Integer textTokens, Integer imageTokens, Integer audioTokens) {}

  public record OutputTokenDetails(Integer textTokens, Integer audioTokens) {}

  /** Usage of an input transcription: {@code tokens} or {@code duration} (seconds). */
  public record TranscriptionUsage(String type, Integer inputTokens, Integer outputTokens, Integer totalTokens, Double seconds) {}

  /** The body of an {@code error} event (and of failed transcriptions and responses). */
  public record ErrorInfo(String type, String code, String message, String param, String eventId) {

    /** One of the errors normal operation draws (a cancel that found nothing, a request that lost a race). */
    public boolean expected() {
      return RealtimeErrors.severity(this) == RealtimeErrors.Severity.BENIGN;
    }

    /** The code (or type) and message, for logs and records; never the client's own data. */
    public String describe() {
      return RealtimeErrors.describe(this);
    }
  }

  public record RateLimit(String name, Integer limit, Integer remaining, Double resetSeconds) {}

  /** Per-response overrides of {@code response.create}. */
  public record ResponseParams(String instructions, String conversation) {

    public static ResponseParams withInstructions(String instructions) {
      return new ResponseParams(instructions, null);
    }
  }
}
