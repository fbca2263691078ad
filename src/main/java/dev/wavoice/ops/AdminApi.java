package dev.wavoice.ops;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Set;

/** The admin API at {@code /api}, behind the bearer token {@code wavoice.admin.token}. */
@ApplicationPath("api")
public class AdminApi extends Application {

  @Override
  public Set<Class<?>> getClasses() {
    return Set.of(AdminAuthFilter.class, CallsResource.class, EventsResource.class, DoctorResource.class,
        CallingSettingsResource.class, StatusResource.class, ApiErrors.class);
  }
}
