package dev.wavoice.ops;

import dev.wavoice.whatsapp.CallingSettingsRules;
import dev.wavoice.whatsapp.CallingSettingsService;
import dev.wavoice.whatsapp.GraphApiException;
import dev.wavoice.whatsapp.GraphMessages.CallingSettings;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.StringReader;
import java.util.List;

/**
 * {@code GET /api/settings/calling}: the number's calling settings as Meta has them.
 * {@code PUT /api/settings/calling}: changes them, after checking Meta's rules (a 400 names every
 * wrong field and nothing is sent); answers with the settings as Meta has them afterwards.
 */
@Path("settings/calling")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class CallingSettingsResource {

  private CallingSettingsService settings;

  protected CallingSettingsResource() {}

  @Inject
  public CallingSettingsResource(CallingSettingsService settings) {
    this.settings = settings;
  }

  @GET
  public Response read() {
    try {
      return Response.ok(settings.read()).build();
    } catch (GraphApiException e) {
      return ApiErrors.graph(e);
    }
  }

  @PUT
  @Consumes(MediaType.APPLICATION_JSON)
  public Response write(String body) {
    JsonObject json;
    try (var reader = Json.createReader(new StringReader(body == null ? "" : body))) {
      json = reader.readObject();
    } catch (JsonException | IllegalStateException notAnObject) {
      return ApiErrors.invalid("invalid_settings", List.of("the body must be a JSON object"));
    }
    try {
      CallingSettings wanted = CallingSettingsJson.read(json);
      return Response.ok(settings.write(wanted)).build();
    } catch (CallingSettingsRules.Invalid e) {
      return ApiErrors.invalid("invalid_settings", e.problems());
    } catch (GraphApiException e) {
      return ApiErrors.graph(e);
    }
  }
}
