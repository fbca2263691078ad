package dev.wavoice;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.config.PropertyNamingStrategy;

/**
 * JSON-B as the services we talk to write it: snake_case names ({@code sdp_type}, {@code call_id}),
 * nulls left out, unknown properties ignored. Meta's Graph API and OpenAI Realtime both use it.
 */
public final class WireJson {

  private WireJson() {}

  public static Jsonb create() {
    return JsonbBuilder.create(
        new JsonbConfig()
            .withPropertyNamingStrategy(PropertyNamingStrategy.LOWER_CASE_WITH_UNDERSCORES)
            .withNullValues(false));
  }
}
