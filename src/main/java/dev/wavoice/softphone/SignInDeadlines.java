package dev.wavoice.softphone;

import dev.wavoice.AppExecutors;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** The timers of the softphone's sockets (the endpoint is made by the WebSocket container, one per socket). */
@ApplicationScoped
public class SignInDeadlines {

  @Resource(lookup = AppExecutors.TIMERS) private ManagedScheduledExecutorService scheduler;

  ScheduledFuture<?> after(Duration delay, Runnable task) {
    return scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
  }
}
