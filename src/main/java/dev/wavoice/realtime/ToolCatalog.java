package dev.wavoice.realtime;

import dev.wavoice.realtime.RealtimeWire.FunctionTool;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.bind.Jsonb;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The tools the agent may call: the built-in {@code end_call}, the tools the session's opener adds
 * ({@link ToolHandler}), and the operator's HTTP tools read from a JSON file ({@code {"tools":[{name,
 * description, parameters, url, timeout_ms, headers}]}}).
 */
public final class ToolCatalog {

  public static final String END_CALL = "end_call";

  /** OpenAI's rule for function names. */
  private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");

  /** The file's shape. */
  public record ToolsFile(List<HttpToolSpec> tools) {}

  private final List<HttpToolSpec> httpTools;

  public ToolCatalog(List<HttpToolSpec> httpTools) {
    this.httpTools = List.copyOf(httpTools);
  }

  public List<HttpToolSpec> httpTools() {
    return httpTools;
  }

  public Optional<HttpToolSpec> http(String name) {
    return httpTools.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  /**
   * The declarations for {@code session.update}: {@code end_call}, the call's own tools, the HTTP tools.
   *
   * @throws IllegalArgumentException when a call's tool takes a name already taken
   */
  public List<FunctionTool> declarations(List<ToolHandler> callTools) {
    List<FunctionTool> tools = new ArrayList<>();
    tools.add(FunctionTool.ofText(
        END_CALL,
        "End the phone call. First say a short goodbye in the same turn; the line closes once your goodbye"
            + " has been played to the caller. Use it when the caller is done or asks to hang up.",
        "reason", "Why the call ends, in a few words, for the call record.", false));
    Set<String> names = new HashSet<>(Set.of(END_CALL));
    httpTools.forEach(t -> names.add(t.name()));
    for (ToolHandler handler : callTools) {
      FunctionTool declared = handler.declaration();
      if (!names.add(declared.name())) {
        throw new IllegalArgumentException("the tool name " + declared.name() + " is taken twice (built-in, HTTP or the call's own tool)");
      }
      tools.add(declared);
    }
    for (HttpToolSpec tool : httpTools) {
      tools.add(FunctionTool.of(tool.name(), tool.description(), tool.parameters()));
    }
    return List.copyOf(tools);
  }

  /** Reads and checks the operator's tools file; every problem names the file and the tool. */
  public static List<HttpToolSpec> load(Path file, Jsonb jsonb) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("wavoice.agent.tools-file: cannot read " + file + ": " + e.getMessage(), e);
    }
    ToolsFile parsed;
    try {
      parsed = jsonb.fromJson(text, ToolsFile.class);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "wavoice.agent.tools-file " + file + " is not {\"tools\":[...]} JSON: " + e.getMessage(), e);
    }
    if (parsed == null || parsed.tools() == null) {
      throw new IllegalArgumentException("wavoice.agent.tools-file " + file + " has no \"tools\" array");
    }
    List<HttpToolSpec> tools = new ArrayList<>();
    Set<String> names = new HashSet<>(Set.of(END_CALL));
    for (int i = 0; i < parsed.tools().size(); i++) {
      HttpToolSpec tool = parsed.tools().get(i);
      String where = "wavoice.agent.tools-file " + file + ", tools[" + i + "]";
      if (tool == null) {
        throw new IllegalArgumentException(where + " is null");
      }
      if (tool.name() == null || !NAME.matcher(tool.name()).matches()) {
        throw new IllegalArgumentException(where + ": name must match " + NAME.pattern() + ", was " + tool.name());
      }
      where += " (" + tool.name() + ")";
      if (!names.add(tool.name())) {
        throw new IllegalArgumentException(where + ": the name is already taken (built-in or earlier tool)");
      }
      if (tool.description() == null || tool.description().isBlank()) {
        throw new IllegalArgumentException(where + ": description is required (the model decides from it)");
      }
      URI uri;
      try {
        uri = tool.url() == null ? null : URI.create(tool.url());
      } catch (IllegalArgumentException e) {
        uri = null;
      }
      if (uri == null || uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        throw new IllegalArgumentException(where + ": url must be an absolute http(s) URL, was " + tool.url());
      }
      if (tool.headers() != null) {
        try {
          var probe = java.net.http.HttpRequest.newBuilder(uri);
          tool.headers().forEach(probe::header);
        } catch (IllegalArgumentException refused) {
          throw new IllegalArgumentException(where + ": a header the HTTP client does not allow: " + refused.getMessage());
        }
      }
      if (tool.timeoutMs() != null && (tool.timeoutMs() < 1 || tool.timeoutMs() > HttpToolSpec.MAX_TIMEOUT_MS)) {
        throw new IllegalArgumentException(
            where + ": timeout_ms must be 1.." + HttpToolSpec.MAX_TIMEOUT_MS + ", was " + tool.timeoutMs());
      }
      JsonObject parameters = tool.parameters();
      if (parameters == null) {
        parameters = Json.createObjectBuilder().add("type", "object").add("properties", JsonObject.EMPTY_JSON_OBJECT).build();
      } else if (!"object".equals(parameters.getString("type", null))) {
        throw new IllegalArgumentException(where + ": parameters must be a JSON Schema with \"type\":\"object\"");
      }
      tools.add(new HttpToolSpec(tool.name(), tool.description(), parameters, tool.url(), tool.timeoutMs(), tool.headers()));
    }
    return List.copyOf(tools);
  }
}
