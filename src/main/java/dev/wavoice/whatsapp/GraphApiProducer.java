package dev.wavoice.whatsapp;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;

/** Makes the one {@link GraphApi} of the application, from the configured settings. */
@ApplicationScoped
public class GraphApiProducer {

  private WhatsAppConfig config;
  private Jsonb jsonb;
  private volatile GraphApi api;

  protected GraphApiProducer() {}

  @Inject
  public GraphApiProducer(WhatsAppConfig config, Jsonb jsonb) {
    this.config = config;
    this.jsonb = jsonb;
  }

  @Produces
  @Dependent
  GraphApi graphApi() {
    GraphApi current = api;
    if (current == null) {
      synchronized (this) {
        if (api == null) {
          api = new GraphApi(config.graph(), jsonb);
        }
        current = api;
      }
    }
    return current;
  }
}
