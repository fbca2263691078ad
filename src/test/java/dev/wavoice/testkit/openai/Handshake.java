package dev.wavoice.testkit.openai;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The opening HTTP request of a WebSocket the double accepted: path, query and headers (names in lower case). */
public record Handshake(String path, Map<String, String> query, Map<String, String> headers) {

  public Handshake {
    query = Map.copyOf(query);
    headers = Map.copyOf(headers);
  }

  static Handshake of(String resourceDescriptor, Map<String, String> rawHeaders) {
    int q = resourceDescriptor.indexOf('?');
    String path = q < 0 ? resourceDescriptor : resourceDescriptor.substring(0, q);
    Map<String, String> query = new LinkedHashMap<>();
    if (q >= 0) {
      for (String pair : resourceDescriptor.substring(q + 1).split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        query.put(name, value);
      }
    }
    Map<String, String> headers = new LinkedHashMap<>();
    rawHeaders.forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
    return new Handshake(path, query, headers);
  }

  public String model() {
    return query.get("model");
  }

  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }
}
