package dev.wavoice.audio;

/**
 * Where to cut an interrupted item: the values of {@code conversation.item.truncate}. {@code audioEndMs}
 * is the audio actually sent, clamped to what was received, so it never exceeds the item's length.
 */
public record Truncation(String itemId, int contentIndex, long audioEndMs) {}
