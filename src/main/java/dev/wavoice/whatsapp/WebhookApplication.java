package dev.wavoice.whatsapp;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Set;

/**
 * The WhatsApp webhook, at {@code /webhook}. It is its own JAX-RS application so that the rest of the
 * context root stays free for the admin API ({@code /api}) and static pages.
 */
@ApplicationPath("webhook")
public class WebhookApplication extends Application {

  @Override
  public Set<Class<?>> getClasses() {
    return Set.of(WebhookResource.class);
  }
}
