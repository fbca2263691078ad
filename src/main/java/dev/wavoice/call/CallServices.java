package dev.wavoice.call;

import dev.wavoice.bridge.BridgeFactory;
import dev.wavoice.media.MediaGateway;
import dev.wavoice.whatsapp.GraphApi;
import dev.wavoice.whatsapp.PrerequisiteSightings;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/** Everything a call needs from the rest of the application, handed to each {@link ActiveCall}. */
record CallServices(
    GraphApi graph,
    MediaGateway media,
    BridgeFactory bridges,
    CallRegistry registry,
    CallSettings settings,
    CallEventPublisher events,
    PrerequisiteSightings prerequisites,
    Clock clock,
    Executor executor,
    ScheduledExecutorService scheduler) {}
