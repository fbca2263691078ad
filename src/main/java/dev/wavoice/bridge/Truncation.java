package dev.wavoice.bridge;

/**
 * Where to cut an interrupted item: the values of {@code conversation.item.truncate}. {@code audioEndMs}
 * is the audio the caller heard: sent, clamped to what was received, minus what was still in Kurento's
 * jitter buffer, never below zero.
 */
record Truncation(String itemId, int contentIndex, long audioEndMs) {}
