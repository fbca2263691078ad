package dev.wavoice.whatsapp;

import java.time.Duration;

/** Limits of the webhook: the largest body accepted, and how long a delivery is remembered for de-duplication. */
public record WebhookSettings(int maxBodyBytes, Duration dedupWindow) {}
